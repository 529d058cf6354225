import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client.server";
import { receiveStripeWebhook } from "~/services/payments/webhook.server";

/** Stripe's webhook endpoint (DESIGN.md): raw body, Stripe-Signature. No session, no CSRF token: the signature is the check. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const raw = await request.text();
  const outcome = await receiveStripeWebhook(await getDb(), raw, request.headers.get("stripe-signature"));
  if (outcome.status === 400) return Response.json({ error: outcome.error }, { status: 400 });
  return Response.json({ received: true, result: outcome.result });
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
