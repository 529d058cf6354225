import { and, asc, desc, gte, inArray, lt, sql } from "drizzle-orm";
import { allocationRules, allocationShares, goals, ledgerDaily, ledgerEntries, paymentChannels, type Goal } from "~db/schema";
import type { ServiceContext } from "~/services/context";
import { Invalid, NotFound } from "~/services/errors";
import { ledgerTotals, parsePeriod, type Period } from "./totals.server";

/**
 * Public transparency (issue 14 item 2): what came in per goal, channel and month, how undesignated
 * money is split and was split, and what staff corrected or moved and why. Public facts only: it
 * reads the aggregates, goals, the allocation rules and the staff entries' reasons; never a payment's
 * donor, and not the staff author either (an address of a person). Open to everyone, so no access check.
 */

const monthPattern = /^\d{4}-\d{2}$/;

/** `?from=YYYY-MM&to=YYYY-MM` (either may be missing); a day, a reversed range or over ten years → 400. */
export function parseMonthRange(input: { from?: string | null; to?: string | null }): Period {
  const errors: Record<string, string> = {};
  for (const side of ["from", "to"] as const) {
    const v = input[side]?.trim();
    if (v && !monthPattern.test(v)) errors[side] = "period_not_a_month";
  }
  if (Object.keys(errors).length) throw new Invalid("period_invalid", errors);
  return parsePeriod(input);
}

async function goalsFor(ctx: ServiceContext, slug: string | null | undefined): Promise<Goal[]> {
  const all = await ctx.db.select().from(goals).orderBy(asc(goals.number));
  if (slug !== undefined && slug !== null && slug.trim() === "") return all;
  if (!slug) return all;
  const one = all.filter((g) => g.slug === slug);
  if (one.length === 0) throw new NotFound("goal_not_found");
  return one;
}

/**
 * Each goal's balance: the sum of all its entries, read from the aggregate (same number as /api/goals).
 * Unnarrowed, the months already hold every entry, so their sum is the balance and no second read is needed.
 */
async function balances(ctx: ServiceContext, period: Period, totals: { goalId: number; amountOre: bigint }[]): Promise<Map<number, bigint>> {
  if (!period.from && !period.to) {
    // Every entry of the goals asked for is in `totals`.
    const sums = new Map<number, bigint>();
    for (const t of totals) sums.set(t.goalId, (sums.get(t.goalId) ?? 0n) + t.amountOre);
    return sums;
  }
  const rows = await ctx.db
    .select({ goalId: ledgerDaily.goalId, total: sql<string>`sum(${ledgerDaily.amountOre})::text` })
    .from(ledgerDaily)
    .groupBy(ledgerDaily.goalId);
  return new Map(rows.map((r) => [r.goalId, BigInt(r.total)]));
}

export interface TransparencyJson {
  currency: "sek";
  goals: { slug: string; balanceOre: number; months: { month: string; byChannel: Record<string, number> }[] }[];
}

/**
 * GET /api/transparency (DESIGN.md): per goal its balance and every month with ledger entries, oldest
 * first, per channel, net of reversals (so, unnarrowed, the months add up to the balance); `from`/`to`
 * narrow the months, the balance stays the goal's balance.
 */
export async function transparencyJson(ctx: ServiceContext, input: { from?: string | null; to?: string | null; goal?: string | null }): Promise<TransparencyJson> {
  const period = parseMonthRange(input);
  const list = await goalsFor(ctx, input.goal);
  const totals = await ledgerTotals(ctx.db, { ...period, by: "month", goalIds: input.goal ? list.map((g) => g.id) : undefined });
  const balance = await balances(ctx, period, totals);
  return {
    currency: "sek",
    goals: list.map((g) => {
      const months = new Map<string, Record<string, number>>();
      for (const t of totals) {
        if (t.goalId !== g.id) continue;
        const m = months.get(t.period) ?? {};
        m[t.channel] = Number(t.amountOre);
        months.set(t.period, m);
      }
      return { slug: g.slug, balanceOre: Number(balance.get(g.id) ?? 0n), months: [...months].map(([month, byChannel]) => ({ month, byChannel })) };
    }),
  };
}

export interface MonthRow {
  month: string;
  byChannel: Record<string, string>;
  totalOre: string;
}

export interface TransparencyPage {
  period: { from: string | null; to: string | null };
  channels: string[];
  /** Every goal (the allocation tables name them all, also when the page shows one). */
  allGoals: { slug: string; number: number; titleSv: string; titleEn: string }[];
  goals: { slug: string; number: number; titleSv: string; titleEn: string; balanceOre: string; periodOre: string; months: MonthRow[] }[];
  total: { balanceOre: string; periodOre: string; months: MonthRow[] };
  allocation: {
    /** Null: no rule saved, undesignated money is split equally. */
    current: { validFrom: string; shares: { number: number; basisPoints: number }[] } | null;
    history: { validFrom: string; validTo: string | null; note: string | null; shares: { number: number; basisPoints: number }[] }[];
  };
  corrections: { at: string; kind: "correction" | "reallocation"; goalNumber: number; otherGoalNumber: number | null; channel: string; amountOre: string; reason: string | null }[];
}

