import { sql } from "drizzle-orm";
import { bigint, date, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { goals } from "./goals";
import { payments } from "./payments";

/**
 * Stripe's payouts to the charity's bank and the balance transactions each one settles, with their
 * fees (issue 14 item 5; docs/decisions/0007-stripe-fees-and-payouts.md). Written by the
 * `stripe_payout_record` job after `payout.paid` / `payout.failed`, never on the charge webhook path.
 */
export const stripePayouts = pgTable(
  "stripe_payouts",
  {
    /** Stripe's payout id, `po_…`. */
    id: text("id").primaryKey(),
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull(),
    /** Stripe's status when last read: paid, failed, canceled, in_transit, pending. */
    status: text("status").notNull(),
    /** The day the money is expected in the bank (Stripe's arrival_date, a UTC midnight). */
    arrivalDate: date("arrival_date", { mode: "string" }).notNull(),
    /** Sum of the fees of the balance transactions it settles (öre; a fee refunded by Stripe counts negative). */
    feeOre: bigint("fee_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /** Sum of their gross amounts (charges less refunds and other movements). */
    grossOre: bigint("gross_ore", { mode: "bigint" }).notNull().default(sql`0`),
    transactions: integer("transactions").notNull().default(0),
    /** Transactions of a charge, refund or dispute whose payment is not recorded here (staff look at them). */
    unmatched: integer("unmatched").notNull().default(0),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stripe_payouts_arrival_idx").on(t.arrivalDate)],
);
export type StripePayout = typeof stripePayouts.$inferSelect;

/** One balance transaction of a payout (charge, refund, dispute adjustment, Stripe's own fee…). */
export const stripeBalanceTransactions = pgTable(
  "stripe_balance_transactions",
  {
    /** Stripe's id, `txn_…`: a transaction is recorded once however often the job runs. */
    id: text("id").primaryKey(),
    payoutId: text("payout_id")
      .notNull()
      .references(() => stripePayouts.id),
    type: text("type").notNull(),
    reportingCategory: text("reporting_category"),
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    /** What Stripe kept as its fee on this transaction; for a transaction that is itself a fee, its amount. */
    feeOre: bigint("fee_ore", { mode: "bigint" }).notNull(),
    netOre: bigint("net_ore", { mode: "bigint" }).notNull(),
    /** The charge, refund or dispute id (`ch_…`, `re_…`, `dp_…`). */
    sourceId: text("source_id"),
    paymentId: bigint("payment_id", { mode: "bigint" }).references(() => payments.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("stripe_balance_transactions_payout_idx").on(t.payoutId), index("stripe_balance_transactions_payment_idx").on(t.paymentId)],
);
export type StripeBalanceTransaction = typeof stripeBalanceTransactions.$inferSelect;

/**
 * A transaction's fee split over the goals its payment was allocated to (no goal: a fee without a
 * payment here, or before any allocation), so the SIE fee rows carry the goal as object of dimension 6.
 */
export const stripeFeeShares = pgTable(
  "stripe_fee_shares",
  {
    balanceTransactionId: text("balance_transaction_id")
      .notNull()
      .references(() => stripeBalanceTransactions.id),
    goalId: integer("goal_id").references(() => goals.id),
    feeOre: bigint("fee_ore", { mode: "bigint" }).notNull(),
  },
  (t) => [index("stripe_fee_shares_txn_idx").on(t.balanceTransactionId)],
);
