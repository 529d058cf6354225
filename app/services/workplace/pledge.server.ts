import { and, eq, gt, sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { people, workplacePledges, workplacePledgeTerms } from "~db/schema";
import { requirePerson, type PersonActor, type ServiceContext } from "~/services/context";
import { enqueueEmail } from "~/services/email/outbox.server";
import { Conflict, fieldErrorCodes, Gone, Invalid, NotFound, withParams } from "~/services/errors";
import { monthName } from "~/i18n/workplace-pledge";
import { env } from "~/utils/env.server";
import { formatOre } from "~/utils/money";
import { changePledgeSchema, joinPledgeSchema, pledgeMonthSchema, type PledgeTermsInput } from "~/validation/workplace-pledge";
import { programmeByCode } from "./invite.server";
import { termsInForce } from "./pledge-months";
import { checkMonthOpen, firstOpenMonth, loadProgramme, programmeGoals, rulesOf } from "./pledge-rules.server";

/**
 * Workplace pledges (issue 13 items 3 and 4): an employee joins through the programme's link and
 * later changes, pauses or stops from a payroll month. Only the employee themself: every function
 * takes the signed-in person as the pledge's owner, and another person's pledge is "not found".
 * The platform stores a per-mille rate, never a salary (research/domain.md B3).
 */

/** The form's refusal, with the programme's minimum for the `amount_min` text. */
function refusal(error: Parameters<typeof fieldErrorCodes>[0], minimumOre: bigint) {
  return withParams(new Invalid("invalid_pledge", fieldErrorCodes(error)), { min: formatOre(minimumOre) });
}

/** The consent text's version (app/i18n/workplace-pledge.ts `consentText` + `consent`); bump when they change. */
export const CONSENT_VERSION = "2026-11-30";

function formValues(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === "string" ? v : v == null ? undefined : String(v)]));
}

/**
 * Joins the programme behind `code`: the pledge, its first terms and the confirmation email, in one
 * transaction. `input` is the join form's fields (parsed again here). A person whose earlier pledge
 * here was stopped joins again on the same pledge (new terms and consent); one with a live pledge is
 * sent to change it instead.
 */
export async function joinProgramme(ctx: ServiceContext, code: string, input: Record<string, unknown>, now = new Date()): Promise<{ pledgeId: number; fromMonth: string }> {
  const person = requirePerson(ctx);
  const found = await programmeByCode(ctx.db, code, now);
  if (!found.ok) {
    if (found.reason === "unknown") throw new NotFound("invite_unknown");
    if (found.reason === "closed") throw new Gone("programme_closed");
    throw new Gone(found.reason === "expired" ? "invite_expired" : "invite_revoked");
  }
  const loaded = await loadProgramme(ctx.db, found.programme.id);
  if (!loaded || loaded.programme.status !== "active") throw new Conflict("programme_closed");
  const { programme, organisationName } = loaded;
  const goalChoices = await programmeGoals(ctx.db, programme, ctx.locale);
  const parsed = joinPledgeSchema(rulesOf(programme, goalChoices)).safeParse(formValues(input));
  if (!parsed.success) throw refusal(parsed.error, programme.minimumOre);
  const terms = parsed.data;
  const name = terms.name;

  return ctx.db.transaction(async (tx) => {
    checkMonthOpen(terms.fromMonth, await firstOpenMonth(tx, programme.id, now), "firstMonth", ctx.locale);
    const [existing] = await tx
      .select()
      .from(workplacePledges)
      .where(and(eq(workplacePledges.programmeId, programme.id), eq(workplacePledges.personId, person.personId)))
      .for("update");
    let pledgeId: number;
    if (existing) {
      const rows = await tx.select().from(workplacePledgeTerms).where(eq(workplacePledgeTerms.pledgeId, existing.id));
      const latest = rows.reduce<(typeof rows)[number] | null>((a, r) => (!a || r.fromMonth > a.fromMonth ? r : a), null);
      // Joining again after a stop starts from that stop on; a live pledge is changed on /workplace instead.
      if (latest && (latest.state !== "stopped" || terms.fromMonth < latest.fromMonth)) throw new Conflict("already_pledged");
      await tx
        .update(workplacePledges)
        .set({ consentAt: now, consentVersion: CONSENT_VERSION, employeeNumber: terms.employeeNumber ?? existing.employeeNumber })
        .where(eq(workplacePledges.id, existing.id));
      pledgeId = existing.id;
    } else {
      const [created] = await tx
        .insert(workplacePledges)
        .values({ programmeId: programme.id, personId: person.personId, employeeNumber: terms.employeeNumber, consentAt: now, consentVersion: CONSENT_VERSION })
        .returning({ id: workplacePledges.id });
      pledgeId = created.id;
    }
    await writeTerms(tx, pledgeId, person, "active", terms);
    // The payroll list names the employee; the name typed here is the one the employer knows.
    await tx.update(people).set({ name }).where(eq(people.id, person.personId));
    const goalTitles = new Map(goalChoices.map((g) => [g.id, g.title]));
    await enqueueEmail(tx, {
      to: person.email,
      template: "workplace-pledge-confirmation",
      locale: ctx.locale,
      props: {
        name,
        organisationName,
        kind: terms.kind,
        amountOre: terms.amountOre?.toString() ?? null,
        rateTenths: terms.rateTenths,
        goals: terms.goals.map((g) => ({ title: goalTitles.get(g.goalId) ?? "", percent: g.percent })),
        fromMonth: terms.fromMonth,
        manageUrl: `${env().appUrl}/workplace`,
      },
      dedupeKey: `workplace-pledge:${pledgeId}:joined:${now.getTime()}`,
    });
    return { pledgeId, fromMonth: terms.fromMonth };
  });
}

