import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client.server";
import { receiveStripeWebhook } from "~/services/payments/webhook.server";

const MAX_BODY_BYTES = 1024 * 1024;

/** Stripe's webhook endpoint (DESIGN.md): raw body, Stripe-Signature. No session, no CSRF token: the signature is the check. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  // Stripe's event payloads are far below this; a larger body is refused before it is read.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return Response.json({ error: "payload_too_large" }, { status: 413 });
  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) return Response.json({ error: "payload_too_large" }, { status: 413 });
  const outcome = await receiveStripeWebhook(await getDb(), raw, request.headers.get("stripe-signature"));
  if (outcome.status !== 200) return Response.json({ error: outcome.error }, { status: outcome.status });
  return Response.json({ received: true, result: outcome.result });
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
