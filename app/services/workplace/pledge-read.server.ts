import { and, asc, eq, getTableColumns, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, payments, payrollRunLines, payrollRuns, people, workplacePledges, workplacePledgeTerms, type WorkplaceGoalShare } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { requirePerson, type ServiceContext } from "~/services/context";
import { runBuilt, type PreparedStatements } from "~/services/payments/hot-queries.server";
import { addMonths, monthChoices, monthOf, termsInForce, type TermsState } from "./pledge-months";
import { firstOpenMonth, loadProgramme, programmeGoals, rulesOf, type GoalChoice } from "./pledge-rules.server";

/** A pledge's terms as the payroll run and the pages read them. */
export interface PledgeTerms {
  fromMonth: string;
  state: TermsState;
  kind: "fixed" | "per_mille";
  /** Fixed: öre a month; null for a per-mille. */
  amountOre: bigint | null;
  /** Per-mille × 10; null for a fixed amount. */
  rateTenths: number | null;
  goals: WorkplaceGoalShare[];
}

/** One pledge of a programme for a payroll month (see `pledgeTermsForMonth`). */
export interface PledgeForMonth {
  pledgeId: number;
  personId: number;
  /** The employee's name as their account has it (the join form asks for it); the payroll list shows it. */
  name: string;
  employeeNumber: string | null;
  /** In force for the month; null when the pledge starts later. */
  terms: PledgeTerms | null;
  /** In force for the month before; null when the pledge is new this month (or starts later). */
  previous: PledgeTerms | null;
}

function termsOf(row: typeof workplacePledgeTerms.$inferSelect): PledgeTerms {
  return { fromMonth: row.fromMonth, state: row.state, kind: row.kind, amountOre: row.amountOre, rateTenths: row.rateTenths, goals: row.goals };
}

/**
 * Every pledge of a programme with its terms for `month` (first day, "2026-12-01") and for the month
 * before, for the monthly payroll run (payroll's `runPayrollMonth` calls it inside its transaction,
 * after its own access check). Pledges whose first terms start after the month are left out; the
 * caller decides new / changed / paused / stopped from `terms` and `previous` (`pledgeChange`).
 * Two queries whatever the size (bench:payroll runs 10,000 pledges).
 */
export async function pledgeTermsForMonth(db: Db | Tx, programmeId: number, month: string, statements?: PreparedStatements): Promise<PledgeForMonth[]> {
  // Both reads at once, built with placeholders: the payroll run passes its prepared statements
  // (payroll-statements.server.ts), so they go to PostgreSQL together with the run's other reads.
  const values = { programmeId, month };
  const [pledges, rows] = await Promise.all([
    runBuilt<{ pledgeId: number; personId: number; name: string | null; email: string; employeeNumber: string | null }>(
      db,
      "pledge_terms_for_month_pledges",
      () =>
        db
          .select({ pledgeId: workplacePledges.id, personId: workplacePledges.personId, name: people.name, email: people.email, employeeNumber: workplacePledges.employeeNumber })
          .from(workplacePledges)
          .innerJoin(people, eq(people.id, workplacePledges.personId))
          .where(eq(workplacePledges.programmeId, sql.placeholder("programmeId")))
          .orderBy(asc(workplacePledges.id)),
      values,
      statements,
    ),
    runBuilt<typeof workplacePledgeTerms.$inferSelect>(
      db,
      "pledge_terms_for_month_terms",
      () =>
        db
          .select(getTableColumns(workplacePledgeTerms))
          .from(workplacePledgeTerms)
          .innerJoin(workplacePledges, eq(workplacePledges.id, workplacePledgeTerms.pledgeId))
          .where(and(eq(workplacePledges.programmeId, sql.placeholder("programmeId")), lte(workplacePledgeTerms.fromMonth, sql.placeholder("month")))),
      values,
      statements,
    ),
  ]);
  if (!pledges.length) return [];
  const byPledge = new Map<number, (typeof workplacePledgeTerms.$inferSelect)[]>();
  for (const t of rows) {
    const list = byPledge.get(t.pledgeId) ?? [];
    list.push(t);
    byPledge.set(t.pledgeId, list);
  }
  const before = addMonths(month, -1);
  const out: PledgeForMonth[] = [];
  for (const p of pledges) {
    const list = byPledge.get(p.pledgeId) ?? [];
    const now = termsInForce(list, month);
    if (!now) continue;
    const prev = termsInForce(list, before);
    out.push({ pledgeId: p.pledgeId, personId: p.personId, name: p.name ?? p.email, employeeNumber: p.employeeNumber, terms: termsOf(now), previous: prev ? termsOf(prev) : null });
  }
  return out;
}

/**
 * What the payroll list says about a pledge this month. A pledge that was stopped or paused already
 * last month is "unchanged" (and deducts nothing); the caller lists only what it needs.
 */
export function pledgeChange(entry: Pick<PledgeForMonth, "terms" | "previous">): "new" | "changed" | "paused" | "stopped" | "unchanged" {
  const { terms, previous } = entry;
  if (!terms) return "unchanged";
  if (terms.state === "stopped") return previous?.state === "stopped" ? "unchanged" : "stopped";
  if (terms.state === "paused") return previous?.state === "paused" ? "unchanged" : "paused";
  if (!previous || previous.state === "stopped") return "new";
  if (previous.state === "paused") return "changed";
  const same = previous.kind === terms.kind && previous.amountOre === terms.amountOre && previous.rateTenths === terms.rateTenths && JSON.stringify(previous.goals) === JSON.stringify(terms.goals);
  return same ? "unchanged" : "changed";
}

