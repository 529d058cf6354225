import { inArray, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { giftDaily, goals, ledgerDaily } from "~db/schema";
import { Invalid } from "~/services/errors";
import { stockholmDay } from "~/utils/dates";

/**
 * Reads of the reporting read model (db/schema/reporting.ts). Everything here sums ledger_daily /
 * gift_daily, whose size grows with goals × channels × days, so a dashboard or /api/transparency costs
 * the same with 10 000 or 1 000 000 payments. Days are Stockholm calendar days; a month is `YYYY-MM`.
 *
 * These are reads of public totals (the transparency page shows them to anyone): callers that show
 * them to a narrower audience check access themselves (the staff dashboard's service does).
 */

type Conn = Db | Tx;

/** An inclusive range of Stockholm days, `YYYY-MM-DD`; null: open on that side. */
export interface Period {
  from: string | null;
  to: string | null;
}

export type PeriodGrain = "month" | "day";

export interface LedgerTotal {
  goalId: number;
  channel: string;
  /** `YYYY-MM` (by month) or `YYYY-MM-DD` (by day). */
  period: string;
  /** Net of reversals, corrections and reallocations. */
  amountOre: bigint;
}

export interface GiftStat {
  /** Null: undesignated gifts. */
  goalId: number | null;
  channel: string;
  /** `YYYY-MM`, `YYYY-MM-DD`, or null with `by: "total"`. */
  period: string | null;
  /** Paid SEK payments, each counted once (refunds do not uncount one). */
  gifts: number;
  /** Their gross amount. */
  amountOre: bigint;
}

/** Longest period a report may ask for (issue 14, "Bad input"). */
export const MAX_PERIOD_YEARS = 10;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const monthPattern = /^(\d{4})-(\d{2})$/;

/** A real calendar day as `YYYY-MM-DD`, or null (2026-02-30, 2026-13-01, "igår" are not days). */
function realDay(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function lastDayOfMonth(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** One bound: `YYYY-MM-DD`, or `YYYY-MM` meaning the month's first (from) or last (to) day. */
function parseBound(value: string, side: "from" | "to"): string | null {
  const v = value.trim();
  const day = dayPattern.exec(v);
  if (day) return realDay(Number(day[1]), Number(day[2]), Number(day[3]));
  const month = monthPattern.exec(v);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (realDay(y, m, 1) === null) return null;
    return side === "from" ? realDay(y, m, 1) : lastDayOfMonth(y, m);
  }
  return null;
}

/** This calendar year in Stockholm, to its last day: the dashboard's default period. */
export function thisYearPeriod(now: Date = new Date()): {
  from: string;
  to: string;
} {
  const year = stockholmDay(now).slice(0, 4);
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/**
 * A period from user input (query string or form): each bound `YYYY-MM-DD` or `YYYY-MM`; a missing
 * or empty bound takes the fallback's. Refused with field codes (Invalid, a 400):
 * `period_not_a_date` (from/to), `period_reversed` (to before from), `period_too_long` (more than
 * MAX_PERIOD_YEARS years).
 */
export function parsePeriod(input: { from?: string | null; to?: string | null }, fallback: Period = { from: null, to: null }): Period {
  const errors: Record<string, string> = {};
  const read = (side: "from" | "to"): string | null => {
    const raw = input[side];
    if (raw === undefined || raw === null || raw.trim() === "") return fallback[side];
    const parsed = parseBound(raw, side);
    if (parsed === null) errors[side] = "period_not_a_date";
    return parsed;
  };
  const from = read("from");
  const to = read("to");
  if (Object.keys(errors).length) throw new Invalid("period_invalid", errors);
  if (from && to) {
    if (to < from) throw new Invalid("period_invalid", { to: "period_reversed" });
    const limit = new Date(`${from}T00:00:00Z`);
    limit.setUTCFullYear(limit.getUTCFullYear() + MAX_PERIOD_YEARS);
    if (to >= limit.toISOString().slice(0, 10)) throw new Invalid("period_invalid", { to: "period_too_long" });
  }
  return { from, to };
}

/** Refuses goal ids that name no goal (a 400 next to the goal field, not an empty report). */
async function checkGoalIds(db: Conn, goalIds: number[] | undefined): Promise<void> {
  if (!goalIds || goalIds.length === 0) return;
  const wanted = [...new Set(goalIds)];
  if (wanted.some((id) => !Number.isSafeInteger(id))) throw new Invalid("goal_unknown", { goal: "goal_unknown" });
  const rows = await db.select({ id: goals.id }).from(goals);
  const known = new Set(rows.map((r) => r.id));
  if (wanted.some((id) => !known.has(id))) throw new Invalid("goal_unknown", { goal: "goal_unknown" });
}

function periodExpr(column: typeof ledgerDaily.day | typeof giftDaily.day, by: PeriodGrain) {
  return by === "month" ? sql<string>`to_char(${column}, 'YYYY-MM')` : sql<string>`to_char(${column}, 'YYYY-MM-DD')`;
}

/**
 * Net ledger money per goal × channel × month (or day) in the period, oldest first. Every
 * (goal, channel, period) with at least one entry is present, even when its entries net to 0.
 */
export async function ledgerTotals(db: Conn, input: Period & { goalIds?: number[]; by: PeriodGrain }): Promise<LedgerTotal[]> {
  await checkGoalIds(db, input.goalIds);
  const period = periodExpr(ledgerDaily.day, input.by);
  const where = [
    input.from ? sql`${ledgerDaily.day} >= ${input.from}::date` : undefined,
    input.to ? sql`${ledgerDaily.day} <= ${input.to}::date` : undefined,
    input.goalIds?.length ? inArray(ledgerDaily.goalId, input.goalIds) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await rowsOf<{
    goal_id: number;
    channel: string;
    period: string;
    amount_ore: string;
  }>(
    db,
    sql`
    select ${ledgerDaily.goalId} as goal_id, ${ledgerDaily.channel} as channel, ${period} as period, sum(${ledgerDaily.amountOre})::text as amount_ore
      from ${ledgerDaily}
     ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
     group by 1, 2, 3
    having sum(${ledgerDaily.entries}) > 0
     order by 3, 1, 2`
  );
  return rows.map((r) => ({
    goalId: Number(r.goal_id),
    channel: r.channel,
    period: r.period,
    amountOre: BigInt(r.amount_ore),
  }));
}

/**
 * Gifts (paid SEK payments) per goal-or-undesignated × channel, in total or per month/day, in the
 * period: counts, gross sums; an average is amountOre / gifts, the recurring share the monthly_gift
 * channel's part.
 */
export async function giftStats(db: Conn, input: Period & { goalIds?: number[]; by?: PeriodGrain | "total" }): Promise<GiftStat[]> {
  await checkGoalIds(db, input.goalIds);
  const by = input.by ?? "total";
  const period = by === "total" ? sql<string | null>`null::text` : periodExpr(giftDaily.day, by);
  const where = [
    input.from ? sql`${giftDaily.day} >= ${input.from}::date` : undefined,
    input.to ? sql`${giftDaily.day} <= ${input.to}::date` : undefined,
    input.goalIds?.length ? inArray(giftDaily.goalId, input.goalIds) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await rowsOf<{
    goal_id: number | null;
    channel: string;
    period: string | null;
    gifts: string;
    amount_ore: string;
  }>(
    db,
    sql`
    select ${giftDaily.goalId} as goal_id, ${giftDaily.channel} as channel, ${period} as period,
           sum(${giftDaily.gifts})::text as gifts, sum(${giftDaily.amountOre})::text as amount_ore
      from ${giftDaily}
     ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
     group by 1, 2, 3
    having sum(${giftDaily.gifts}) <> 0
     order by 3 nulls first, 1 nulls first, 2`
  );
  return rows.map((r) => ({
    goalId: r.goal_id === null ? null : Number(r.goal_id),
    channel: r.channel,
    period: r.period,
    gifts: Number(r.gifts),
    amountOre: BigInt(r.amount_ore),
  }));
}

/** What the sources say the aggregates should hold, as SQL (shared by the rebuild and the check). */
const ledgerDailyFromSource = sql`
  select goal_id, channel, (created_at at time zone 'Europe/Stockholm')::date as day, 0::smallint as slot,
         sum(amount_ore) as amount_ore, count(*)::int as entries
    from ledger_entries group by 1, 2, 3`;
const giftDailyFromSource = sql`
  select goal_id, channel, (coalesce(paid_at, created_at) at time zone 'Europe/Stockholm')::date as day, 0::smallint as slot,
         count(*)::int as gifts, sum(amount_ore) as amount_ore
    from payments where status = 'paid' and currency = 'sek' group by 1, 2, 3`;

/**
 * Recomputes both aggregate tables from ledger_entries and payments, in one transaction that holds
 * off writers to the sources (SHARE locks) so nothing slips in between the delete and the insert.
 * For repair and for the tests; the triggers keep them exact on their own.
 */
export async function rebuildReportingAggregates(db: Db): Promise<{ ledgerRows: number; giftRows: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table ledger_entries, payments in share mode`);
    await tx.execute(sql`delete from ledger_daily`);
    await tx.execute(sql`delete from gift_daily`);
    await tx.execute(sql`insert into ledger_daily (goal_id, channel, day, slot, amount_ore, entries) ${ledgerDailyFromSource}`);
    await tx.execute(sql`insert into gift_daily (goal_id, channel, day, slot, gifts, amount_ore) ${giftDailyFromSource}`);
    const [l] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from ledger_daily`);
    const [g] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from gift_daily`);
    return { ledgerRows: Number(l.n), giftRows: Number(g.n) };
  });
}

/**
 * The (goal, channel, day) keys where the aggregates and their sources disagree; empty when exact.
 * Slots are summed; keys whose counts net to zero are the same as absent.
 */
export async function reportingDiscrepancies(db: Conn): Promise<
  {
    table: "ledger_daily" | "gift_daily";
    key: string;
    aggregate: string;
    source: string;
  }[]
> {
  const ledger = await rowsOf<{
    key: string;
    aggregate: string;
    source: string;
  }>(
    db,
    sql`
    with agg as (select goal_id, channel, day, sum(amount_ore) as amount_ore, sum(entries) as entries from ledger_daily group by 1, 2, 3 having sum(entries) <> 0),
         src as (${ledgerDailyFromSource})
    select concat_ws('/', coalesce(a.goal_id, s.goal_id), coalesce(a.channel, s.channel), coalesce(a.day, s.day)) as key,
           concat_ws(' ', a.amount_ore, a.entries) as aggregate, concat_ws(' ', s.amount_ore, s.entries) as source
      from agg a full join src s on a.goal_id = s.goal_id and a.channel = s.channel and a.day = s.day
     where a.amount_ore is distinct from s.amount_ore or a.entries is distinct from s.entries`
  );
  const gifts = await rowsOf<{
    key: string;
    aggregate: string;
    source: string;
  }>(
    db,
    sql`
    with agg as (select goal_id, channel, day, sum(gifts) as gifts, sum(amount_ore) as amount_ore from gift_daily group by 1, 2, 3 having sum(gifts) <> 0 or sum(amount_ore) <> 0),
         src as (${giftDailyFromSource})
    select concat_ws('/', coalesce(a.goal_id, s.goal_id, 0), coalesce(a.channel, s.channel), coalesce(a.day, s.day)) as key,
           concat_ws(' ', a.amount_ore, a.gifts) as aggregate, concat_ws(' ', s.amount_ore, s.gifts) as source
      from agg a full join src s on a.goal_id is not distinct from s.goal_id and a.channel = s.channel and a.day = s.day
     where a.amount_ore is distinct from s.amount_ore or a.gifts is distinct from s.gifts`
  );
  return [...ledger.map((r) => ({ table: "ledger_daily" as const, ...r })), ...gifts.map((r) => ({ table: "gift_daily" as const, ...r }))];
}

/** Raw SQL's rows: db.execute answers an array (postgres.js) or `{ rows }` (PGlite). */
async function rowsOf<T>(db: Conn, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows?: T[] }).rows ?? []) as T[];
}
