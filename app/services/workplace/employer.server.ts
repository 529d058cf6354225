import type { ServiceContext } from "~/services/context";

/** Fewer people than this and an aggregate is not shown (it would point at someone). */
export const MIN_AGGREGATE_PEOPLE = 3;

export interface EmployerOverview {
  programmeId: number;
  statedHeadcount: number | null;
  /** null when fewer than MIN_AGGREGATE_PEOPLE pledge. */
  pledgers: number | null;
  /** Pledgers ÷ stated headcount, in per cent with one decimal; null when hidden or unknown. */
  participationPercent: number | null;
  /** Per payroll month and goal: what the runs listed or the employer reported; rows of fewer than 3 people hidden. */
  totals: { month: string; goalId: number; goalNumber: number; goalName: string; amountOre: string; people: number }[];
  /** The employer's match per month, and the match used this calendar year. */
  match: { month: string; matchOre: string }[];
  matchUsedThisYearOre: string;
  runs: { id: number; month: string; status: string; employeesOre: string; matchOre: string; invoiceId: number | null }[];
  invoices: { id: number; number: string | null; month: string | null; status: string; totalOre: string; paidOre: string; dueDate: string }[];
}

/** The employer's view of its programme (issue 13 item 7): aggregates only. Its contacts and staff. */
export async function employerOverview(ctx: ServiceContext, organisationId: number): Promise<EmployerOverview | null> {
  void ctx;
  void organisationId;
  throw new Error("not implemented yet (wprog)");
}
