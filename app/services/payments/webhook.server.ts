import type Stripe from "stripe";
import type { Db } from "~db/client.server";
import { env } from "~/utils/env.server";
import { dispatchStripeEvent, type DispatchResult } from "./events.server";
import { verifyStripeSignature } from "./gateway.server";

export type WebhookOutcome = { status: 200; result: DispatchResult; type: string } | { status: 400; error: string };

/**
 * POST /webhooks/stripe: the signature is checked on the raw body first; a bad or missing signature
 * gets 400 and nothing is written. Then the event goes to dispatchStripeEvent (event id once,
 * named handler, one transaction). Event types the app does not handle get 200.
 */
export async function receiveStripeWebhook(db: Db, rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  const secret = env().stripeWebhookSecret;
  if (!secret) return { status: 400, error: "webhook_secret_not_configured" };
  let event: Stripe.Event;
  try {
    event = verifyStripeSignature(rawBody, signature, secret);
  } catch {
    return { status: 400, error: "invalid_signature" };
  }
  const result = await dispatchStripeEvent(db, event, "webhook");
  return { status: 200, result, type: event.type };
}
