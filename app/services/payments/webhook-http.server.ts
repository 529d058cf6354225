import { getDb } from "~db/client.server";
import { MAX_BODY_BYTES } from "~/utils/http-guards.server";
import { receiveStripeWebhook } from "./webhook.server";

/**
 * POST /webhooks/stripe as status and JSON body, from the raw body and the Stripe-Signature header.
 * The Remix route and server.mjs's direct handler (which skips Remix's routing on this hot path)
 * both answer through this one function.
 */
export async function answerStripeWebhook(raw: string, signature: string | null): Promise<{ status: number; body: unknown }> {
  if (raw.length > MAX_BODY_BYTES) return { status: 413, body: { error: "payload_too_large" } };
  const outcome = await receiveStripeWebhook(await getDb(), raw, signature);
  if (outcome.status !== 200) return { status: outcome.status, body: { error: outcome.error } };
  return { status: 200, body: { received: true, result: outcome.result } };
}
