import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { ledgerEntries, organisations, workplacePledges, workplacePledgeTerms, workplaceProgrammes, type WorkplaceGoalShare } from "~db/schema";
import type { ServiceContext } from "~/services/context";
import { createOrganisation, createPerson, goalId } from "../factories";
import { ctxFor } from "../invoices/helpers";

/** An employer with a programme (written straight to the table: wprog's forms are tested on their own) and its contact as an actor. */
export async function employer(db: Db, over: Partial<typeof workplaceProgrammes.$inferInsert> = {}) {
  const org = await createOrganisation(db, { invoiceEmail: "lon@example.se", orgNumber: null, address: "Testgatan 1", postalCode: "722 11", city: "Västerås" }, { contacts: 1 });
  const [programme] = await db
    .insert(workplaceProgrammes)
    .values({ organisationId: org.id, payCode: "9810", payrollDay: 25, perMilleOffered: true, ...over })
    .returning();
  const c = org.contacts[0];
  const contact: ServiceContext = ctxFor(db, { kind: "person", personId: c.id, email: c.email, name: c.name, roles: [], organisations: [{ organisationId: org.id, isAdmin: true }] });
  return { org, programme, contact };
}

export interface TermsInput {
  fromMonth: string;
  state?: "active" | "paused" | "stopped";
  kind?: "fixed" | "per_mille";
  amountOre?: bigint | null;
  rateTenths?: number | null;
  goals: WorkplaceGoalShare[];
}

/** An employee's pledge with its terms rows (what wpledge's services write). */
export async function pledge(db: Db, programmeId: number, terms: TermsInput[], opts: { name?: string; employeeNumber?: string | null } = {}) {
  const person = await createPerson(db, { name: opts.name ?? "Anställd Testsson" });
  const [row] = await db
    .insert(workplacePledges)
    .values({ programmeId, personId: person.id, employeeNumber: opts.employeeNumber === undefined ? String(person.id) : opts.employeeNumber, consentAt: new Date(), consentVersion: "test" })
    .returning();
  for (const t of terms) {
    const kind = t.kind ?? "fixed";
    await db.insert(workplacePledgeTerms).values({
      pledgeId: row.id,
      fromMonth: t.fromMonth,
      state: t.state ?? "active",
      kind,
      amountOre: kind === "fixed" ? (t.amountOre ?? 10000n) : null,
      rateTenths: kind === "per_mille" ? (t.rateTenths ?? 10) : null,
      goals: t.goals,
    });
  }
  return { pledge: row, person };
}

export async function goalIds(db: Db): Promise<number[]> {
  return Promise.all(["ingen-ensamhet", "alla-kan-arbeta", "alla-ar-trygga"].map((slug) => goalId(db, slug)));
}

/** Each goal's ledger total for channel salary_giving. */
export async function salaryLedger(db: Db, goals: number[]): Promise<Map<number, bigint>> {
  const rows = await db
    .select({ goalId: ledgerEntries.goalId, sum: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.channel, "salary_giving"), inArray(ledgerEntries.goalId, goals)))
    .groupBy(ledgerEntries.goalId);
  const out = new Map(goals.map((g) => [g, 0n]));
  for (const r of rows) out.set(r.goalId, BigInt(r.sum));
  return out;
}

export async function orgName(db: Db, id: number): Promise<string> {
  const [o] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id));
  return o.name;
}
