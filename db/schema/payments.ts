import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { collections, competitionTeams } from "./collections";
import { goals } from "./goals";
import { organisations, people } from "./identity";
import { invoiceLines, invoices } from "./invoices";
import { partnerships } from "./partners";
import { payrollRunLines } from "./workplace";

/**
 * Every payment keeps its channel (DESIGN.md); dashboards group by it. The one list: the CHECK
 * constraints on payments.channel and ledger_entries.channel are built from it, and the labels in
 * app/i18n/channels.ts are typed by it.
 */
export const paymentChannels = ["one_off_gift", "monthly_gift", "partner_fee", "salary_giving", "collection", "competition"] as const;
export type PaymentChannel = (typeof paymentChannels)[number];

/**
 * Who started a payment: app (the give page), external (a Stripe Payment Link, the dashboard), demo
 * (demo data), bank (money that reached the bank account: a transfer or Bankgiro payment staff mark
 * as paid or a BgMax file reports).
 */
export const paymentOrigins = ["app", "external", "demo", "bank"] as const;
export type PaymentOrigin = (typeof paymentOrigins)[number];

/**
 * How money was paid, as far as the app sets it itself. Not a database check: from Stripe the method
 * is whatever its payment_method_details type says (card, swish, klarna, …).
 */
export const paymentMethods = ["card", "swish", "bank_transfer", "bankgiro", "stripe_invoice"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const paymentStatuses = ["pending", "paid", "failed", "expired", "held"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** pending (checkout started) | active | past_due | canceled */
export const monthlyGiftStatuses = ["pending", "active", "past_due", "canceled"] as const;
export type MonthlyGiftStatus = (typeof monthlyGiftStatuses)[number];

/**
 * Monthly gifts (Checkout in subscription mode). One row per subscription; each paid month is a
 * row in `payments` with its own invoice id.
 */
export const monthlyGifts = pgTable(
  "monthly_gifts",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    /** One of monthlyGiftStatuses. */
    status: text("status").notNull().default("pending"),
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull().default("sek"),
    /** Null: "där behovet är störst" (split by the allocation rule in force at each payment). */
    goalId: integer("goal_id").references(() => goals.id),
    donorName: text("donor_name").notNull(),
    donorEmail: text("donor_email").notNull(),
    anonymous: boolean("anonymous").notNull().default(false),
    greeting: text("greeting"),
    locale: text("locale").notNull().default("sv"),
    checkoutSessionId: text("checkout_session_id").unique(),
    subscriptionId: text("subscription_id").unique(),
    customerId: text("customer_id"),
    demo: boolean("demo").notNull().default(false),
    /** Time (Stripe seconds) of the subscription event last applied: an older event never overwrites a newer one. */
    stateAt: bigint("state_at", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    canceledAt: timestamp("canceled_at", { withTimezone: true }),
  },
  (t) => [
    check("monthly_gifts_amount_positive", sql`${t.amountOre} > 0`),
    check("monthly_gifts_status_check", oneOf(t.status, monthlyGiftStatuses)),
  ],
);
export type MonthlyGift = typeof monthlyGifts.$inferSelect;

/**
 * One row per payment (one-off gift, one month of a monthly gift, a payment the app did not start).
 * Status and Stripe ids are filled in as events arrive; the money itself lives in ledger_entries.
 * Each Stripe object id is unique here, so two events about one payment find the same row.
 */
export const payments = pgTable(
  "payments",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    channel: text("channel").notNull(),
    status: text("status").notNull().default("pending"),
    /** card | swish | null while unknown (e.g. a payment the app did not start). */
    method: text("method"),
    /** Expected amount (pending) and then the amount Stripe says was paid. */
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull().default("sek"),
    /** Null: undesignated ("där behovet är störst"). */
    goalId: integer("goal_id").references(() => goals.id),
    donorName: text("donor_name"),
    donorEmail: text("donor_email"),
    anonymous: boolean("anonymous").notNull().default(false),
    greeting: text("greeting"),
    /** Whether the donor lets a collection's donor wall show the amount (their name or "Anonym" shows either way). */
    showAmount: boolean("show_amount").notNull().default(true),
    locale: text("locale").notNull().default("sv"),
    /** One of paymentOrigins. */
    origin: text("origin").notNull().default("app"),
    monthlyGiftId: bigint("monthly_gift_id", { mode: "bigint" }).references(() => monthlyGifts.id),
    checkoutSessionId: text("checkout_session_id").unique(),
    paymentIntentId: text("payment_intent_id").unique(),
    chargeId: text("charge_id").unique(),
    invoiceId: text("invoice_id").unique(),
    /** A company invoice (ours, db/schema/invoices.ts) and the line this payment pays; `invoice_id` above is Stripe's. */
    companyInvoiceId: integer("company_invoice_id").references(() => invoices.id),
    companyInvoiceLineId: integer("company_invoice_line_id").references(() => invoiceLines.id),
    /**
     * Random, per payment: the Checkout Session's idempotency key (`checkout:<key>`). Not the id, which
     * repeats after a database reset or in another environment on the same Stripe account.
     */
    checkoutKey: uuid("checkout_key").notNull().defaultRandom(),
    /** The allocation rule used for an undesignated payment (null for designated ones). */
    allocationRuleId: bigint("allocation_rule_id", { mode: "bigint" }),
    // What the money was for (issue 9): at most what applies is set; null everywhere for a plain gift.
    /** The partnership whose fee this is (channel partner_fee). */
    partnershipId: integer("partnership_id").references(() => partnerships.id),
    /** The payroll run line (one employee's deduction, or the employer's match) this pays. */
    payrollRunLineId: integer("payroll_run_line_id").references(() => payrollRunLines.id),
    /** The collection given to (a member page's own id, not its team's). */
    collectionId: integer("collection_id").references(() => collections.id),
    /** The competition team credited with it. */
    competitionTeamId: integer("competition_team_id").references(() => competitionTeams.id),
    /**
     * Cumulative refunded amount: as Stripe last reported it (charge.amount_refunded), or the sum of
     * the refunds recorded through the payments core (money paid back by bank); only grows.
     */
    refundedOre: bigint("refunded_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /**
     * Cumulative amount taken back by credit notes and voided invoices, added by each such reversal
     * through the payments core; only grows. The ledger reverses
     * min(amount, refunded + credited + lost disputes) (decision 0004).
     */
    creditedOre: bigint("credited_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /** The bank's or provider's reference for the money (bank transfer reference, BgMax reference, OCR). */
    reference: text("reference"),
    /** The organisation that paid (a company invoice, a partner fee), when one did. */
    organisationId: integer("organisation_id").references(() => organisations.id),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    // Moderation (issue 12 item 7): a greeting staff hid is shown on no public page or JSON; the gift itself still counts.
    greetingHiddenAt: timestamp("greeting_hidden_at", { withTimezone: true }),
    greetingHiddenReason: text("greeting_hidden_reason"),
    greetingHiddenByPersonId: integer("greeting_hidden_by_person_id").references(() => people.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("payments_amount_nonnegative", sql`${t.amountOre} >= 0`),
    check("payments_refunded_range", sql`${t.refundedOre} >= 0 and ${t.refundedOre} <= ${t.amountOre}`),
    check("payments_credited_range", sql`${t.creditedOre} >= 0 and ${t.creditedOre} <= ${t.amountOre}`),
    check("payments_channel_check", oneOf(t.channel, paymentChannels)),
    check("payments_status_check", oneOf(t.status, paymentStatuses)),
    check("payments_origin_check", oneOf(t.origin, paymentOrigins)),
    // The staff list is newest first, filtered by status.
    index("payments_created_idx").on(t.createdAt),
    // Monthly gift history and "first month" lookups.
    index("payments_monthly_gift_idx").on(t.monthlyGiftId),
    // An invoice's payments (its detail page, crediting it) and "paid per line".
    index("payments_company_invoice_idx").on(t.companyInvoiceId),
    index("payments_company_invoice_line_idx").on(t.companyInvoiceLineId),
    // Source lookups ("this partner's money per goal", "this collection's total", a run's payments),
    // partial: most payments have no such source, and `= $1` implies not null, so the planner uses them.
    index("payments_partnership_idx").on(t.partnershipId).where(sql`${t.partnershipId} is not null`),
    index("payments_payroll_run_line_idx").on(t.payrollRunLineId).where(sql`${t.payrollRunLineId} is not null`),
    index("payments_collection_idx").on(t.collectionId).where(sql`${t.collectionId} is not null`),
    index("payments_competition_team_idx").on(t.competitionTeamId).where(sql`${t.competitionTeamId} is not null`),
    // The staff dashboard counts and lists failed payments by time; few fail, so only they are indexed.
    index("payments_failed_idx").on(t.createdAt).where(sql`${t.status} = 'failed'`),
  ],
);
export type Payment = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;

/** Disputes (chargebacks) on card payments; a lost dispute reverses the payment's ledger entries. */
export const paymentDisputes = pgTable(
  "payment_disputes",
  {
    disputeId: text("dispute_id").primaryKey(),
    chargeId: text("charge_id"),
    paymentIntentId: text("payment_intent_id"),
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull(),
    /** Stripe's dispute status (needs_response, won, lost, …). */
    status: text("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    // Looked up when the disputed payment is synced to the ledger.
    index("payment_disputes_charge_idx").on(t.chargeId),
    index("payment_disputes_pi_idx").on(t.paymentIntentId),
  ],
);
export type PaymentDispute = typeof paymentDisputes.$inferSelect;

/** Things staff must look at: amount or currency mismatch, payments the app did not start, disputes. */
export const paymentAnomalies = pgTable(
  "payment_anomalies",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    paymentId: bigint("payment_id", { mode: "bigint" }).references(() => payments.id),
    /** amount_mismatch | currency_mismatch | external_payment | unknown_goal | unknown_collection | collection_closed | goal_mismatch | dispute_opened | dispute_lost | dispute_closed | refund_failed | malformed_event (a signed webhook event refused with 400) */
    kind: text("kind").notNull(),
    /** The Stripe object the anomaly is about; with kind, unique, so a re-delivered event flags once. */
    objectId: text("object_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("payment_anomalies_kind_object_uq").on(t.kind, t.objectId)],
);
export type PaymentAnomaly = typeof paymentAnomalies.$inferSelect;

/** Each Stripe event id once (DESIGN.md); written in the same transaction as the event's effects. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  /** webhook | simulator */
  source: text("source").notNull().default("webhook"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * How undesignated money is split: versioned, never edited. The rule in force at a payment's time is
 * the one with the latest valid_from not after it. No rule at all: equal split over all goals.
 */
export const allocationRules = pgTable(
  "allocation_rules",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by"),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // "Rule in force at time T" is an ordered lookup on valid_from.
  (t) => [index("allocation_rules_valid_from_idx").on(t.validFrom)],
);
export type AllocationRule = typeof allocationRules.$inferSelect;

/** A rule's share per goal in basis points (1/100 of a per cent); a rule's shares sum to 10 000. */
export const allocationShares = pgTable(
  "allocation_shares",
  {
    ruleId: bigint("rule_id", { mode: "bigint" })
      .notNull()
      .references(() => allocationRules.id),
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
    basisPoints: integer("basis_points").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ruleId, t.goalId] }),
    check("allocation_shares_range", sql`${t.basisPoints} >= 0 and ${t.basisPoints} <= 10000`),
  ],
);
