import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { goals, invoices, payrollRunLines, payrollRuns, workplacePledgeTerms, workplacePledges } from "~db/schema";
import { requireOrganisationActor, type ServiceContext } from "~/services/context";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { loadProgramme } from "./programme.server";

/** Fewer people than this and an aggregate is not shown (it would point at someone). */
export const MIN_AGGREGATE_PEOPLE = 3;

export interface EmployerOverview {
  programmeId: number;
  statedHeadcount: number | null;
  /** Pledges in force this month; null when fewer than MIN_AGGREGATE_PEOPLE. */
  pledgers: number | null;
  /** Pledgers ÷ stated headcount in per cent, one decimal; null when hidden or no headcount. */
  participationPercent: number | null;
  /** Confirmed months per goal: what the employer deducted; rows of fewer than 3 people left out. */
  totals: { month: string; goalId: number; goalNumber: number; goalTitle: string; amountOre: string; people: number }[];
  /** Whether some rows were left out for having fewer than 3 people. */
  totalsHidden: boolean;
  /** The employer's match per confirmed month (left out for a month of fewer than 3 people). */
  match: { month: string; matchOre: string }[];
  /** The match of this calendar year's confirmed months; null when fewer than 3 people gave in them. */
  matchUsedThisYearOre: string | null;
  /** The runs; their sums are null for a run of fewer than 3 people (its payroll list has the names). */
  runs: { id: number; month: string; status: string; employeesOre: string | null; matchOre: string | null; invoiceId: number | null }[];
  invoices: { id: number; runId: number | null; month: string | null; number: string | null; status: string; totalOre: string; paidOre: string; dueDate: string; carriedToNumber: string | null }[];
}

/** The first day of the Stockholm month `now` is in (YYYY-MM-01). */
function currentMonth(now: Date): string {
  return `${swedishDate(now).slice(0, 7)}-01`;
}

/**
 * The employer's view of its programme (issue 13 item 7). Aggregates only: no name, no person's
 * amount, nothing about an employee's other gifts; a figure made of fewer than three people is left
 * out (an employer could otherwise read one colleague's gift from it). Names and amounts are in the
 * payroll list of the month being deducted, which is the payroll run's page, not this. Contacts and staff.
 */
