import { bigint, index, integer, pgTable, primaryKey, smallint, text, date, unique } from "drizzle-orm/pg-core";
import { goals } from "./goals";

/**
 * The reporting read model (issue 14 item 6): sums kept exact by triggers in the same transaction as
 * the rows they sum (migration `reporting_triggers`), so dashboards and /api/transparency read a
 * number of rows that grows with goals × channels × days, never with payments.
 *
 * `slot` spreads one (goal, channel, day) over a few rows: concurrent webhook transactions that post
 * to the same goal on the same day would otherwise queue on one row lock until each commits (the
 * trigger picks the slot from the transaction id). Readers always sum over slots.
 * `rebuildReportingAggregates` (app/services/reporting/totals.server.ts) recomputes both tables from
 * their sources; tests/reporting checks the two agree after a property-test run.
 */
export const ledgerDaily = pgTable(
  "ledger_daily",
  {
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
    /** One of paymentChannels: the ledger entry's channel. */
    channel: text("channel").notNull(),
    /** The Stockholm calendar day of the entry's created_at. */
    day: date("day", { mode: "string" }).notNull(),
    slot: smallint("slot").notNull().default(0),
    /** Sum of the entries' signed öre (allocations, reversals, corrections, reallocations). */
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    entries: integer("entries").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.goalId, t.channel, t.day, t.slot] }),
    // Period queries over every goal (the transparency page, the dashboard's totals) scan by day.
    index("ledger_daily_day_idx").on(t.day),
  ]
);

/**
 * Paid SEK payments (gifts) per day × channel × goal (null: undesignated), counted once each at their
 * gross amount: the dashboard's gift counts, averages and recurring share. Refunds do not uncount a
 * gift; the money side of a refund is in ledger_daily.
 */
export const giftDaily = pgTable(
  "gift_daily",
  {
    goalId: integer("goal_id").references(() => goals.id),
    channel: text("channel").notNull(),
    /** The Stockholm calendar day of the payment's paid_at. */
    day: date("day", { mode: "string" }).notNull(),
    slot: smallint("slot").notNull().default(0),
    gifts: integer("gifts").notNull(),
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
  },
  (t) => [
    // The trigger's upsert target; undesignated (null goal) rows must collide too.
    unique("gift_daily_key").on(t.goalId, t.channel, t.day, t.slot).nullsNotDistinct(),
    // Period queries scan by day.
    index("gift_daily_day_idx").on(t.day),
  ]
);

export type LedgerDaily = typeof ledgerDaily.$inferSelect;
export type GiftDaily = typeof giftDaily.$inferSelect;
