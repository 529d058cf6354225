import { bigint, boolean, check, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { organisations, people } from "./identity";
import { invoices } from "./invoices";
import { partnerships } from "./partners";
import { payments } from "./payments";

/**
 * Partner terms (issue 11 item 5): the text a company accepts when it signs up at /partners/join,
 * written by staff and versioned. A version is never changed once published (a signup names the
 * version it accepted, so that text must stay what it was); staff publish a new one instead. With
 * no version published the sign-up form refuses: the app never writes terms for the charity.
 */
export const partnerTerms = pgTable("partner_terms", {
  /** 1, 2, 3 … in publishing order; the highest is in force. */
  version: integer("version").primaryKey(),
  bodySv: text("body_sv").notNull(),
  bodyEn: text("body_en").notNull(),
  publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  publishedBy: integer("published_by").references(() => people.id, { onDelete: "set null" }),
  /** Demo data's placeholder terms, shown as such. */
  demo: boolean("demo").notNull().default(false),
});
export type PartnerTerms = typeof partnerTerms.$inferSelect;

/** How a signing-up company pays its first fee. */
export const signupPaymentMethods = ["bank_invoice", "stripe_invoice", "card"] as const;
export type SignupPaymentMethod = (typeof signupPaymentMethods)[number];

/**
 * One self-signup: which partnership it created, who signed up, the terms version and when it was
 * accepted, and how the fee is paid (the invoice, or the card payment).
 */
export const partnerSignups = pgTable(
  "partner_signups",
  {
    id: serial("id").primaryKey(),
    partnershipId: integer("partnership_id")
      .notNull()
      .unique()
      .references(() => partnerships.id),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    contactPersonId: integer("contact_person_id").references(() => people.id, { onDelete: "set null" }),
    contactEmail: text("contact_email").notNull(),
    termsVersion: integer("terms_version")
      .notNull()
      .references(() => partnerTerms.version),
    termsAcceptedAt: timestamp("terms_accepted_at", { withTimezone: true }).notNull(),
    paymentMethod: text("payment_method").$type<SignupPaymentMethod>().notNull(),
    invoiceId: integer("invoice_id").references(() => invoices.id),
    paymentId: bigint("payment_id", { mode: "bigint" }).references(() => payments.id),
    locale: text("locale").notNull().default("sv"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("partner_signups_payment_method_check", oneOf(t.paymentMethod, signupPaymentMethods)),
    // Staff and the partner dashboard look a signup up by its organisation.
    index("partner_signups_organisation_idx").on(t.organisationId),
  ],
);
export type PartnerSignup = typeof partnerSignups.$inferSelect;
