// `npm run bench:collections`: requests/s of a collection page (/c/<slug>) and a competition's JSON
// (/api/competitions/<slug>) with autocannon, each against the same server's trivial route (/ping),
// while gifts to the competition's team collection arrive through signed Stripe webhooks
// (checkout.session.completed with metadata.collection, as a Payment Link sends them); and the
// largest staleness of the shown total: from a webhook's 200 to the first JSON answer that shows
// the new total. Targets: the page ≥ 0.5 of the trivial route, the total never more than 2 s behind.
// Uses the production build (npm run build) and the demo data (demo competition demo-mest-insamlat).
// Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 10), BENCH_GIFT_EVERY_MS (default 100),
// DATABASE_URL (else embedded PGlite), BENCH_WEB_CONCURRENCY (server processes on PostgreSQL, default 1).
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { freePort, waitUntilUp } from "./lib/server.mjs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Stripe from "stripe";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const giftEveryMs = Number(process.env.BENCH_GIFT_EVERY_MS ?? 100);
const SECRET = "whsec_bench_collections";
const COMPETITION = "demo-mest-insamlat";
const TEAM_PAGE = "demo-mest-insamlat-lag-1";
const TEAM_NAME = "Demo: Exempelbolaget Bygg AB";

if (!existsSync(path.join(root, "build/server/index.js"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}

const port = await freePort();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-"));
const processes = process.env.BENCH_WEB_CONCURRENCY ?? "1";
const env = {
  ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, NODE_ENV: "production", WEB_CONCURRENCY: processes,
  STRIPE_WEBHOOK_SECRET: SECRET, DEMO_DATA: "1", APP_URL: `http://127.0.0.1:${port}`,
};
delete env.STRIPE_SECRET_KEY;
const server = spawn(process.execPath, ["server.mjs"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
const base = `http://127.0.0.1:${port}`;
await waitUntilUp(base, server);

const teamRaised = async () => {
  const body = await (await fetch(`${base}/api/competitions/${COMPETITION}`)).json();
  return body.standings.find((s) => s.team === TEAM_NAME).raisedOre;
};

/** Signed Payment Link gifts to the team page, one every giftEveryMs, and how late each shows in the JSON. */
function giftStream(stopAt) {
  const staleness = [];
  let sent = 0;
  let expected = null;
  const run = async () => {
    expected = await teamRaised();
    while (Date.now() < stopAt) {
      const amount = 5_000 + Math.floor(Math.random() * 50_000);
      const id = (p) => `${p}_bench${randomBytes(9).toString("hex")}`;
      const event = {
        id: id("evt"), object: "event", api_version: "2026-10-28.endive", created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1,
        request: { id: null, idempotency_key: null }, type: "checkout.session.completed",
        data: { object: {
          id: id("cs"), object: "checkout.session", mode: "payment", status: "complete", payment_status: "paid", amount_total: amount, amount_subtotal: amount,
          currency: "sek", payment_intent: id("pi"), allowed_payment_method_types: ["card"], payment_method_types: ["card"],
          metadata: { collection: TEAM_PAGE }, customer_details: { email: `bench.${sent}@example.com`, name: "Bench Givare" },
        } },
      };
      const payload = JSON.stringify(event);
      const res = await fetch(`${base}/webhooks/stripe`, {
        method: "POST", body: payload,
        headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) },
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      const acceptedAt = Date.now();
      expected += amount;
      sent++;
      // Poll until the JSON shows it (or a later total): how far behind the shown total was.
      while ((await teamRaised()) < expected) {
        if (Date.now() - acceptedAt > 10_000) throw new Error("a gift did not show within 10 s");
        await new Promise((r) => setTimeout(r, 20));
      }
      staleness.push(Date.now() - acceptedAt);
      const wait = giftEveryMs - (Date.now() - acceptedAt);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return { sent, staleness };
  };
  return run();
}

async function load(name, urlPath, withGifts) {
  await autocannon({ url: base + urlPath, connections, duration: 2 });
  const gifts = withGifts ? giftStream(Date.now() + duration * 1000) : null;
  const result = await autocannon({ url: base + urlPath, connections, duration });
  const g = gifts ? await gifts : null;
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { name, path: urlPath, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, gifts: g };
}

try {
  const pageStatus = (await fetch(`${base}/c/${TEAM_PAGE}`)).status;
  if (pageStatus !== 200) console.log(`NOTE: /c/${TEAM_PAGE} answered ${pageStatus}: the collection page is not measured`);
  const trivial = await load("trivial", "/ping", false);
  const rows = [trivial];
  if (pageStatus === 200) rows.push(await load("page", `/c/${TEAM_PAGE}`, true));
  rows.push(await load("json", `/api/competitions/${COMPETITION}`, true));
  console.log(`\nCollections benchmark: ${connections} connections, ${duration} s each, a gift every ${giftEveryMs} ms during page and json, ${os.cpus().length} cores, ${process.env.DATABASE_URL ? `postgres, ${processes} server process(es)` : "pglite, 1 server process"}`);
  console.log("route    path                                   req/s   p50 ms  p99 ms  ratio  gifts  max staleness ms");
  let ok = true;
  let worst = 0;
  for (const r of rows) {
    const ratio = r.rps / trivial.rps;
    if (r.name === "page" && ratio < 0.5) ok = false;
    const max = r.gifts ? Math.max(0, ...r.gifts.staleness) : null;
    if (max !== null) worst = Math.max(worst, max);
    console.log(
      `${r.name.padEnd(8)} ${r.path.padEnd(38)} ${r.rps.toFixed(0).padStart(6)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)}  ${ratio.toFixed(2)}  ${String(r.gifts?.sent ?? "-").padStart(5)}  ${max ?? "-"}`,
    );
  }
  if (worst > 2000 || pageStatus !== 200) ok = false;
  console.log(`largest staleness of the shown total: ${worst} ms (target ≤ 2000 ms)`);
  console.log(ok ? "targets met: page ≥ 0.5 of the trivial route, total ≤ 2 s behind" : "TARGET MISSED");
  process.exitCode = ok ? 0 : 1;
} finally {
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
