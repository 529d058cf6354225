import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, pgTable, serial, text, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";
import { goals } from "./goals";
import { organisations, people } from "./identity";
import { partnerships } from "./partners";
import { payrollRuns } from "./workplace";

/** How an invoice reaches the buyer: our own PDF with bankgiro + OCR, or Stripe Invoicing (send_invoice). */
export const invoiceDeliveries = ["bank", "stripe"] as const;
export type InvoiceDelivery = (typeof invoiceDeliveries)[number];

/**
 * draft → sent → (partly_paid →) paid; sent/partly_paid → overdue once the due date has passed;
 * draft/sent/overdue without money → void; money received → credited (reversed through the core);
 * a payroll invoice paid short and past due → carried (its shortfall moved onto the next month's
 * invoice under the programme's difference rule `carry`: docs/decisions/0009-payroll-shortfall-carry.md).
 */
export const invoiceStatuses = ["draft", "sent", "paid", "partly_paid", "overdue", "void", "credited", "carried"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

/**
 * The invoice number series: one counter row per series, incremented in the issuing transaction
 * (`insert … on conflict do update … returning`). The row lock holds a second issuer until the first
 * commits, and a rolled-back issue takes its number back with it, so numbers have no gaps, as
 * Swedish bookkeeping expects (bokföringslagen: löpande nummerserie). A sequence would leave gaps.
 */
export const invoiceNumberSeries = pgTable("invoice_number_series", {
  series: text("series").primaryKey(),
  lastNumber: bigint("last_number", { mode: "bigint" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A company invoice (issue 9 item 3). The buyer's details are a snapshot taken when the draft is
 * made: the invoice says what was sent even if the organisation is renamed later. `number` and
 * `ocrReference` are set when it is issued (drafts have neither).
 */
export const invoices = pgTable(
  "invoices",
  {
    id: serial("id").primaryKey(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** From invoice_number_series; null while a draft. */
    number: bigint("number", { mode: "bigint" }).unique(),
    issueDate: date("issue_date", { mode: "string" }).notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    buyerName: text("buyer_name").notNull(),
    buyerOrgNumber: text("buyer_org_number"),
    buyerAddress: text("buyer_address").notNull().default(""),
    buyerEmail: text("buyer_email").notNull(),
    /** Their reference / purchase order number, printed on the invoice. */
    buyerReference: text("buyer_reference"),
    /** The language of the PDF and emails (sv | en). */
    locale: text("locale").notNull().default("sv"),
    delivery: text("delivery").$type<InvoiceDelivery>().notNull().default("bank"),
    /** The payment channel its payments carry (partner_fee, salary_giving, …). */
    channel: text("channel").notNull().default("partner_fee"),
    /** Bankgiro OCR reference built from the number (ocr.ts); unique so a BgMax payment finds one invoice. */
    ocrReference: text("ocr_reference").unique(),
    totalOre: bigint("total_ore", { mode: "bigint" }).notNull(),
    status: text("status").$type<InvoiceStatus>().notNull().default("draft"),
    /** Everything received so far (may exceed the total: an overpayment, flagged for staff). */
    paidOre: bigint("paid_ore", { mode: "bigint" }).notNull().default(sql`0`),
    stripeInvoiceId: text("stripe_invoice_id").unique(),
    /** The partnership whose fee this invoice asks for (a partner sign-up's): its payments carry it. */
    partnershipId: integer("partnership_id").references(() => partnerships.id),
    /** The workplace payroll run this invoice asks for (issue 13): paid, it becomes one payment per run line. */
    payrollRunId: integer("payroll_run_id").references((): AnyPgColumn => payrollRuns.id),
    /** What was still owed when it was carried onto another invoice (status carried); it is owed there now. */
    carriedOre: bigint("carried_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /** The invoice that asks for carried_ore now (a later month's payroll invoice). */
    carriedToInvoiceId: integer("carried_to_invoice_id").references((): AnyPgColumn => invoices.id),
    note: text("note"),
    demo: boolean("demo").notNull().default(false),
    createdBy: integer("created_by").references(() => people.id, { onDelete: "set null" }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    voidedAt: timestamp("voided_at", { withTimezone: true }),
    creditedAt: timestamp("credited_at", { withTimezone: true }),
    lastReminderAt: timestamp("last_reminder_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("invoices_status_check", sql`${t.status} in (${inList(invoiceStatuses)})`),
    check("invoices_delivery_check", sql`${t.delivery} in (${inList(invoiceDeliveries)})`),
    check("invoices_total_positive", sql`${t.totalOre} > 0`),
    check("invoices_paid_nonnegative", sql`${t.paidOre} >= 0`),
    check("invoices_due_after_issue", sql`${t.dueDate} >= ${t.issueDate}`),
    check("invoices_carried_consistent", sql`(${t.carriedOre} = 0 and ${t.carriedToInvoiceId} is null) or (${t.carriedOre} > 0 and ${t.carriedToInvoiceId} is not null and ${t.carriedOre} + ${t.paidOre} >= ${t.totalOre})`),
    check("invoices_issued_numbered", sql`${t.status} = 'draft' or ${t.status} = 'void' or (${t.number} is not null and ${t.ocrReference} is not null)`),
    // An organisation's invoices (its contacts' page, staff's organisation view).
    index("invoices_organisation_idx").on(t.organisationId),
    // The staff list filters by status and sorts/filters by due date (overdue).
    index("invoices_status_due_idx").on(t.status, t.dueDate),
    // A payroll run's invoice (the employer's view, the run's confirmation).
    index("invoices_payroll_run_idx").on(t.payrollRunId).where(sql`${t.payrollRunId} is not null`),
    // The invoices whose shortfall a payroll invoice carries (booking a payment of it).
    index("invoices_carried_to_idx").on(t.carriedToInvoiceId).where(sql`${t.carriedToInvoiceId} is not null`),
  ],
);
export type Invoice = typeof invoices.$inferSelect;
export type NewInvoice = typeof invoices.$inferInsert;

/** An invoice's lines: each designated to a goal, or undesignated (null: split by the allocation rule). */
export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: serial("id").primaryKey(),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    goalId: integer("goal_id").references(() => goals.id),
  },
  (t) => [
    check("invoice_lines_amount_positive", sql`${t.amountOre} > 0`),
    // Lines are always read per invoice, in order.
    index("invoice_lines_invoice_idx").on(t.invoiceId, t.position),
  ],
);
export type InvoiceLine = typeof invoiceLines.$inferSelect;
