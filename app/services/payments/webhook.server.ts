import type Stripe from "stripe";
import type { Db } from "~db/client.server";
import { env } from "~/utils/env.server";
import { dispatchStripeEvent, paymentRecordedFor, recentlyProcessed, recordMalformedEvent, RetryLater, type DispatchHints, type DispatchResult } from "./events.server";
import { eventShapeProblem } from "./events-shape";
import { getGateway, verifyStripeSignature, type PaymentGateway } from "./gateway.server";

export type WebhookOutcome =
  | { status: 200; result: DispatchResult; type: string }
  | { status: 400; error: string }
  | { status: 503; error: string };

/**
 * POST /webhooks/stripe: the signature is checked on the raw body first; a bad or missing signature
 * gets 400 and nothing is written. Then the event goes to dispatchStripeEvent (event id once,
 * named handler, one transaction). Event types the app does not handle get 200. An event that
 * cannot be handled correctly yet gets 503 with nothing written, and Stripe delivers it again.
 * A signed event that is not shaped as Stripe sends it (events-shape.ts) gets 400 and is recorded
 * for staff as a `malformed_event` anomaly, and nothing else is written: a 5xx would only make
 * Stripe retry it for three days.
 */
export async function receiveStripeWebhook(db: Db, rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  const secret = env().stripeWebhookSecret;
  if (!secret) return { status: 400, error: "webhook_secret_not_configured" };
  let event: Stripe.Event;
  try {
    event = verifyStripeSignature(rawBody, signature, secret);
  } catch (error) {
    // The signature is checked before the body is parsed: a SyntaxError is a signed body that is not JSON.
    if (!(error instanceof SyntaxError)) return { status: 400, error: "invalid_signature" };
    await recordMalformedEvent(db, rawBody, { eventId: null, type: null, issues: [{ path: "", message: "not JSON" }] });
    return { status: 400, error: "malformed_event" };
  }
  // A re-delivery of an event this instance committed (so it was checked then) needs no new check.
  const claimedId = (event as { id?: unknown } | null)?.id;
  if (typeof claimedId === "string" && recentlyProcessed(db, claimedId)) return { status: 200, result: "duplicate", type: String(event.type) };
  const problem = eventShapeProblem(event);
  if (problem) {
    await recordMalformedEvent(db, rawBody, problem);
    return { status: 400, error: "malformed_event" };
  }
  try {
    const hints = await lookUpAtStripe(db, event, await getGateway());
    const result = await dispatchStripeEvent(db, event, "webhook", hints);
    return { status: 200, result, type: event.type };
  } catch (error) {
    if (error instanceof RetryLater) return { status: 503, error: "retry_later" };
    throw error;
  }
}

/**
 * Links this API version leaves out of webhook payloads, fetched before the transaction (never a
 * network call while rows are locked): the PaymentIntent of a subscription invoice (so a later
 * refund, which names only the PaymentIntent, finds the month it refunds), and for a refunded
 * or disputed charge whose payment is not found by PaymentIntent or charge, the invoice it belongs
 * to (a month, perhaps recorded without its PaymentIntent), or else its Checkout Session. If Stripe cannot be asked, the event is
 * left for Stripe to deliver again rather than recorded wrongly.
 */
async function lookUpAtStripe(db: Db, event: Stripe.Event, gateway: PaymentGateway): Promise<DispatchHints> {
  try {
    if ((event.type === "invoice.paid" || event.type === "invoice.payment_failed") && gateway.kind === "stripe") {
      const invoice = event.data.object as Stripe.Invoice;
      if (invoice.id && !invoice.payments?.data?.length) {
        const pi = await gateway.invoicePaymentIntent(invoice.id);
        if (pi) {
          (invoice as { payments?: unknown }).payments = {
            object: "list",
            data: [{ object: "invoice_payment", payment: { type: "payment_intent", payment_intent: pi } }],
            has_more: false,
          };
        }
      }
      return {};
    }
    if (event.type === "charge.refunded" && gateway.kind === "stripe") {
      const charge = event.data.object as Stripe.Charge;
      const pi = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
      if (!pi || charge.metadata?.payment_ref || (await paymentRecordedFor(db, pi, charge.id))) return {};
      const invoiceOfCharge = await gateway.invoiceForPaymentIntent(pi);
      if (invoiceOfCharge) return { invoiceOfCharge };
      // A Payment Link's refund before its checkout.session.completed: the session's metadata (not
      // the charge's) designates the goal, so both orders record the same payment.
      return { invoiceOfCharge: null, sessionOfCharge: await gateway.checkoutSessionForPaymentIntent(pi) };
    }
    if ((event.type === "charge.dispute.created" || event.type === "charge.dispute.closed") && gateway.kind === "stripe") {
      const dispute = event.data.object as Stripe.Dispute;
      const pi = typeof dispute.payment_intent === "string" ? dispute.payment_intent : (dispute.payment_intent?.id ?? null);
      const charge = typeof dispute.charge === "string" ? dispute.charge : (dispute.charge?.id ?? null);
      if (!pi || (await paymentRecordedFor(db, pi, charge))) return {};
      return { invoiceOfCharge: await gateway.invoiceForPaymentIntent(pi) };
    }
  } catch (error) {
    console.warn(`[payments] could not ask Stripe about ${event.type} ${event.id}:`, error instanceof Error ? error.message : error);
    throw new RetryLater("stripe_unreachable");
  }
  return {};
}
