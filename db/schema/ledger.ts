import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { goals } from "./goals";

/**
 * The append-only goal ledger (DESIGN.md, "Money and the ledger"): one entry per (payment, goal).
 * Rows are only ever inserted; a trigger in the migrations refuses UPDATE and DELETE.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
    /** Signed öre: positive money in, negative reversals (refunds, lost disputes, corrections). */
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    /** one_off_gift | monthly_gift | partner_fee | salary_giving | collection | competition */
    channel: text("channel").notNull(),
    /** allocation | reversal | correction */
    kind: text("kind").notNull().default("allocation"),
    /** The payment this entry belongs to (payments table, added with the payments issue). */
    paymentId: bigint("payment_id", { mode: "bigint" }),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Balances per goal are sums over this index.
    index("ledger_entries_goal_idx").on(t.goalId),
    index("ledger_entries_payment_idx").on(t.paymentId),
    check("ledger_entries_kind_check", sql`${t.kind} in ('allocation', 'reversal', 'correction')`),
  ],
);

export type LedgerEntry = typeof ledgerEntries.$inferSelect;
