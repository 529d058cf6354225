// Production server: Remix's request handler on Express. Runs migrations and reference data first
// (the app's own `startup`, exported from entry.server), then listens.
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler } from "@remix-run/node";
import express from "express";
import http from "node:http";

process.env.NODE_ENV ??= "production";

const bundle = new URL("./build/server/index.js", import.meta.url).href;
const build = await import(bundle);
// Background workers start here; on PostgreSQL the email worker runs in a worker thread that loads this same build.
const { port, host, listening } = await build.entry.module.startup({ workers: true, bundle });
const { securityHeaders, hostCheck, targetCheck, originCheck, bodyLimit, loadContext, createPageCache, isStripeWebhookRequest, stripeWebhookListener } = build.entry.module;

const app = express();
app.disable("x-powered-by");
// Behind a load balancer set TRUST_PROXY (e.g. 1) so the client's address and https are believed.
if (process.env.TRUST_PROXY) app.set("trust proxy", /^\d+$/.test(process.env.TRUST_PROXY) ? Number(process.env.TRUST_PROXY) : process.env.TRUST_PROXY);
app.use(securityHeaders());
// Only the configured host names (DNS rebinding); no control characters in the path or query (docs/decisions/0003).
app.use(hostCheck());
app.use(targetCheck());
app.use(bodyLimit());
app.use(originCheck());
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Public pages for visitors without a session come from a one-second cache (docs/decisions/0002).
const renderPage = createFetchHandler(build, "production");
app.use(createPageCache({ handle: (request, req) => renderPage(request, loadContext(req)), nonceFor: (req) => req.cspNonce }));
app.all("*", createRequestHandler({ build, getLoadContext: loadContext }));

// Stripe's webhooks are the hot path: answered by a plain Node listener before Express (with the body
// limit and the security headers that apply to them), by the same function as the Remix route
// (app/routes/webhooks.stripe.ts). The raw bytes are what the signature covers.
const webhook = stripeWebhookListener();
const server = http.createServer((req, res) => (isStripeWebhookRequest(req) ? webhook(req, res) : app(req, res)));
server.listen(port, host, () => {
  console.log(listening);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
