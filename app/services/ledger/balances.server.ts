import { sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { ledgerEntries } from "~db/schema";

/** Each goal's balance: the sum of its ledger entries, all channels, net of reversals. Goals with no entries are absent. */
export async function goalBalances(db: Db): Promise<Map<number, bigint>> {
  const rows = await db
    .select({ goalId: ledgerEntries.goalId, total: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` })
    .from(ledgerEntries)
    .groupBy(ledgerEntries.goalId);
  return new Map(rows.map((r) => [r.goalId, BigInt(r.total)]));
}
