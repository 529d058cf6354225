import { asc } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, paymentChannels, type PaymentChannel } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { giftStats, ledgerTotals } from "~/services/reporting/totals.server";
import type { GiftFigures, GoalMoney, MoneyBreakdown } from "./types";

/**
 * The dashboard's money: per goal × channel × month from the reporting read model (ledger_daily,
 * kept exact with every ledger entry), so the cost grows with goals × channels × days, not with
 * payments. Net of refunds, corrections and reallocations, as the ledger is.
 */

/** Channels that repeat on their own: the recurring share counts them. */
const recurringChannels: readonly PaymentChannel[] = ["monthly_gift", "salary_giving"];

const channelOrder = (c: string) => paymentChannels.indexOf(c as PaymentChannel);

function breakdown(rows: { channel: string; period: string; amountOre: bigint }[]): MoneyBreakdown {
  const byChannel = new Map<string, bigint>();
  const byMonth: Record<string, Partial<Record<PaymentChannel, string>>> = {};
  let raised = 0n;
  const monthSums = new Map<string, Map<string, bigint>>();
  for (const r of rows) {
    raised += r.amountOre;
    byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0n) + r.amountOre);
    const month = monthSums.get(r.period) ?? new Map<string, bigint>();
    month.set(r.channel, (month.get(r.channel) ?? 0n) + r.amountOre);
    monthSums.set(r.period, month);
  }
  for (const [month, channels] of monthSums) {
    byMonth[month] = Object.fromEntries([...channels].map(([c, v]) => [c, v.toString()]));
  }
  return {
    raisedOre: raised.toString(),
    byChannel: [...byChannel]
      .filter(([, v]) => v !== 0n)
      .sort(([a], [b]) => channelOrder(a) - channelOrder(b))
      .map(([channel, v]) => ({ channel: channel as PaymentChannel, amountOre: v.toString() })),
    byMonth,
  };
}

export async function moneyPerGoal(db: Db, locale: Locale, period: { from: string; to: string }): Promise<{ goals: GoalMoney[]; total: MoneyBreakdown }> {
  const [goalRows, totals] = await Promise.all([
    db.select({ id: goals.id, number: goals.number, slug: goals.slug, titleSv: goals.titleSv, titleEn: goals.titleEn, targetOre: goals.targetOre }).from(goals).orderBy(asc(goals.number)),
    ledgerTotals(db, { from: period.from, to: period.to, by: "month" }),
  ]);
  return {
    goals: goalRows.map((g) => ({
      id: g.id,
      number: g.number,
      slug: g.slug,
      title: locale === "en" ? g.titleEn : g.titleSv,
      targetOre: g.targetOre?.toString() ?? null,
      ...breakdown(totals.filter((t) => t.goalId === g.id)),
    })),
    total: breakdown(totals),
  };
}

/**
 * Gifts (paid payments) in the period: count, sum and average at their gross amount, and the share
 * of the amount from recurring channels. Average rounded to the nearest öre: 10 000 öre over 3 gifts
 * is 3 333,33… → 3 333 öre; 5 öre over 2 gifts is 2,5 → 3 öre (half up).
 */
export async function giftFigures(db: Db, period: { from: string; to: string }): Promise<Pick<GiftFigures, "count" | "sumOre" | "averageOre" | "recurringPercent">> {
  const rows = await giftStats(db, { from: period.from, to: period.to, by: "total" });
  let count = 0;
  let sum = 0n;
  let recurring = 0n;
  for (const r of rows) {
    count += r.gifts;
    sum += r.amountOre;
    if (recurringChannels.includes(r.channel as PaymentChannel)) recurring += r.amountOre;
  }
  const n = BigInt(count);
  return {
    count,
    sumOre: sum.toString(),
    averageOre: count > 0 ? ((2n * sum + n) / (2n * n)).toString() : null,
    // Per cent with one decimal: 1 of 3 kr → 333‰ → 33.3 %.
    recurringPercent: sum > 0n ? Number((recurring * 1000n) / sum) / 10 : null,
  };
}