function monthRows(totals: { period: string; channel: string; amountOre: bigint }[]): MonthRow[] {
  const months = new Map<string, Map<string, bigint>>();
  for (const t of totals) {
    const m = months.get(t.period) ?? new Map<string, bigint>();
    m.set(t.channel, (m.get(t.channel) ?? 0n) + t.amountOre);
    months.set(t.period, m);
  }
  return [...months]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, m]) => ({
      month,
      byChannel: Object.fromEntries([...m].map(([c, v]) => [c, v.toString()])),
      totalOre: [...m.values()].reduce((a, v) => a + v, 0n).toString(),
    }));
}

/** How many corrections and moves /insyn lists (newest first) for a period. */
const CORRECTIONS_SHOWN = 100;

/** What /insyn shows: the months per goal and in total, the allocation rule and its history, corrections and moves with their reasons. */
export async function transparencyPage(ctx: ServiceContext, input: { from?: string | null; to?: string | null; goal?: string | null }): Promise<TransparencyPage> {
  const period = parseMonthRange(input);
  const list = await goalsFor(ctx, input.goal);
  const ids = list.map((g) => g.id);
  const totals = await ledgerTotals(ctx.db, { ...period, by: "month", goalIds: input.goal ? ids : undefined });
  const balance = await balances(ctx, period, totals);
  const used = new Set(totals.map((t) => t.channel));
  const sum = (xs: { amountOre: bigint }[]) => xs.reduce((a, t) => a + t.amountOre, 0n).toString();

  const allGoals = await ctx.db.select({ id: goals.id, slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  const numberOf = new Map(allGoals.map((g) => [g.id, g.number]));
  const rules = await ctx.db.select().from(allocationRules).orderBy(desc(allocationRules.validFrom), desc(allocationRules.id)).limit(50);
  const shares = rules.length ? await ctx.db.select().from(allocationShares).where(inArray(allocationShares.ruleId, rules.map((r) => r.id))) : [];
  const now = new Date();
  const history = rules.map((r, i) => ({
    validFrom: r.validFrom.toISOString(),
    validTo: i === 0 ? null : rules[i - 1].validFrom.toISOString(),
    note: r.note,
    shares: shares
      .filter((s) => s.ruleId === r.id)
      .map((s) => ({ number: numberOf.get(s.goalId) ?? 0, basisPoints: s.basisPoints }))
      .sort((a, b) => a.number - b.number),
  }));
  const currentIndex = rules.findIndex((r) => r.validFrom <= now);

  const corrections = await ctx.db
    .select({ at: ledgerEntries.createdAt, kind: ledgerEntries.kind, goalId: ledgerEntries.goalId, channel: ledgerEntries.channel, amountOre: ledgerEntries.amountOre, reason: ledgerEntries.reason, entryKey: ledgerEntries.entryKey })
    .from(ledgerEntries)
    .where(
      and(
        inArray(ledgerEntries.kind, ["correction", "reallocation"]),
        period.from ? gte(ledgerEntries.createdAt, sql`(${period.from}::date::timestamp at time zone 'Europe/Stockholm')`) : undefined,
        period.to ? lt(ledgerEntries.createdAt, sql`((${period.to}::date + 1)::timestamp at time zone 'Europe/Stockholm')`) : undefined,
        input.goal ? inArray(ledgerEntries.goalId, ids) : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.id))
    .limit(CORRECTIONS_SHOWN * 2);
  // A move is two entries sharing its uuid (`realloc:<uuid>:<goal>`): shown once, from the giving goal.
  const moveGoals = new Map<string, { from?: number; to?: number }>();
  for (const c of corrections) {
    if (c.kind !== "reallocation" || !c.entryKey) continue;
    const id = c.entryKey.split(":")[1];
    const m = moveGoals.get(id) ?? {};
    if (c.amountOre < 0n) m.from = c.goalId;
    else m.to = c.goalId;
    moveGoals.set(id, m);
  }
  const shown = corrections
    .filter((c) => c.kind === "correction" || c.amountOre > 0n)
    .slice(0, CORRECTIONS_SHOWN)
    .map((c) => {
      const move = c.kind === "reallocation" && c.entryKey ? moveGoals.get(c.entryKey.split(":")[1]) : undefined;
      return {
        at: c.at.toISOString(),
        kind: c.kind as "correction" | "reallocation",
        goalNumber: numberOf.get(c.goalId) ?? 0,
        otherGoalNumber: move?.from !== undefined ? (numberOf.get(move.from) ?? null) : null,
        channel: c.channel,
        amountOre: c.amountOre.toString(),
        reason: c.reason,
      };
    });

  return {
    period,
    channels: paymentChannels.filter((c) => used.has(c)),
    allGoals: allGoals.map(({ slug, number, titleSv, titleEn }) => ({ slug, number, titleSv, titleEn })),
    goals: list.map((g) => {
      const mine = totals.filter((t) => t.goalId === g.id);
      return {
        slug: g.slug,
        number: g.number,
        titleSv: g.titleSv,
        titleEn: g.titleEn,
        balanceOre: (balance.get(g.id) ?? 0n).toString(),
        periodOre: sum(mine),
        months: monthRows(mine),
      };
    }),
    total: {
      balanceOre: list.reduce((a, g) => a + (balance.get(g.id) ?? 0n), 0n).toString(),
      periodOre: sum(totals),
      months: monthRows(totals),
    },
    allocation: {
      current: currentIndex >= 0 ? { validFrom: history[currentIndex].validFrom, shares: history[currentIndex].shares } : null,
      history,
    },
    corrections: shown,
  };
}
