import { sql, type SQL } from "drizzle-orm";
import type { DashboardPeriod } from "./types";

/**
 * The dashboard's period: inclusive Stockholm calendar days. The read model counts a ledger entry on
 * the Stockholm day it was written, so every other part of the dashboard cuts its rows the same way:
 * from 00:00 Stockholm time on `from` to 00:00 on the day after `to` (daylight saving included, by
 * PostgreSQL's time zone rules).
 */

/** 00:00 Stockholm time on `day`, as a timestamptz. */
export function stockholmMidnight(day: string): SQL {
  return sql`((${day}::date)::timestamp at time zone 'Europe/Stockholm')`;
}

/** 00:00 Stockholm time on the day after `day`: the exclusive end of an inclusive period. */
export function stockholmMidnightAfter(day: string): SQL {
  return sql`((${day}::date + 1)::timestamp at time zone 'Europe/Stockholm')`;
}

/** Every `YYYY-MM` from `from`'s month to `to`'s, oldest first (at most 121 for the 10-year limit). */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    months.push(month);
    if (month >= last) break;
    m += 1;
    if (m === 13) [y, m] = [y + 1, 1];
  }
  return months;
}

export function dashboardPeriod(from: string, to: string): DashboardPeriod {
  return { from, to, months: monthsOf(from, to), calendarYear: from.endsWith("-01-01") && to === `${from.slice(0, 4)}-12-31` };
}

/** `day` plus `days` calendar days, `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
