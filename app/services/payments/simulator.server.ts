import { eq } from "drizzle-orm";
import { getDb, type Db } from "~db/client.server";
import { goals, monthlyGifts, payments, type MonthlyGift, type Payment } from "~db/schema";
import { Forbidden, NotFound } from "~/services/errors";
import { env } from "~/utils/env.server";
import { dispatchStripeEvent, applySubscriptionState } from "./events.server";
import type { PaymentGateway } from "./gateway.server";
import { paymentToken } from "./manage-link.server";
import { isSimulatedCompanyInvoice, simulateCompanyInvoice, simulatedCompanyInvoiceCheckout } from "./simulator-invoices.server";
import { partnerFeeThanksPath } from "~/services/partners/signup-fee.server";
import {
  chargeObject,
  checkoutSessionObject,
  invoiceObject,
  stripeEvent,
  stripeId,
  subscriptionObject,
} from "./stripe-objects";

/**
 * The payment simulator: the local stand-in for Stripe when no STRIPE_SECRET_KEY is set. Checkout
 * happens on /dev/checkout/<session id>; each button there builds the events Stripe would send and
 * hands them to dispatchStripeEvent — the function the webhook route calls after its signature check.
 * Refused when APP_ENV=production unless ALLOW_LOCAL_STANDINS=1.
 */
export function assertSimulatorAllowed() {
  const config = env();
  if (config.stripeSecretKey) throw new NotFound("simulator_off");
  if (config.production && !config.allowLocalStandins) throw new Forbidden("simulator_refused_in_production");
}

export function simulatorGateway(): PaymentGateway {
  return {
    kind: "simulator",
    async createCheckout() {
      assertSimulatorAllowed();
      const sessionId = stripeId("cs_sim");
      return { sessionId, url: `/dev/checkout/${sessionId}` };
    },
    async retrieveCheckout() {
      return null;
    },
    async expireCheckout(sessionId) {
      assertSimulatorAllowed();
      return expireSimulatedSession(await getDb(), sessionId);
    },
    async updateSubscriptionAmount(subscriptionId, amountOre) {
      assertSimulatorAllowed();
      const db = await getDb();
      const gift = await giftBySubscription(db, subscriptionId);
      const sub = simulatedSubscription(gift, { unitAmount: Number(amountOre) });
      await dispatchStripeEvent(db, stripeEvent("customer.subscription.updated", sub), "simulator");
      return sub;
    },
    async cancelSubscription(subscriptionId) {
      assertSimulatorAllowed();
      const db = await getDb();
      const gift = await giftBySubscription(db, subscriptionId);
      const sub = simulatedSubscription(gift, { status: "canceled" });
      await dispatchStripeEvent(db, stripeEvent("customer.subscription.deleted", sub), "simulator");
      return sub;
    },
    async cardUpdateUrl(_customerId, returnUrl) {
      assertSimulatorAllowed();
      return `/dev/checkout/card-update?return=${encodeURIComponent(returnUrl)}`;
    },
    // The simulator's invoices carry their payments; there is nothing to look up.
    async invoicePaymentIntent() {
      return null;
    },
    async invoiceForPaymentIntent() {
      return null;
    },
    // The simulator always sends checkout.session.completed first.
    async checkoutSessionForPaymentIntent() {
      return null;
    },
    // Ids derived from ours, so sending again describes the same invoice; staff pay it in /dev/checkout.
    async sendCompanyInvoice(req) {
      assertSimulatorAllowed();
      return { customerId: req.customerId ?? `cus_sim_org_${req.organisationId}`, stripeInvoiceId: simulatedCompanyInvoiceId(req.invoiceId), hostedInvoiceUrl: `/dev/checkout/${simulatedCompanyInvoiceId(req.invoiceId)}` };
    },
  };
}

export const simulatedCompanyInvoiceId = (invoiceId: string) => `in_sim_company_${invoiceId}`;

/**
 * Where the simulated card-update page's "Back" goes: a monthly gift's own page in this app, as a
 * path. The gateway is handed a full URL (Stripe's billing portal needs one), so a URL of this
 * app's origin (the request's, or APP_URL's) is accepted; anything else goes home. Only the path
 * is returned, so the link can never lead to another site.
 */
export function cardUpdateReturnPath(back: string | null, requestUrl: string): string {
  if (!back) return "/";
  let target: URL;
  try {
    target = new URL(back, requestUrl);
  } catch {
    return "/";
  }
  const ownOrigins = new Set([new URL(requestUrl).origin]);
  try {
    ownOrigins.add(new URL(env().appUrl).origin);
  } catch {
    // No usable APP_URL: the request's own origin is enough.
  }
  if (!ownOrigins.has(target.origin) || target.search || target.hash) return "/";
  return /^\/give\/monthly\/[A-Za-z0-9._-]+$/.test(target.pathname) ? target.pathname : "/";
}

