import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./identity";
import { invoices } from "./invoices";

/** An organisation's Stripe Customer, made the first time one of its invoices goes out through Stripe, then reused. */
export const stripeCustomers = pgTable("stripe_customers", {
  organisationId: integer("organisation_id")
    .primaryKey()
    .references(() => organisations.id),
  customerId: text("customer_id").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A company invoice delivered by Stripe Invoicing (invoices.delivery = 'stripe'). The row exists before
 * Stripe is asked, so a retry reuses `idempotency_root` (the keys then repeat and Stripe creates nothing
 * twice); `paid_at` is set once, by the invoice.paid webhook, so a second paid event books nothing.
 */
export const stripeInvoiceDeliveries = pgTable("stripe_invoice_deliveries", {
  invoiceId: integer("invoice_id")
    .primaryKey()
    .references(() => invoices.id),
  /** Random: with the invoice id, the root of every idempotency key (ids repeat across databases). */
  idempotencyRoot: uuid("idempotency_root").notNull().defaultRandom(),
  customerId: text("customer_id"),
  stripeInvoiceId: text("stripe_invoice_id").unique(),
  hostedInvoiceUrl: text("hosted_invoice_url"),
  sentAt: timestamp("sent_at", { withTimezone: true }),
  paidAt: timestamp("paid_at", { withTimezone: true }),
  /** Who booked it: `stripe:<event id>` or `simulator:<event id>`. */
  paidBy: text("paid_by"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
export type StripeInvoiceDelivery = typeof stripeInvoiceDeliveries.$inferSelect;
