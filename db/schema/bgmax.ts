import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { invoices } from "./invoices";
import { payments } from "./payments";

/**
 * BgMax files staff imported (issue 9). The file's SHA-256 is unique: the same file uploaded again is
 * refused with who imported it and when. Payments are unique on their own (`bgmax_payments.key`), so
 * a different file that repeats an imported payment books nothing twice either.
 */
export const bgmaxImports = pgTable(
  "bgmax_imports",
  {
    id: serial("id").primaryKey(),
    fileSha256: text("file_sha256").notNull().unique(),
    fileName: text("file_name"),
    /** Bankgirot's timestamp from the opening record (TK01), local Swedish time as written. */
    fileCreatedAt: text("file_created_at").notNull(),
    /** TK01 marked T: a test file from Bankgirot. */
    test: boolean("test").notNull().default(false),
    /** `staff:<email>` (authorOf). */
    importedBy: text("imported_by").notNull(),
    /** The name or email shown in "already imported … by …". */
    importedByName: text("imported_by_name").notNull(),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
    deposits: integer("deposits").notNull(),
    payments: integer("payments").notNull(),
    /** Money in (TK20) minus deductions (TK21), öre: the file's deposits summed. */
    totalOre: bigint("total_ore", { mode: "bigint" }).notNull(),
    /** What was booked on invoices by the import itself. */
    bookedOre: bigint("booked_ore", { mode: "bigint" }).notNull(),
    matched: integer("matched").notNull(),
    partial: integer("partial").notNull(),
    overpaid: integer("overpaid").notNull(),
    unmatched: integer("unmatched").notNull(),
    duplicates: integer("duplicates").notNull(),
  },
);
export type BgmaxImport = typeof bgmaxImports.$inferSelect;

export const bgmaxOutcomes = ["matched", "partial", "overpaid", "unmatched"] as const;
export type BgmaxOutcome = (typeof bgmaxOutcomes)[number];
export const bgmaxResolutions = ["invoice", "gift", "handled"] as const;
export type BgmaxResolution = (typeof bgmaxResolutions)[number];

/**
 * Every payment of every imported file, once: `key` (match.ts: payee bankgiro, payment date, kind, BGC
 * serial, reference, amount) is unique, which is what makes a payment book once however many files
 * carry it. Partial, overpaid and unmatched ones wait here for staff (`resolved_at` null).
 */
export const bgmaxPayments = pgTable(
  "bgmax_payments",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    importId: integer("import_id")
      .notNull()
      .references(() => bgmaxImports.id),
    key: text("key").notNull().unique(),
    payeeBankgiro: text("payee_bankgiro").notNull(),
    /** ÅÅÅÅ-MM-DD from the deposit (TK15). */
    paymentDate: text("payment_date").notNull(),
    depositSerial: text("deposit_serial").notNull(),
    bgcSerial: text("bgc_serial").notNull(),
    /** payment (TK20) | deduction (TK21) */
    kind: text("kind").notNull(),
    reference: text("reference").notNull(),
    referenceCode: integer("reference_code").notNull(),
    amountOre: bigint("amount_ore", { mode: "bigint" }).notNull(),
    payerName: text("payer_name"),
    information: text("information"),
    outcome: text("outcome").notNull(),
    /** Why it is unmatched (match.ts UnmatchedReason). */
    reason: text("reason"),
    /** The company invoice it was booked on at import (matched, partial, overpaid). */
    invoiceId: integer("invoice_id").references(() => invoices.id),
    /** Booked on that invoice by the import. */
    bookedOre: bigint("booked_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /** Money no invoice took: the whole of an unmatched payment, an overpayment's excess. */
    openOre: bigint("open_ore", { mode: "bigint" }).notNull().default(sql`0`),
    resolution: text("resolution"),
    resolvedInvoiceId: integer("resolved_invoice_id").references(() => invoices.id),
    /** The undesignated gift a resolution booked. */
    resolvedPaymentId: bigint("resolved_payment_id", { mode: "bigint" }).references(() => payments.id),
    note: text("note"),
    resolvedBy: text("resolved_by"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("bgmax_payments_outcome_check", sql`${t.outcome} in ('matched', 'partial', 'overpaid', 'unmatched')`),
    check("bgmax_payments_kind_check", sql`${t.kind} in ('payment', 'deduction')`),
    check("bgmax_payments_resolution_check", sql`${t.resolution} is null or ${t.resolution} in ('invoice', 'gift', 'handled')`),
    check("bgmax_payments_amounts", sql`${t.amountOre} >= 0 and ${t.bookedOre} >= 0 and ${t.openOre} >= 0 and ${t.bookedOre} + ${t.openOre} <= ${t.amountOre}`),
    // The staff list: what is not resolved yet.
    index("bgmax_payments_open_idx").on(t.resolvedAt, t.outcome),
    // An import's summary and its payments.
    index("bgmax_payments_import_idx").on(t.importId),
  ],
);
export type BgmaxPayment = typeof bgmaxPayments.$inferSelect;
