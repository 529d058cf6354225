import type { ActionFunctionArgs } from "@remix-run/node";
import { answerStripeWebhook } from "~/services/payments/webhook-http.server";
import { MAX_BODY_BYTES } from "~/utils/http-guards.server";

/**
 * Stripe's webhook endpoint (DESIGN.md): raw body, Stripe-Signature. No session, no CSRF token: the
 * signature is the check. In production server.mjs answers this path itself through the same
 * function (answerStripeWebhook), without Remix's routing.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return Response.json({ error: "payload_too_large" }, { status: 413 });
  const { status, body } = await answerStripeWebhook(await request.text(), request.headers.get("stripe-signature"));
  return Response.json(body, { status });
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
