import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "~db/client.server";
import { env } from "~/utils/env.server";
import { bodyRefusal, closeUnread, MAX_BODY_BYTES } from "~/utils/http-guards.server";
import { receiveStripeWebhook } from "./webhook.server";

/**
 * POST /webhooks/stripe as status and JSON body, from the raw body and the Stripe-Signature header.
 * The Remix route and server.mjs's listener (stripeWebhookListener below) both answer through this
 * one function.
 */
export async function answerStripeWebhook(raw: string, signature: string | null): Promise<{ status: number; body: unknown }> {
  if (raw.length > MAX_BODY_BYTES) return { status: 413, body: { error: "payload_too_large" } };
  const outcome = await receiveStripeWebhook(await getDb(), raw, signature);
  if (outcome.status !== 200) return { status: outcome.status, body: { error: outcome.error } };
  return { status: 200, body: { received: true, result: outcome.result } };
}

/** Whether server.mjs should hand this request to stripeWebhookListener instead of Express. */
export function isStripeWebhookRequest(req: IncomingMessage): boolean {
  return req.method === "POST" && (req.url === "/webhooks/stripe" || req.url?.startsWith("/webhooks/stripe?") === true);
}

/**
 * Stripe's webhooks are the server's hot path (every event is delivered at least once, often more):
 * server.mjs answers them with this plain Node listener, before Express. It keeps what the Express
 * chain gives every request and applies here: the body limit (bodyRefusal, as for every other
 * request: 411 without a declared length, 413 over MAX_BODY_BYTES, before reading), and the security headers that matter for a JSON answer. No
 * CSRF check: the signature is the check (webhooks are exempt in originCheck too).
 */
export function stripeWebhookListener() {
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
  };
  if (env().appUrl.startsWith("https:")) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  const send = (res: ServerResponse, status: number, body: unknown, close = false) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { ...headers, "Content-Length": String(Buffer.byteLength(json)), ...(close ? { Connection: "close" } : {}) });
    res.end(json);
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const refused = bodyRefusal(req);
    if (refused) {
      closeUnread(req);
      send(res, refused, { error: refused === 411 ? "length_required" : "payload_too_large" }, true);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => req.destroy());
    req.on("end", () => {
      const raw = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8");
      const signature = req.headers["stripe-signature"];
      answerStripeWebhook(raw, (Array.isArray(signature) ? signature[0] : signature) ?? null).then(
        ({ status, body }) => send(res, status, body),
        (error) => {
          console.error("[payments] webhook failed:", error);
          // Stripe delivers the event again later; nothing was committed.
          if (!res.headersSent) send(res, 500, { error: "internal_error" });
        },
      );
    });
  };
}
