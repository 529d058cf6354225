import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { goals } from "./goals";
import { oneOf } from "./checks";
import { paymentChannels, payments } from "./payments";

/**
 * What a ledger entry is: money in, money taken back, a staff correction, or undesignated money moved
 * between goals by staff (reallocation: a pair of entries summing to 0).
 */
export const ledgerEntryKinds = ["allocation", "reversal", "correction", "reallocation"] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];

/**
 * The append-only goal ledger (DESIGN.md, "Money and the ledger"): one entry per (payment, goal).
 * Rows are only ever inserted; a trigger in the migrations refuses UPDATE, DELETE and TRUNCATE.
 * `entry_key` is unique: the same posting can never be written twice, whatever the event order.
 * See docs/decisions/0004-ledger-allocation-and-rounding.md for the split and rounding rules.
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
    /** One of paymentChannels (the payment's channel, or the channel a correction is booked under). */
    channel: text("channel").notNull(),
    /** One of ledgerEntryKinds. */
    kind: text("kind").notNull().default("allocation"),
    /** The payment this entry belongs to. */
    paymentId: bigint("payment_id", { mode: "bigint" }).references(() => payments.id),
    /**
     * What this posting is, unique: `alloc:<payment>:<goal>`, `rev:<payment>:<cumulative reversed>:<goal>`,
     * `corr:<uuid>:<goal>`, `realloc:<uuid>:<goal>` (both goals of one move share the uuid). Null only on rows written before the payments issue.
     */
    entryKey: text("entry_key").unique(),
    reason: text("reason"),
    /** Who wrote it: `stripe:<event id>`, `simulator`, `staff:<email>`, `demo`. */
    author: text("author"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Balances per goal are sums over this index.
    index("ledger_entries_goal_idx").on(t.goalId),
    // A payment's entries are read when it is reversed.
    index("ledger_entries_payment_idx").on(t.paymentId),
    check("ledger_entries_kind_check", oneOf(t.kind, ledgerEntryKinds)),
    check("ledger_entries_channel_check", oneOf(t.channel, paymentChannels)),
    check("ledger_entries_nonzero", sql`${t.amountOre} <> 0`),
    check("ledger_entries_allocation_positive", sql`${t.kind} <> 'allocation' or ${t.amountOre} > 0`),
  ],
);

export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type NewLedgerEntry = typeof ledgerEntries.$inferInsert;
