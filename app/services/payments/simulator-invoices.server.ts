import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { invoices, stripeInvoiceDeliveries } from "~db/schema";
import { NotFound } from "~/services/errors";
import { dispatchStripeEvent } from "./events.server";
import type { SimulatedCheckout, SimulatorAction } from "./simulator.server";
import { invoiceObject, stripeEvent } from "./stripe-objects";

/**
 * The simulator's stand-in for Stripe's hosted invoice page: a company invoice "sent through Stripe"
 * without keys (gateway-invoices.server.ts) is paid on /dev/checkout/<its id>, which sends the
 * invoice.paid event Stripe would, through the same dispatch as the webhook.
 */
export const isSimulatedCompanyInvoice = (id: string) => /^in_sim_company_\d{1,9}$/.test(id);

async function find(db: Db, id: string) {
  const [row] = await db
    .select({ invoice: invoices, customerId: stripeInvoiceDeliveries.customerId })
    .from(stripeInvoiceDeliveries)
    .innerJoin(invoices, eq(invoices.id, stripeInvoiceDeliveries.invoiceId))
    .where(eq(stripeInvoiceDeliveries.stripeInvoiceId, id));
  if (!row) throw new NotFound("checkout_not_found");
  const { invoice } = row;
  return { ...row, outstandingOre: invoice.totalOre > invoice.paidOre ? invoice.totalOre - invoice.paidOre : 0n };
}

export async function simulatedCompanyInvoiceCheckout(db: Db, id: string): Promise<SimulatedCheckout> {
  const { invoice, outstandingOre } = await find(db, id);
  return {
    sessionId: id,
    mode: "payment",
    method: "card",
    amountOre: outstandingOre.toString(),
    goalSlug: null,
    goalTitleSv: `faktura ${invoice.number}`,
    goalTitleEn: `invoice ${invoice.number}`,
    status: invoice.status === "paid" ? "paid" : "pending",
    paymentToken: "",
  };
}

export async function simulateCompanyInvoice(db: Db, id: string, action: SimulatorAction): Promise<{ redirect: string | null; declined?: boolean }> {
  if (action !== "pay") return { redirect: null, declined: true };
  const { invoice, customerId, outstandingOre } = await find(db, id);
  if (outstandingOre > 0n) {
    const object = invoiceObject({ id, amountPaid: Number(outstandingOre), status: "paid", billingReason: "manual", customer: customerId, customerEmail: invoice.buyerEmail, metadata: { company_invoice_id: String(invoice.id) } });
    await dispatchStripeEvent(db, stripeEvent("invoice.paid", { ...object, collection_method: "send_invoice" }), "simulator");
  }
  return { redirect: `/dev/checkout/${id}` };
}
