// Production server: Remix's request handler on Express. Runs migrations and reference data first
// (the app's own `startup`, exported from entry.server), then listens.
//
// On PostgreSQL it serves from every core (node:cluster): the primary prepares the database once and
// forks WEB_CONCURRENCY processes (default: one per core), each of which is a full app instance as if
// several servers shared the database — rate limits, the email outbox and jobs are kept in the
// database and are safe across instances, and the page cache holds a page for at most a second in
// each process (docs/decisions/0002). On PGlite, an embedded database in one process, it is one process.
import cluster from "node:cluster";
import http from "node:http";
import { availableParallelism } from "node:os";

process.env.NODE_ENV ??= "production";

const bundle = new URL("./build/server/index.js", import.meta.url).href;
const build = await import(bundle);
const processes = processCount();

if (cluster.isPrimary && processes > 1) {
  // Migrations, reference and demo data, ADMIN_EMAILS: once, before any process serves.
  await build.entry.module.startup({ workers: false, bundle });
  console.log(`[lokala-mal] serving from ${processes} processes (WEB_CONCURRENCY; one per core by default)`);
  let stopping = false;
  const recentDeaths = [];
  for (let i = 0; i < processes; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A process that keeps dying at start (a broken configuration) ends the server instead of looping.
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length && recentDeaths[0] < now - 30_000) recentDeaths.shift();
    console.error(`[lokala-mal] server process ${worker.process.pid} ended (${signal ?? `exit ${code}`}); starting another`);
    if (recentDeaths.length > processes * 3) {
      console.error("[lokala-mal] server processes keep ending; giving up");
      process.exit(1);
    }
    cluster.fork();
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
      setTimeout(() => process.exit(0), 4000).unref();
    });
  }
} else {
  await serve();
}

/** WEB_CONCURRENCY server processes on PostgreSQL (default: one per core); always one on PGlite. */
function processCount() {
  const asked = Number(process.env.WEB_CONCURRENCY ?? 0);
  if (!process.env.DATABASE_URL) {
    if (asked > 1 && cluster.isPrimary) console.log("[lokala-mal] WEB_CONCURRENCY ignored: PGlite is embedded in one process");
    return 1;
  }
  return Number.isInteger(asked) && asked >= 1 ? asked : availableParallelism();
}

async function serve() {
  // Background workers start here; on PostgreSQL the email worker runs in a worker thread that loads this same
  // build, started when the first email is due (app/services/email/worker-thread.server.ts).
  // In a cluster process the primary has prepared the database already (`prepared`).
  const { port, host, listening } = await build.entry.module.startup({ workers: true, bundle, prepared: cluster.isWorker });
  // Express and the rest load only now: a start that ends in startup (a bad configuration, an unreachable
  // database) and a cluster's primary, which never serves, do without them (about 0.3 CPU-s).
  const [{ default: remixExpress }, { createRequestHandler: createFetchHandler }, { default: compression }, { default: express }, { default: expressStaticGzip }] = await Promise.all([
    // The two halves of @remix-run/express's request handler (its package exports only the whole handler).
    import("@remix-run/express/dist/server.js"),
    import("@remix-run/node"),
    import("compression"),
    import("express"),
    import("express-static-gzip"),
  ]);
  const { securityHeaders, hostCheck, targetCheck, originCheck, bodyLimit, loadContext, createPageCache, existingFilesOnly, isStripeWebhookRequest, stripeWebhookListener, sendDocument } =
    build.entry.module;

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
  // Built assets are compressed at build time (vite.config.ts): the .br or .gz file is sent as it is.
  app.use("/assets", expressStaticGzip("build/client/assets", { enableBrotli: true, orderPreference: ["br", "gz"], serveStatic: { immutable: true, maxAge: "1y" } }));
  // Pages and JSON are compressed as they are sent (gzip or brotli, whichever the browser prefers).
  app.use(compression({ threshold: 1024 }));
  // Only requests for a file the build has (favicon, robots.txt) reach express.static: a page is no stat.
  app.use(existingFilesOnly("build/client", express.static("build/client", { maxAge: "1h" })));
  // Public pages for visitors without a session come from a one-second cache (docs/decisions/0002).
  const renderPage = createFetchHandler(build, "production");
  app.use(createPageCache({ handle: (request, req) => renderPage(request, loadContext(req)), nonceFor: (req) => req.cspNonce }));
  // @remix-run/express's handler, except that a page rendered whole (entry.server) is sent as the string it is
  // (sendDocument) instead of being read back out of its Response's web stream.
  const handleRemix = createFetchHandler(build, process.env.NODE_ENV);
  app.all("*", async (req, res, next) => {
    try {
      const response = await handleRemix(remixExpress.createRemixRequest(req, res), loadContext(req));
      if (!sendDocument(res, response)) await remixExpress.sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  });

  // Stripe's webhooks are the hot path: answered by a plain Node listener before Express (with the body
  // limit and the security headers that apply to them), by the same function as the Remix route
  // (app/routes/webhooks.stripe.ts). The raw bytes are what the signature covers.
  const webhook = stripeWebhookListener();
  const server = http.createServer((req, res) => (isStripeWebhookRequest(req) ? webhook(req, res) : app(req, res)));
  server.listen(port, host, () => {
    console.log(cluster.isWorker ? `${listening} (process ${process.pid})` : listening);
  });

  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
    });
  }
}
