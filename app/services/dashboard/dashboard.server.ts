import { stockholmDay } from "~/utils/dates";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { partnershipPipeline } from "~/services/partners/partnerships-read.server";
import { parsePeriod, thisYearPeriod, type Period } from "~/services/reporting/totals.server";
import { anomaliesIn, failedPayments, monthlyDonors, pastDueMonthlyGifts, taskFigures } from "./attention.server";
import { giftFigures, moneyPerGoal } from "./money.server";
import { dashboardPeriod } from "./period";
import { renewalsDue, topCollections, topCompetitions, topPartners } from "./relations.server";
import type { FundraiserDashboard } from "./types";

/**
 * The fundraiser dashboard (/admin, issue 14 item 1): staff only. Money comes from the reporting read
 * model; everything else from small tables or partial indexes (see the parts), so it costs the same
 * with 10 000 or 1 000 000 payments (bench/dashboards.mjs measures this function).
 */

/** How many rows a list shows on the page; the CSV files take up to `CSV_ROWS`. */
export const PAGE_ROWS = 10;
export const CSV_ROWS = 1000;

export interface DashboardOptions {
  now?: Date;
  /** Rows per list (PAGE_ROWS on the page, CSV_ROWS in a CSV file). */
  rows?: number;
}

/**
 * Everything the dashboard shows for `period` (inclusive Stockholm days; an open side is this
 * year's). The period is trusted here: input from a person goes through `loadDashboard`.
 */
export async function fundraiserDashboard(ctx: ServiceContext, period: Period, opts: DashboardOptions = {}): Promise<FundraiserDashboard> {
  requireStaffActor(ctx);
  const now = opts.now ?? new Date();
  const limit = opts.rows ?? PAGE_ROWS;
  const year = thisYearPeriod(now);
  const range = { from: period.from ?? year.from, to: period.to ?? year.to };
  const today = stockholmDay(now);
  const { db, locale } = ctx;
  const [money, gifts, donors, pipeline, renewals, failed, pastDue, anomalies, tasks, partners, collections, competitions] = await Promise.all([
    moneyPerGoal(db, locale, range),
    giftFigures(db, range),
    monthlyDonors(db, range),
    partnershipPipeline(ctx),
    renewalsDue(db, locale, today, limit),
    failedPayments(db, locale, range, limit),
    pastDueMonthlyGifts(db, locale, limit),
    anomaliesIn(db, range, limit),
    taskFigures(db, today, limit),
    topPartners(db, range, limit),
    topCollections(db, range, limit),
    topCompetitions(db, range, limit),
  ]);
  return {
    period: dashboardPeriod(range.from, range.to),
    goals: money.goals,
    total: money.total,
    gifts: { ...gifts, ...donors },
    partnerships: pipeline.statuses.map((status, i) => ({ status, ...pipeline.total[i] })),
    renewals,
    failed,
    pastDue,
    anomalies,
    tasks,
    top: { partners, collections, competitions },
  };
}

/**
 * The dashboard for a period a person typed (`from`/`to` from the GET form: `YYYY-MM-DD` or
 * `YYYY-MM`, empty for this year's bound). Refused before anything is read: a bound that is not a
 * date, a reversed period or one over 10 years (Invalid with the field's code, a 400 next to it).
 */
export async function loadDashboard(
  ctx: ServiceContext,
  query: { from?: string | null; to?: string | null },
  opts: DashboardOptions = {},
): Promise<FundraiserDashboard> {
  requireStaffActor(ctx);
  const period = parsePeriod(query, thisYearPeriod(opts.now));
  return fundraiserDashboard(ctx, period, opts);
}
