import { count, eq, inArray } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { emailOutbox, payrollRunLines, payrollRuns, workplaceInvites, workplacePledges, workplacePledgeTerms, workplaceProgrammes } from "~db/schema";
import { randomInt } from "node:crypto";
import { createOrganisation, goalId } from "../factories";

/** A code shaped like wprog's invite codes (10 of the poster-safe letters and digits). */
export function inviteCode(): string {
  const alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
  return Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** A programme with a live invite code, written straight to the tables (wprog's forms are tested on their own). */
export async function createProgramme(db: Db, opts: { goalSlugs?: string[]; minimumOre?: bigint; perMilleOffered?: boolean; status?: "active" | "closed" } = {}) {
  const organisation = await createOrganisation(db, {}, { contacts: 1 });
  const goalIds = await Promise.all((opts.goalSlugs ?? ["ingen-ensamhet", "alla-kan-arbeta"]).map((slug) => goalId(db, slug)));
  const [programme] = await db
    .insert(workplaceProgrammes)
    .values({ organisationId: organisation.id, goalIds, minimumOre: opts.minimumOre ?? 5000n, perMilleOffered: opts.perMilleOffered ?? true, status: opts.status ?? "active" })
    .returning();
  const code = inviteCode();
  await db.insert(workplaceInvites).values({ programmeId: programme.id, code });
  return { organisation, programme, code, goalIds };
}

/** A confirmed payroll run for `month` with one employee line per goal share (what payroll's run writes). */
export async function confirmedRun(db: Db, programme: { id: number; organisationId: number }, month: string, lines: { pledgeId: number; personId: number; goalId: number; amountOre: bigint; reportedOre?: bigint }[]) {
  const [run] = await db
    .insert(payrollRuns)
    .values({ organisationId: programme.organisationId, programmeId: programme.id, month, status: "confirmed", confirmedAt: new Date() })
    .returning();
  const rows = lines.length
    ? await db
        .insert(payrollRunLines)
        .values(lines.map((l) => ({ runId: run.id, kind: "employee" as const, pledgeId: l.pledgeId, personId: l.personId, goalId: l.goalId, amountOre: l.amountOre, reportedOre: l.reportedOre ?? null })))
        .returning()
    : [];
  return { run, lines: rows };
}

/** How many rows the pledge services could have written: pledges, terms and queued emails. */
export async function writtenCounts(db: Db) {
  const [p] = await db.select({ n: count() }).from(workplacePledges);
  const [t] = await db.select({ n: count() }).from(workplacePledgeTerms);
  const [e] = await db.select({ n: count() }).from(emailOutbox).where(inArray(emailOutbox.template, ["workplace-pledge-confirmation", "workplace-summary"]));
  return { pledges: p.n, terms: t.n, emails: e.n };
}

export async function termsOf(db: Db, pledgeId: number) {
  return db.select().from(workplacePledgeTerms).where(eq(workplacePledgeTerms.pledgeId, pledgeId)).orderBy(workplacePledgeTerms.fromMonth);
}