/** The terms row for a month; a second change for the same month replaces the first (unique pledge + month). */
async function writeTerms(tx: Tx, pledgeId: number, person: PersonActor, state: "active" | "paused" | "stopped", terms: PledgeTermsInput) {
  const values = {
    pledgeId,
    fromMonth: terms.fromMonth,
    state,
    kind: terms.kind,
    amountOre: terms.amountOre,
    rateTenths: terms.rateTenths,
    goals: terms.goals,
    createdBy: person.personId,
  };
  await tx
    .insert(workplacePledgeTerms)
    .values(values)
    .onConflictDoUpdate({
      target: [workplacePledgeTerms.pledgeId, workplacePledgeTerms.fromMonth],
      set: { state, kind: values.kind, amountOre: values.amountOre, rateTenths: values.rateTenths, goals: values.goals, createdBy: values.createdBy, createdAt: sql`now()` },
    });
}

/** The actor's own pledge, locked for the change; another person's pledge is not found (it does not tell). */
async function ownPledge(tx: Tx, person: PersonActor, pledgeId: number) {
  const [pledge] = await tx.select().from(workplacePledges).where(eq(workplacePledges.id, pledgeId)).for("update");
  if (!pledge || pledge.personId !== person.personId) throw new NotFound("pledge_not_found");
  const rows = await tx.select().from(workplacePledgeTerms).where(eq(workplacePledgeTerms.pledgeId, pledgeId));
  return { pledge, rows };
}

/** Refuses a change from a month on or after a stop: a stopped pledge is joined again through the link. */
function refuseIfStopped(rows: { fromMonth: string; state: string }[], month: string, locale: ServiceContext["locale"]) {
  const stop = rows.filter((r) => r.state === "stopped").sort((a, b) => (a.fromMonth < b.fromMonth ? -1 : 1))[0];
  if (stop && stop.fromMonth <= month) throw withParams(new Conflict("pledge_stopped"), { month: monthName(stop.fromMonth, locale) });
}

async function pledgeProgramme(tx: Tx, programmeId: number) {
  const loaded = await loadProgramme(tx, programmeId);
  if (!loaded) throw new NotFound("pledge_not_found");
  return loaded.programme;
}

/** Changes the amount (or rate) and goals from a payroll month on; `input` is the change form's fields. */
export async function changePledge(ctx: ServiceContext, pledgeId: number, input: Record<string, unknown>, now = new Date()): Promise<{ fromMonth: string }> {
  const person = requirePerson(ctx);
  return ctx.db.transaction(async (tx) => {
    const { pledge, rows } = await ownPledge(tx, person, pledgeId);
    const programme = await pledgeProgramme(tx, pledge.programmeId);
    const parsed = changePledgeSchema(rulesOf(programme, await programmeGoals(tx, programme, ctx.locale))).safeParse(formValues(input));
    if (!parsed.success) throw refusal(parsed.error, programme.minimumOre);
    checkMonthOpen(parsed.data.fromMonth, await firstOpenMonth(tx, programme.id, now), "fromMonth", ctx.locale);
    refuseIfStopped(rows, parsed.data.fromMonth, ctx.locale);
    await writeTerms(tx, pledge.id, person, "active", parsed.data);
    return { fromMonth: parsed.data.fromMonth };
  });
}

/**
 * Pauses (no deduction) or stops from a payroll month. The row keeps the amount and goals in force
 * then, so the payroll list can say what stopped. A stop also drops any change planned after it: a
 * stop is the end, and a later planned row would otherwise start the deductions again.
 */
async function endPledge(ctx: ServiceContext, pledgeId: number, input: Record<string, unknown>, state: "paused" | "stopped", now: Date): Promise<{ fromMonth: string }> {
  const person = requirePerson(ctx);
  const parsed = pledgeMonthSchema.safeParse(formValues(input));
  if (!parsed.success) throw new Invalid("invalid_pledge", fieldErrorCodes(parsed.error));
  const month = parsed.data.fromMonth;
  return ctx.db.transaction(async (tx) => {
    const { pledge, rows } = await ownPledge(tx, person, pledgeId);
    checkMonthOpen(month, await firstOpenMonth(tx, pledge.programmeId, now), "fromMonth", ctx.locale);
    refuseIfStopped(rows, month, ctx.locale);
    const current = termsInForce(rows, month);
    if (!current || (state === "paused" && current.state !== "active")) throw new Conflict("pledge_not_active");
    const goals = current.goals;
    await writeTerms(tx, pledge.id, person, state, { kind: current.kind, amountOre: current.amountOre, rateTenths: current.rateTenths, goals, fromMonth: month });
    if (state === "stopped") await tx.delete(workplacePledgeTerms).where(and(eq(workplacePledgeTerms.pledgeId, pledge.id), gt(workplacePledgeTerms.fromMonth, month)));
    return { fromMonth: month };
  });
}

export function pausePledge(ctx: ServiceContext, pledgeId: number, input: Record<string, unknown>, now = new Date()) {
  return endPledge(ctx, pledgeId, input, "paused", now);
}

export function stopPledge(ctx: ServiceContext, pledgeId: number, input: Record<string, unknown>, now = new Date()) {
  return endPledge(ctx, pledgeId, input, "stopped", now);
}