async function giftBySubscription(db: Db, subscriptionId: string): Promise<MonthlyGift> {
  const [gift] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.subscriptionId, subscriptionId));
  if (!gift) throw new NotFound("subscription_not_found");
  return gift;
}

function simulatedSubscription(gift: MonthlyGift, over: { unitAmount?: number; status?: "active" | "canceled" }) {
  return subscriptionObject({
    id: gift.subscriptionId!,
    status: over.status ?? "active",
    customer: gift.customerId ?? "cus_sim",
    metadata: { monthly_gift_id: gift.id.toString() },
    itemId: `si_sim_${gift.id}`,
    product: `prod_sim_${gift.id}`,
    unitAmount: over.unitAmount ?? Number(gift.amountOre),
  });
}

export interface SimulatedCheckout {
  sessionId: string;
  mode: "payment" | "subscription";
  method: "card" | "swish";
  amountOre: string;
  goalSlug: string | null;
  goalTitleSv: string | null;
  goalTitleEn: string | null;
  status: Payment["status"];
  paymentToken: string;
}

interface Found {
  payment: Payment;
  gift: MonthlyGift | null;
  goalSlug: string | null;
  goalTitleSv: string | null;
  goalTitleEn: string | null;
}

async function findSession(db: Db, sessionId: string): Promise<Found> {
  let gift: MonthlyGift | null = null;
  let [payment] = await db.select().from(payments).where(eq(payments.checkoutSessionId, sessionId));
  if (!payment) {
    [gift] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.checkoutSessionId, sessionId));
    if (!gift) throw new NotFound("checkout_not_found");
    [payment] = await db.select().from(payments).where(eq(payments.monthlyGiftId, gift.id)).orderBy(payments.id).limit(1);
    if (!payment) throw new NotFound("checkout_not_found");
  }
  const goalId = payment.goalId;
  const [goal] = goalId === null ? [] : await db.select().from(goals).where(eq(goals.id, goalId));
  return { payment, gift, goalSlug: goal?.slug ?? null, goalTitleSv: goal?.titleSv ?? null, goalTitleEn: goal?.titleEn ?? null };
}

export async function simulatedCheckout(db: Db, sessionId: string): Promise<SimulatedCheckout> {
  assertSimulatorAllowed();
  if (isSimulatedCompanyInvoice(sessionId)) return simulatedCompanyInvoiceCheckout(db, sessionId);
  const f = await findSession(db, sessionId);
  return {
    sessionId,
    mode: f.gift ? "subscription" : "payment",
    method: f.payment.method === "swish" ? "swish" : "card",
    amountOre: f.payment.amountOre.toString(),
    goalSlug: f.goalSlug,
    goalTitleSv: f.goalTitleSv,
    goalTitleEn: f.goalTitleEn,
    status: f.payment.status,
    paymentToken: paymentToken(f.payment.id),
  };
}

export type SimulatorAction = "pay" | "decline" | "swish_timeout";

/**
 * Does what the donor did on the simulated Checkout page and returns where to send them.
 * - pay, card: checkout.session.completed (paid). Monthly: completed + invoice.paid (first month).
 * - pay, Swish: checkout.session.completed (unpaid) then checkout.session.async_payment_succeeded.
 * - decline, Swish (donor said no in the app): checkout.session.async_payment_failed.
 * - decline, card: no event (Stripe keeps the donor on Checkout); the page says the card was declined.
 * - swish_timeout: the 3-minute window passed; the session expires (checkout.session.expired).
 */