export async function employerOverview(ctx: ServiceContext, organisationId: number, now = new Date()): Promise<EmployerOverview | null> {
  requireOrganisationActor(ctx, organisationId);
  const programme = await loadProgramme(ctx.db, { organisationId });
  if (!programme) return null;
  const en = ctx.locale === "en";

  // The terms in force this month: per pledge the row with the latest fromMonth ≤ this month.
  const inForce = await ctx.db
    .selectDistinctOn([workplacePledgeTerms.pledgeId], { pledgeId: workplacePledgeTerms.pledgeId, state: workplacePledgeTerms.state })
    .from(workplacePledgeTerms)
    .innerJoin(workplacePledges, eq(workplacePledges.id, workplacePledgeTerms.pledgeId))
    .where(and(eq(workplacePledges.programmeId, programme.id), lte(workplacePledgeTerms.fromMonth, currentMonth(now))))
    .orderBy(workplacePledgeTerms.pledgeId, desc(workplacePledgeTerms.fromMonth));
  const active = inForce.filter((t) => t.state === "active").length;
  const pledgers = active >= MIN_AGGREGATE_PEOPLE ? active : null;
  const participationPercent = pledgers !== null && programme.statedHeadcount ? Math.round((pledgers / programme.statedHeadcount) * 1000) / 10 : null;

  const runs = await ctx.db
    .select({ id: payrollRuns.id, month: payrollRuns.month, status: payrollRuns.status, employeesOre: payrollRuns.employeesOre, matchOre: payrollRuns.matchOre, invoiceId: payrollRuns.invoiceId })
    .from(payrollRuns)
    .where(eq(payrollRuns.programmeId, programme.id))
    .orderBy(desc(payrollRuns.month));
  const confirmed = runs.filter((r) => r.status === "confirmed");
  const confirmedIds = confirmed.map((r) => r.id);

  const amount = sql<string>`coalesce(sum(coalesce(${payrollRunLines.reportedOre}, ${payrollRunLines.amountOre})), 0)`;
  const people = sql<number>`count(distinct ${payrollRunLines.pledgeId})`.mapWith(Number);
  const perGoal = confirmedIds.length
    ? await ctx.db
        .select({ runId: payrollRunLines.runId, goalId: payrollRunLines.goalId, amountOre: amount, people })
        .from(payrollRunLines)
        .where(and(inArray(payrollRunLines.runId, confirmedIds), eq(payrollRunLines.kind, "employee")))
        .groupBy(payrollRunLines.runId, payrollRunLines.goalId)
    : [];
  const perRun = runs.length
    ? await ctx.db
        .select({ runId: payrollRunLines.runId, people })
        .from(payrollRunLines)
        .where(and(inArray(payrollRunLines.runId, runs.map((r) => r.id)), eq(payrollRunLines.kind, "employee")))
        .groupBy(payrollRunLines.runId)
    : [];
  const year = swedishDate(now).slice(0, 4);
  const thisYearIds = confirmed.filter((r) => r.month.startsWith(year)).map((r) => r.id);
  const [yearPeople] = thisYearIds.length
    ? await ctx.db
        .select({ people })
        .from(payrollRunLines)
        .where(and(inArray(payrollRunLines.runId, thisYearIds), eq(payrollRunLines.kind, "employee")))
    : [{ people: 0 }];

  const goalRows = await ctx.db.select({ id: goals.id, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  const goalOf = new Map(goalRows.map((g) => [g.id, g]));
  const monthOf = new Map(runs.map((r) => [r.id, r.month]));
  const peopleOfRun = new Map(perRun.map((r) => [r.runId, r.people]));
  const totals = perGoal
    .filter((row) => row.people >= MIN_AGGREGATE_PEOPLE)
    .map((row) => {
      const g = goalOf.get(row.goalId);
      return { month: monthOf.get(row.runId)!, goalId: row.goalId, goalNumber: g?.number ?? 0, goalTitle: (en ? g?.titleEn : g?.titleSv) ?? "", amountOre: BigInt(row.amountOre).toString(), people: row.people };
    })
    .sort((a, b) => b.month.localeCompare(a.month) || a.goalNumber - b.goalNumber);
  const match = confirmed.filter((r) => (peopleOfRun.get(r.id) ?? 0) >= MIN_AGGREGATE_PEOPLE).map((r) => ({ month: r.month, matchOre: r.matchOre.toString() }));
  const yearMatch = confirmed.filter((r) => r.month.startsWith(year)).reduce((sum, r) => sum + r.matchOre, 0n);

  const runIds = runs.map((r) => r.id);
  const invoiceRows = runIds.length
    ? await ctx.db
        .select({ id: invoices.id, runId: invoices.payrollRunId, number: invoices.number, status: invoices.status, totalOre: invoices.totalOre, paidOre: invoices.paidOre, dueDate: invoices.dueDate, carriedTo: invoices.carriedToInvoiceId })
        .from(invoices)
        .where(and(inArray(invoices.payrollRunId, runIds), eq(invoices.organisationId, organisationId), sql`${invoices.status} <> 'draft'`))
        .orderBy(desc(invoices.issueDate), desc(invoices.id))
    : [];

  return {
    programmeId: programme.id,
    statedHeadcount: programme.statedHeadcount,
    pledgers,
    participationPercent,
    totals,
    totalsHidden: perGoal.some((row) => row.people < MIN_AGGREGATE_PEOPLE),
    match,
    matchUsedThisYearOre: (yearPeople?.people ?? 0) >= MIN_AGGREGATE_PEOPLE ? yearMatch.toString() : null,
    runs: runs.map((r) => {
      const shown = (peopleOfRun.get(r.id) ?? 0) >= MIN_AGGREGATE_PEOPLE;
      return { id: r.id, month: r.month, status: r.status, employeesOre: shown ? r.employeesOre.toString() : null, matchOre: shown ? r.matchOre.toString() : null, invoiceId: r.invoiceId };
    }),
    invoices: invoiceRows.map((i) => ({
      id: i.id,
      runId: i.runId,
      month: i.runId !== null ? (monthOf.get(i.runId) ?? null) : null,
      number: i.number?.toString() ?? null,
      status: i.status,
      totalOre: i.totalOre.toString(),
      paidOre: i.paidOre.toString(),
      dueDate: i.dueDate,
      // A shortfall carried onto a later month's invoice (difference rule carry), which is in this list too.
      carriedToNumber: i.carriedTo === null ? null : (invoiceRows.find((o) => o.id === i.carriedTo)?.number?.toString() ?? null),
    })),
  };
}
