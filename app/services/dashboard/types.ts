import type { PaymentChannel } from "~db/schema/payments";

/**
 * What the fundraiser dashboard shows (fundraiserDashboard, dashboard.server.ts), as it crosses to the
 * page: money as öre strings (bigint does not cross JSON), days as `YYYY-MM-DD`, months as `YYYY-MM`.
 * Browser-safe: the page and the CSV tables (tables.ts) read the same shape.
 */

export interface DashboardPeriod {
  from: string;
  to: string;
  /** Every month the period touches, oldest first. */
  months: string[];
  /** True when the period is exactly one calendar year (the yearly target then compares directly). */
  calendarYear: boolean;
}

export interface MoneyBreakdown {
  raisedOre: string;
  /** Each channel with money (non-zero net) in the period, in the channel order. */
  byChannel: { channel: PaymentChannel; amountOre: string }[];
  /** month → channel → öre; months without money are absent. */
  byMonth: Record<string, Partial<Record<PaymentChannel, string>>>;
}

export interface GoalMoney extends MoneyBreakdown {
  id: number;
  number: number;
  slug: string;
  title: string;
  /** Null: staff have not set one (the page says so and links to where they set it). */
  targetOre: string | null;
}

export interface GiftFigures {
  count: number;
  sumOre: string;
  /** Null when there were no gifts. */
  averageOre: string | null;
  /** Share of the gifts' amount from recurring channels (monthly gifts, salary giving), per cent with one decimal; null without gifts. */
  recurringPercent: number | null;
  newMonthlyDonors: number;
  lapsedMonthlyDonors: number;
  activeMonthlyDonors: number;
}

export interface PartnershipStatusRow {
  status: string;
  count: number;
  agreedOre: string;
}

export interface RenewalRow {
  id: number;
  organisationId: number;
  organisation: string;
  goalNumber: number;
  goal: string;
  status: string;
  endsOn: string;
  agreedOre: string | null;
}

export interface FailedPaymentRow {
  id: string;
  createdAt: string;
  channel: string;
  amountOre: string;
  goalNumber: number | null;
  goal: string | null;
}

export interface PastDueRow {
  id: string;
  donor: string;
  amountOre: string;
  goalNumber: number | null;
  goal: string | null;
  since: string;
}

export interface AnomalyRow {
  id: string;
  paymentId: string | null;
  kind: string;
  createdAt: string;
}

export interface TaskRowLite {
  id: number;
  title: string;
  dueOn: string;
  assignee: string;
  organisation: { id: number; name: string } | null;
}

export interface TopRow {
  id: number;
  name: string;
  /** Where staff open it. */
  href: string;
  amountOre: string;
}

/** A list shown in part: the rows and how many there are in all. */
export interface Listed<T> {
  count: number;
  rows: T[];
}

export interface FundraiserDashboard {
  period: DashboardPeriod;
  goals: GoalMoney[];
  total: MoneyBreakdown;
  gifts: GiftFigures;
  partnerships: PartnershipStatusRow[];
  renewals: RenewalRow[];
  failed: Listed<FailedPaymentRow>;
  pastDue: Listed<PastDueRow>;
  anomalies: Listed<AnomalyRow>;
  tasks: { open: number; overdue: Listed<TaskRowLite> };
  top: { partners: TopRow[]; collections: TopRow[]; competitions: TopRow[] };
}