export async function simulateCheckout(db: Db, sessionId: string, action: SimulatorAction): Promise<{ redirect: string | null; declined?: boolean }> {
  assertSimulatorAllowed();
  if (isSimulatedCompanyInvoice(sessionId)) return simulateCompanyInvoice(db, sessionId, action);
  const f = await findSession(db, sessionId);
  const { payment, gift } = f;
  const ref = payment.id.toString();
  const token = paymentToken(payment.id);
  const thanks = (await partnerFeeThanksPath(db, payment)) ?? `/give/thanks?ref=${token}`;
  const cancelled = `/give/cancelled?ref=${token}`;
  if (payment.status !== "pending") return { redirect: payment.status === "paid" ? thanks : cancelled };
  const method = payment.method === "swish" ? "swish" : "card";
  const metadata: Record<string, string> = { payment_ref: ref, goal: f.goalSlug ?? "", channel: payment.channel };
  if (gift) metadata.monthly_gift_id = gift.id.toString();
  const base = {
    id: sessionId,
    amountTotal: Number(payment.amountOre),
    metadata,
    customerEmail: payment.donorEmail,
    customerName: payment.donorName,
    allowedPaymentMethodTypes: [method],
    clientReferenceId: ref,
  };
  const send = (type: string, object: { object: string }) => dispatchStripeEvent(db, stripeEvent(type, object), "simulator");

  if (action === "swish_timeout") {
    await expireSimulatedSession(db, sessionId);
    return { redirect: gift ? cancelled : `${cancelled}&reason=swish_timeout` };
  }
  if (gift) {
    if (action !== "pay") return { redirect: null, declined: true };
    // Ids derived from the gift and the session, not random: a second "pay" (a double click, two
    // tabs) describes the same subscription, invoice and PaymentIntent, so the handlers' object-id
    // dedupe finds the month already recorded instead of recording it again.
    const subscriptionId = gift.subscriptionId ?? `sub_sim_${gift.id}`;
    const customer = gift.customerId ?? `cus_sim_${gift.id}`;
    await send("checkout.session.completed", checkoutSessionObject({ ...base, mode: "subscription", status: "complete", paymentStatus: "paid", subscription: subscriptionId, customer }));
    const pi = `pi_sim_${sessionId}`;
    await send(
      "invoice.paid",
      invoiceObject({
        id: `in_sim_${sessionId}`,
        amountPaid: Number(payment.amountOre),
        status: "paid",
        subscription: subscriptionId,
        subscriptionMetadata: metadata,
        billingReason: "subscription_create",
        paymentIntent: pi,
        customer,
        customerEmail: payment.donorEmail,
        customerName: payment.donorName,
      }),
    );
    return { redirect: thanks };
  }

  const pi = `pi_sim_${sessionId}`;
  if (action === "pay") {
    if (method === "swish") {
      await send("checkout.session.completed", checkoutSessionObject({ ...base, mode: "payment", status: "complete", paymentStatus: "unpaid", paymentIntent: pi }));
      await send("checkout.session.async_payment_succeeded", checkoutSessionObject({ ...base, mode: "payment", status: "complete", paymentStatus: "paid", paymentIntent: pi }));
    } else {
      await send("checkout.session.completed", checkoutSessionObject({ ...base, mode: "payment", status: "complete", paymentStatus: "paid", paymentIntent: pi }));
    }
    return { redirect: thanks };
  }
  // decline
  if (method === "card") return { redirect: null, declined: true };
  await send("checkout.session.async_payment_failed", checkoutSessionObject({ ...base, mode: "payment", status: "complete", paymentStatus: "unpaid", paymentIntent: pi }));
  return { redirect: cancelled };
}

/**
 * The session ends unpaid, as Stripe reports it: checkout.session.expired (a Swish payment not
 * approved in time, or a donor who cancelled). True when the session is expired now (by this call or
 * before); false when its payment is already paid or failed.
 */
async function expireSimulatedSession(db: Db, sessionId: string): Promise<boolean> {
  const f = await findSession(db, sessionId);
  if (f.payment.status !== "pending") return f.payment.status === "expired";
  const metadata: Record<string, string> = { payment_ref: f.payment.id.toString(), goal: f.goalSlug ?? "", channel: f.payment.channel };
  if (f.gift) metadata.monthly_gift_id = f.gift.id.toString();
  const session = checkoutSessionObject({
    id: sessionId,
    mode: f.gift ? "subscription" : "payment",
    amountTotal: Number(f.payment.amountOre),
    metadata,
    customerEmail: f.payment.donorEmail,
    customerName: f.payment.donorName,
    allowedPaymentMethodTypes: [f.payment.method === "swish" ? "swish" : "card"],
    clientReferenceId: f.payment.id.toString(),
    status: "expired",
    paymentStatus: "unpaid",
  });
  await dispatchStripeEvent(db, stripeEvent("checkout.session.expired", session), "simulator");
  return true;
}

/** For tests and demo data: a refund of a simulated payment, as Stripe would report it. */
export function simulatedRefundEvent(payment: Payment, cumulativeRefundedOre: bigint) {
  return stripeEvent(
    "charge.refunded",
    chargeObject({
      id: payment.chargeId ?? stripeId("ch_sim"),
      amount: Number(payment.amountOre),
      amountRefunded: Number(cumulativeRefundedOre),
      paymentIntent: payment.paymentIntentId,
      metadata: { payment_ref: payment.id.toString() },
      method: payment.method === "swish" ? "swish" : "card",
    }),
  );
}

export { applySubscriptionState };
