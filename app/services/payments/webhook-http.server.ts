import { getDb } from "~db/client.server";
import { receiveStripeWebhook } from "./webhook.server";

/** Stripe's event payloads are far below this; a larger body is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * POST /webhooks/stripe as status and JSON body, from the raw body and the Stripe-Signature header.
 * The Remix route and server.mjs's direct handler (which skips Remix's routing on this hot path)
 * both answer through this one function.
 */
export async function answerStripeWebhook(raw: string, signature: string | null): Promise<{ status: number; body: unknown }> {
  if (raw.length > MAX_WEBHOOK_BYTES) return { status: 413, body: { error: "payload_too_large" } };
  const outcome = await receiveStripeWebhook(await getDb(), raw, signature);
  if (outcome.status !== 200) return { status: outcome.status, body: { error: outcome.error } };
  return { status: 200, body: { received: true, result: outcome.result } };
}
