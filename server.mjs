// Production server: Remix's request handler on Express. Runs migrations and reference data first
// (the app's own `startup`, exported from entry.server), then listens.
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler } from "@remix-run/node";
import express from "express";

process.env.NODE_ENV ??= "production";

const build = await import("./build/server/index.js");
const { port, host } = await build.entry.module.startup({ workers: true });
const { securityHeaders, originCheck, bodyLimit, MAX_BODY_BYTES, loadContext, createPageCache, answerStripeWebhook } = build.entry.module;

const app = express();
app.disable("x-powered-by");
// Behind a load balancer set TRUST_PROXY (e.g. 1) so the client's address and https are believed.
if (process.env.TRUST_PROXY) app.set("trust proxy", /^\d+$/.test(process.env.TRUST_PROXY) ? Number(process.env.TRUST_PROXY) : process.env.TRUST_PROXY);
app.use(securityHeaders());
app.use(bodyLimit());
app.use(originCheck());
// Stripe's webhooks are the hot path: answered here, without Remix's routing, by the same function
// as the Remix route (app/routes/webhooks.stripe.ts). The raw bytes are what the signature covers.
app.post("/webhooks/stripe", express.raw({ type: () => true, limit: MAX_BODY_BYTES }), async (req, res, next) => {
  try {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    const { status, body } = await answerStripeWebhook(raw, req.get("stripe-signature") ?? null);
    res.status(status).json(body);
  } catch (error) {
    next(error);
  }
});
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Public pages for visitors without a session come from a one-second cache (docs/decisions/0002).
const renderPage = createFetchHandler(build, "production");
app.use(createPageCache({ handle: (request, req) => renderPage(request, loadContext(req)), nonceFor: (req) => req.cspNonce }));
app.all("*", createRequestHandler({ build, getLoadContext: loadContext }));

const server = app.listen(port, host, () => {
  console.log(`[lokala-mal] listening on http://${host ?? "localhost"}:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