/** One goal's part of a deducted month in the employee's history. */
export interface DeductedLine {
  month: string;
  goalId: number;
  goalNumber: number;
  goalTitle: string;
  /** Öre as a string (loader data is JSON). */
  amountOre: string;
  /** Whether the employer's payment for it has come in (the invoice paid, the payment recorded). */
  paid: boolean;
}

/**
 * The months deducted from one person's pay: lines of runs the employer confirmed, with what the
 * employer reported (or, for a fixed pledge as listed, the listed amount). Only the person's own
 * pledges' employee lines; never the match, never anyone else.
 */
export async function deductedLines(db: Db | Tx, pledgeIds: number[], locale: Locale, range: { from?: string; to?: string } = {}): Promise<Map<number, DeductedLine[]>> {
  const out = new Map<number, DeductedLine[]>();
  if (!pledgeIds.length) return out;
  const rows = await db
    .select({
      pledgeId: payrollRunLines.pledgeId,
      lineId: payrollRunLines.id,
      month: payrollRuns.month,
      goalId: payrollRunLines.goalId,
      goalNumber: goals.number,
      goalTitle: locale === "en" ? goals.titleEn : goals.titleSv,
      listedOre: payrollRunLines.amountOre,
      reportedOre: payrollRunLines.reportedOre,
    })
    .from(payrollRunLines)
    .innerJoin(payrollRuns, eq(payrollRuns.id, payrollRunLines.runId))
    .innerJoin(goals, eq(goals.id, payrollRunLines.goalId))
    .where(and(inArray(payrollRunLines.pledgeId, pledgeIds), eq(payrollRunLines.kind, "employee"), isNotNull(payrollRuns.confirmedAt)))
    .orderBy(asc(payrollRuns.month), asc(payrollRunLines.goalId));
  const lineIds = rows.map((r) => r.lineId);
  const paidLines = new Set<number>();
  if (lineIds.length) {
    const paidRows = await db
      .select({ lineId: payments.payrollRunLineId })
      .from(payments)
      .where(and(inArray(payments.payrollRunLineId, lineIds), eq(payments.status, "paid")));
    for (const r of paidRows) if (r.lineId !== null) paidLines.add(r.lineId);
  }
  for (const r of rows) {
    if (r.pledgeId === null) continue;
    if ((range.from && r.month < range.from) || (range.to && r.month > range.to)) continue;
    const amountOre = r.reportedOre ?? r.listedOre ?? 0n;
    if (amountOre === 0n) continue;
    const list = out.get(r.pledgeId) ?? [];
    list.push({ month: r.month, goalId: r.goalId, goalNumber: r.goalNumber, goalTitle: r.goalTitle, amountOre: amountOre.toString(), paid: paidLines.has(r.lineId) });
    out.set(r.pledgeId, list);
  }
  return out;
}

/** Terms for a page: öre as a string. */
export type PledgeTermsView = Omit<PledgeTerms, "amountOre"> & { amountOre: string | null };

function viewOf(t: PledgeTerms): PledgeTermsView {
  return { ...t, amountOre: t.amountOre?.toString() ?? null };
}

/** One of the person's pledges on /workplace. */
export interface MyPledge {
  pledgeId: number;
  organisationName: string;
  programmeClosed: boolean;
  employeeNumber: string | null;
  /** In force this month (null: starts later). */
  current: PledgeTermsView | null;
  /** Every terms row, oldest first (planned ones included). */
  terms: PledgeTermsView[];
  /** The first payroll month a change may start, and the months the forms offer. */
  firstOpen: string;
  months: string[];
  rules: { minimumOre: string; perMilleOffered: boolean; goalIds: number[] };
  goals: GoalChoice[];
  history: DeductedLine[];
}

/** The signed-in person's own workplace pledges (none for anyone else: the query is by their person id). */
export async function myWorkplaceGiving(ctx: ServiceContext, now = new Date()): Promise<MyPledge[]> {
  const person = requirePerson(ctx);
  const pledges = await ctx.db.select().from(workplacePledges).where(eq(workplacePledges.personId, person.personId)).orderBy(asc(workplacePledges.id));
  if (!pledges.length) return [];
  const ids = pledges.map((p) => p.id);
  const termRows = await ctx.db.select().from(workplacePledgeTerms).where(inArray(workplacePledgeTerms.pledgeId, ids)).orderBy(asc(workplacePledgeTerms.fromMonth));
  const history = await deductedLines(ctx.db, ids, ctx.locale);
  const thisMonth = monthOf(now);
  const out: MyPledge[] = [];
  for (const pledge of pledges) {
    const loaded = await loadProgramme(ctx.db, pledge.programmeId);
    if (!loaded) continue;
    const goals = await programmeGoals(ctx.db, loaded.programme, ctx.locale);
    const rows = termRows.filter((t) => t.pledgeId === pledge.id).map((t) => viewOf(termsOf(t)));
    const firstOpen = await firstOpenMonth(ctx.db, pledge.programmeId, now);
    const rules = rulesOf(loaded.programme, goals);
    out.push({
      pledgeId: pledge.id,
      organisationName: loaded.organisationName,
      programmeClosed: loaded.programme.status !== "active",
      employeeNumber: pledge.employeeNumber,
      current: termsInForce(rows, thisMonth),
      terms: rows,
      firstOpen,
      months: monthChoices(firstOpen),
      rules: { minimumOre: String(rules.minimumOre), perMilleOffered: rules.perMilleOffered, goalIds: rules.goalIds },
      goals,
      history: history.get(pledge.id) ?? [],
    });
  }
  return out;
}
