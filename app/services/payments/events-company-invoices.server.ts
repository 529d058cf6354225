import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "~db/client.server";
import { paymentAnomalies, stripeInvoiceDeliveries } from "~db/schema";
import { registerInvoicePayment } from "~/services/invoices/invoices-payments.server";

/**
 * invoice.paid for a company invoice sent through Stripe Invoicing (gateway-invoices.server.ts): its
 * metadata names our invoice, which is paid through the invoices service (each line a payment through
 * the payments core, method stripe_invoice). Monthly gifts' and other invoices go on to the handler
 * that was there before (events-monthly.server.ts).
 */
export function companyInvoiceRef(invoice: Pick<Stripe.Invoice, "metadata">): number | null {
  const ref = invoice.metadata?.company_invoice_id;
  return ref && /^\d{1,9}$/.test(ref) ? Number(ref) : null;
}

type EventCtx = { author: string; created: number };

async function flag(tx: Tx, kind: string, invoice: Stripe.Invoice, details: Record<string, unknown>) {
  await tx.insert(paymentAnomalies).values({ paymentId: null, kind, objectId: invoice.id!, details }).onConflictDoNothing();
}

export async function onCompanyInvoicePaid(tx: Tx, invoice: Stripe.Invoice, ctx: EventCtx): Promise<void> {
  const invoiceId = companyInvoiceRef(invoice)!;
  // The delivery row, locked: a second invoice.paid about the same invoice (another event id) waits here
  // and then finds it paid.
  const [delivery] = await tx.select().from(stripeInvoiceDeliveries).where(eq(stripeInvoiceDeliveries.invoiceId, invoiceId)).for("update");
  if (!delivery || delivery.stripeInvoiceId !== invoice.id) {
    // Metadata naming one of our invoices on a Stripe invoice we did not send: nothing is paid on a say-so.
    await flag(tx, "company_invoice_unknown", invoice, { companyInvoiceId: invoiceId, sentAs: delivery?.stripeInvoiceId ?? null });
    return;
  }
  if (delivery.paidAt) return;
  if (invoice.currency !== "sek") {
    await flag(tx, "currency_mismatch", invoice, { companyInvoiceId: invoiceId, currency: invoice.currency });
    return;
  }
  const paidAt = new Date((invoice.status_transitions?.paid_at ?? ctx.created) * 1000);
  await registerInvoicePayment(tx, invoiceId, { amountOre: BigInt(invoice.amount_paid), paidAt, reference: invoice.id!, author: ctx.author, method: "stripe_invoice" });
  await tx.update(stripeInvoiceDeliveries).set({ paidAt, paidBy: ctx.author }).where(eq(stripeInvoiceDeliveries.invoiceId, invoiceId));
}

/** The dispatcher's hook: company invoices here, every other invoice.paid to `otherwise`. */
export function withCompanyInvoices<C extends EventCtx>(otherwise: (tx: Tx, invoice: Stripe.Invoice, ctx: C) => Promise<void>) {
  return (tx: Tx, invoice: Stripe.Invoice, ctx: C) => (companyInvoiceRef(invoice) === null ? otherwise(tx, invoice, ctx) : onCompanyInvoicePaid(tx, invoice, ctx));
}
