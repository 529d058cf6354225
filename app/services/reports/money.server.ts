import { and, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { collections, goals, ledgerEntries, payments } from "~db/schema";
import { ledgerTotals } from "~/services/reporting/totals.server";

/**
 * The money a yearly report shows, read from the ledger. Internal reads: the report service checked
 * the actor. A ledger entry belongs to the Stockholm calendar day it was written (as the reporting
 * read model's `ledger_daily` counts it), so a year here is that year's entries, corrections and
 * refunds included.
 */

const entryYear = sql<number>`extract(year from ${ledgerEntries.createdAt} at time zone 'Europe/Stockholm')::int`;

/** Net öre per goal and channel in the year (only pairs with entries appear), from the reporting read model. */
export async function moneyByGoalAndChannel(db: Db | Tx, year: number, goalIds?: number[]): Promise<{ goalId: number; channel: string; amountOre: bigint }[]> {
  const months = await ledgerTotals(db, { from: `${year}-01-01`, to: `${year}-12-31`, goalIds, by: "month" });
  const sums = new Map<string, { goalId: number; channel: string; amountOre: bigint }>();
  for (const m of months) {
    const key = `${m.goalId}:${m.channel}`;
    const row = sums.get(key) ?? { goalId: m.goalId, channel: m.channel, amountOre: 0n };
    row.amountOre += m.amountOre;
    sums.set(key, row);
  }
  return [...sums.values()].filter((r) => r.amountOre !== 0n).sort((a, b) => a.goalId - b.goalId || a.channel.localeCompare(b.channel));
}

/** Collections (and their member pages) with money in the year: net öre each, largest first. */
export async function collectionsMoney(db: Db | Tx, year: number, goalIds?: number[]) {
  const rows = await db
    .select({
      id: collections.id,
      slug: collections.slug,
      title: collections.title,
      goalId: collections.goalId,
      goalNumber: goals.number,
      status: collections.status,
      hidden: sql<boolean>`${collections.hiddenAt} is not null`,
      amountOre: sql<string>`sum(${ledgerEntries.amountOre})::text`,
    })
    .from(ledgerEntries)
    .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
    .innerJoin(collections, eq(collections.id, payments.collectionId))
    .innerJoin(goals, eq(goals.id, collections.goalId))
    .where(and(isNotNull(payments.collectionId), sql`${entryYear} = ${year}`, goalIds ? inArray(collections.goalId, goalIds) : undefined))
    .groupBy(collections.id, goals.number)
    .having(gt(sql`sum(${ledgerEntries.amountOre})`, 0))
    .orderBy(sql`sum(${ledgerEntries.amountOre}) desc`, collections.id);
  return rows.map((r) => ({ ...r, hidden: Boolean(r.hidden), amountOre: BigInt(r.amountOre) }));
}
