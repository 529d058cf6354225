/**
 * Delivering an issued company invoice through Stripe Invoicing (delivery 'stripe'): Stripe emails the
 * buyer and takes the payment; its invoice.paid webhook pays our invoice (events-company-invoices.server.ts).
 * Stripe is asked outside any database transaction; the delivery row written first keeps the idempotency
 * keys the same on a retry, so a timeout or a second click creates nothing twice at Stripe.
 */
import { asc, eq } from "drizzle-orm";
import { goals, invoiceLines, invoices, stripeCustomers, stripeInvoiceDeliveries } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, NotFound } from "~/services/errors";
import { getGateway } from "~/services/payments/gateway.server";
import { lockInvoice } from "./invoices-payments.server";
import { assignNumber } from "./invoices-send.server";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from today (UTC) to the due date, at least one: Stripe counts from when it finalizes. */
export function daysUntilDue(dueDate: string, now = new Date()): number {
  const due = Date.parse(`${dueDate}T00:00:00Z`);
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.max(1, Math.round((due - today) / DAY_MS));
}

export async function sendInvoiceThroughStripe(ctx: ServiceContext, invoiceId: number): Promise<{ stripeInvoiceId: string; hostedInvoiceUrl: string | null }> {
  // The app itself sends a partner sign-up's invoice (app/services/partners/signup.server.ts).
  if (ctx.actor.kind !== "system") requireStaffActor(ctx);
  const { db } = ctx;
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice) throw new NotFound("invoice_not_found");
  if (invoice.delivery !== "stripe") throw new Conflict("invoice_not_stripe");
  if (!invoice.number || !["sent", "overdue", "partly_paid"].includes(invoice.status)) throw new Conflict("invoice_not_issued");

  await db.insert(stripeInvoiceDeliveries).values({ invoiceId }).onConflictDoNothing();
  const [delivery] = await db.select().from(stripeInvoiceDeliveries).where(eq(stripeInvoiceDeliveries.invoiceId, invoiceId));
  if (delivery.sentAt && delivery.stripeInvoiceId) return { stripeInvoiceId: delivery.stripeInvoiceId, hostedInvoiceUrl: delivery.hostedInvoiceUrl };

  const lines = await db
    .select({ id: invoiceLines.id, text: invoiceLines.text, amountOre: invoiceLines.amountOre, goalSlug: goals.slug })
    .from(invoiceLines)
    .leftJoin(goals, eq(goals.id, invoiceLines.goalId))
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position));
  const [known] = await db.select().from(stripeCustomers).where(eq(stripeCustomers.organisationId, invoice.organisationId));

  const sent = await (await getGateway()).sendCompanyInvoice({
    invoiceId: String(invoiceId),
    idempotencyRoot: delivery.idempotencyRoot,
    invoiceNumber: String(invoice.number),
    organisationId: invoice.organisationId,
    customerId: known?.customerId ?? delivery.customerId ?? null,
    buyer: { name: invoice.buyerName, email: invoice.buyerEmail, orgNumber: invoice.buyerOrgNumber, reference: invoice.buyerReference },
    lines: lines.map((l) => ({ id: String(l.id), description: l.text, amountOre: l.amountOre, goalSlug: l.goalSlug })),
    daysUntilDue: daysUntilDue(invoice.dueDate),
    locale: invoice.locale === "en" ? "en" : "sv",
  });

  await db.transaction(async (tx) => {
    await tx.insert(stripeCustomers).values({ organisationId: invoice.organisationId, customerId: sent.customerId }).onConflictDoNothing();
    await tx
      .update(stripeInvoiceDeliveries)
      .set({ customerId: sent.customerId, stripeInvoiceId: sent.stripeInvoiceId, hostedInvoiceUrl: sent.hostedInvoiceUrl, sentAt: new Date() })
      .where(eq(stripeInvoiceDeliveries.invoiceId, invoiceId));
    await tx.update(invoices).set({ stripeInvoiceId: sent.stripeInvoiceId, updatedAt: new Date() }).where(eq(invoices.id, invoiceId));
  });
  return { stripeInvoiceId: sent.stripeInvoiceId, hostedInvoiceUrl: sent.hostedInvoiceUrl };
}

/**
 * Issues a draft whose delivery is 'stripe' (the invoices service issues bank invoices): the next number
 * and OCR reference, status sent, and the delivery row, in one transaction; then Stripe is asked. Called
 * again on an issued Stripe invoice (Stripe was unreachable the first time) it only sends, with the same
 * idempotency keys, so Stripe never holds two invoices for one of ours.
 */
export async function issueStripeInvoice(ctx: ServiceContext, invoiceId: number) {
  requireStaffActor(ctx);
  await ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (invoice.delivery !== "stripe") throw new Conflict("invoice_not_stripe");
    if (invoice.status !== "draft") return;
    const issued = await assignNumber(tx, invoice);
    await tx.insert(stripeInvoiceDeliveries).values({ invoiceId }).onConflictDoNothing();
    await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "invoice_issued", organisationId: issued.organisationId, details: { invoiceId, number: String(issued.number), delivery: "stripe" } });
  });
  return sendInvoiceThroughStripe(ctx, invoiceId);
}
