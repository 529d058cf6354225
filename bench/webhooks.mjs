// `npm run bench:webhooks`: post N signed Stripe events to the production server on PostgreSQL, each
// delivered three times, shuffled, with concurrency; print events/s, latency (p50, p99) and a ledger
// check (every payment's entries against what the events say, the total, each event id stored once).
// Target: ≥ 300 events/s on 2 cores, zero discrepancies, where events/s counts distinct events (the
// stricter reading: three deliveries of one event count once). Needs the production build (npm run build).
// Env: BENCH_EVENTS (unique events timed, default 2000), BENCH_WARMUP_EVENTS (events of their own sent
//      before the clock starts, default 2000), BENCH_CONCURRENCY (default 16),
//      BENCH_DATABASE_URL (a PostgreSQL server; a fresh database is created on it and dropped after),
//      otherwise a throw-away cluster is started with scripts/pg-cluster.sh (as .ci/run does).
//      Diagnostics (not needed for the figures): BENCH_THREADS=1 prints the server's CPU per thread
//      (main, the email worker thread, V8's platform threads: compiler and GC helpers); BENCH_DUPLICATE_PASS=1
//      sends every timed delivery once more after the timed run and prints what a re-delivery of a
//      committed event costs; BENCH_SERVER_STDOUT=1 shows the server's stdout (e.g. with
//      BENCH_NODE_ARGS="--trace-deopt"); BENCH_STATEMENTS=1 lists the statements (pg_stat_statements).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { keepAliveConnection } from "./lib/keepalive-client.mjs";
import { freePort, waitUntilUp } from "./lib/server.mjs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import Stripe from "stripe";
import { benchDatabase, pgStatStatements, postgresCpuMeter, processCpuMs } from "./lib/postgres.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const uniqueTarget = Number(process.env.BENCH_EVENTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const warmupTarget = Number(process.env.BENCH_WARMUP_EVENTS ?? 2000);
const DELIVERIES = 3;
const SECRET = "whsec_bench_lokala_mal";
const SLUGS = ["ingen-hemloshet", "alla-ar-trygga", "ingen-ensamhet", "ingen-psykisk-ohalsa", "alla-kan-arbeta"];

if (!existsSync(path.join(root, "build/server/index.js"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}

// Seeded PRNG (mulberry32): the same run every time for the same BENCH_EVENTS.
let seed = 20261124;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const id = (prefix) => `${prefix}_bench${randomBytes(9).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const event = (type, object) => ({ id: id("evt"), object: "event", api_version: "2026-10-28.endive", created: now(), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } });

// --- The events: Payment Link payments (the app did not start them), partial and full refunds, lost disputes.
const expected = new Map(); // checkout session id → { amount, reversed }
/** About `count` events (a payment and what happens to it stay together), each delivered three times, shuffled. */
function makeDeliveries(count) {
  const events = [];
  while (events.length < count) {
    const amount = 2000 + Math.floor(rand() * 200_000);
    const goal = rand() < 0.3 ? "" : SLUGS[Math.floor(rand() * SLUGS.length)];
    const cs = id("cs");
    const pi = id("pi");
    const ch = id("ch");
    events.push(
      event("checkout.session.completed", {
        id: cs, object: "checkout.session", mode: "payment", status: "complete", payment_status: "paid",
        amount_total: amount, amount_subtotal: amount, currency: "sek", payment_intent: pi,
        allowed_payment_method_types: ["card", "swish"], payment_method_types: ["card", "swish"],
        metadata: goal ? { goal } : {}, customer_details: process.env.BENCH_NO_EMAIL ? null : { email: `bench.${cs}@example.com`, name: "Bench Givare" },
      }),
    );
    let refunded = 0;
    let lost = 0;
    const r = rand();
    const charge = (amountRefunded) => ({
      id: ch, object: "charge", amount, amount_captured: amount, amount_refunded: amountRefunded, currency: "sek", paid: true,
      status: "succeeded", captured: true, refunded: amountRefunded >= amount, payment_intent: pi, metadata: {}, created: now(),
      payment_method_details: { type: "card" }, billing_details: { email: null, name: null },
    });
    if (r < 0.25) {
      refunded = Math.floor(amount / 4);
      events.push(event("charge.refunded", charge(refunded)));
      if (r < 0.08) {
        refunded = amount;
        events.push(event("charge.refunded", charge(refunded)));
      }
    } else if (r < 0.3) {
      const dp = id("dp");
      const d = (status) => ({ id: dp, object: "dispute", amount, charge: ch, payment_intent: pi, currency: "sek", status, reason: "fraudulent", metadata: {}, created: now() });
      events.push(event("charge.dispute.created", d("needs_response")), event("charge.dispute.closed", d("lost")));
      lost = amount;
    }
    if (rand() < 0.05) events.push(event("customer.created", { id: id("cus"), object: "customer" })); // ignored type: 200
    expected.set(cs, { amount: BigInt(amount), reversed: BigInt(Math.min(amount, refunded + lost)) });
  }
  const deliveries = [];
  for (const e of events) for (let i = 0; i < DELIVERIES; i++) deliveries.push(e);
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  return { events, deliveries };
}
// The timed events first, so they are the same as before for the same BENCH_EVENTS. The warm-up has
// events of its own, made and delivered the same way and all answered before the clock starts: the
// server's JIT compiler and pools reach their steady state, and the timed run is every delivery of the
// timed events, in the same mix of first deliveries and repeats.
const timedSet = makeDeliveries(uniqueTarget);
const warmupSet = makeDeliveries(warmupTarget);
const events = [...timedSet.events, ...warmupSet.events];
const deliveries = timedSet.deliveries;

// --- PostgreSQL: a fresh database on BENCH_DATABASE_URL, or a throw-away cluster (bench/lib/postgres.mjs).
const database = await benchDatabase("bench");
const dbUrl = new URL(database.url);

const port = await freePort();
// A stand-in for Stripe's API: when a refund arrives before its payment the app asks which invoice
// the charge belongs to, and which Checkout Session its PaymentIntent came from (Payment Link
// payments in this bench belong to neither).
const emptyLists = ["/v1/invoice_payments", "/v1/checkout/sessions"];
const stripeApi = http.createServer((req, res) => {
  const list = req.method === "GET" ? emptyLists.find((p) => req.url?.startsWith(p)) : undefined;
  res.writeHead(list ? 200 : 404, { "content-type": "application/json" });
  res.end(JSON.stringify(list ? { object: "list", data: [], has_more: false, url: list } : { error: { type: "invalid_request_error", message: "not in the bench stand-in" } }));
});
await new Promise((resolve) => stripeApi.listen(0, "127.0.0.1", resolve));
const stripeApiUrl = `http://127.0.0.1:${stripeApi.address().port}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-"));
const env = {
  PATH: process.env.PATH, HOME: process.env.HOME ?? "/tmp", TZ: "UTC", NODE_ENV: "production",
  APP_ENV: "production", ALLOW_LOCAL_STANDINS: "1", DEMO_DATA: "0",
  PORT: String(port), HOST: "127.0.0.1", APP_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir,
  DATABASE_URL: dbUrl.toString(), SESSION_SECRET: "b".repeat(48),
  STRIPE_SECRET_KEY: "sk_test_bench", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: stripeApiUrl,
  // One server process unless asked (BENCH_WEB_CONCURRENCY): the figures stay comparable with earlier runs,
  // and with several processes a re-delivery often lands where the first delivery is not remembered.
  WEB_CONCURRENCY: process.env.BENCH_WEB_CONCURRENCY ?? "1",
};
const server = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : []), "server.mjs"], { cwd: root, env, stdio: ["ignore", process.env.BENCH_SERVER_STDOUT ? "inherit" : "ignore", "inherit"] });
const base = `http://127.0.0.1:${port}`;

async function cleanup() {
  if (server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  stripeApi.close();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

try {
  await waitUntilUp(base, server);

  // Each event's body is made once: Stripe sends the same body on every attempt, and only the signature
  // header (with a fresh timestamp) differs. The client is bench/lib/keepalive-client.mjs: the load
  // generator runs on the same 2 cores as what it measures, so it should spend as little as it can.
  const bodies = new Map(events.map((e) => [e, JSON.stringify(e)]));
  const connections = Array.from({ length: concurrency }, () => keepAliveConnection("127.0.0.1", port));
  function post(connection, e) {
    const payload = bodies.get(e);
    // Each delivery is signed anew, as Stripe signs each attempt with a fresh timestamp.
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const head = `POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nStripe-Signature: ${signature}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n`;
    const started = process.hrtime.bigint();
    return connection.request(head, payload).then(({ status }) => ({ status, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  }

  // A bad signature first: refused, nothing written.
  const bad = await new Promise((resolve, reject) => {
    const payload = JSON.stringify(events[0]);
    const req = http.request(`${base}/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(payload);
  });

  // CPU time of the app server (Linux /proc), to read the figures on a busy machine.
  const cpuOf = processCpuMs;
  // The server's main thread (its tid is its pid) against its other threads (the email worker thread,
  // V8's compiler and GC helpers, libuv's pool): where the app's CPU goes.
  const mainThreadCpu = () => processCpuMs(`${server.pid}/task/${server.pid}`);
  // PostgreSQL's CPU on this machine: the bench cluster's processes, or on a shared server only this
  // database's backends (bench/lib/postgres.mjs), so other work on the machine is not counted.
  const pgMeter = await postgresCpuMeter(database.url, { ownCluster: database.ownCluster });
  // Statements per delivery, when the server has pg_stat_statements loaded (shared_preload_libraries).
  const statementStats = await pgStatStatements(database.url);
  const benchCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const statuses = new Map();
  async function run(list, latencies) {
    let next = 0;
    await Promise.all(
      connections.map(async (connection) => {
        while (next < list.length) {
          const e = list[next++];
          const r = await post(connection, e);
          latencies?.push(r.ms);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }),
    );
  }
  // Warm-up (JIT, connection pool, caches): the warm-up events' deliveries, answered before the clock starts.
  const warmup = warmupSet.deliveries.length;
  await run(warmupSet.deliveries);
  const cpu0 = cpuOf(server.pid);
  const main0 = mainThreadCpu();
  const threadsOf = () => new Map(readdirSync(`/proc/${server.pid}/task`).map((t) => [t, processCpuMs(`${server.pid}/task/${t}`)]));
  const threads0 = process.env.BENCH_THREADS ? threadsOf() : null;
  await pgMeter.cpuMs();
  await statementStats?.reset();
  const bench0 = benchCpu();
  const latencies = [];
  const t0 = process.hrtime.bigint();
  await run(deliveries, latencies);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const timed = deliveries.length;
  const serverCpuMs = cpuOf(server.pid) - cpu0;
  const mainCpuMs = mainThreadCpu() - main0;
  const threadCpu = threads0 ? [...threadsOf()].map(([t, ms]) => [t, ms - (threads0.get(t) ?? 0)]).sort((a, b) => b[1] - a[1]) : [];
  const postgresCpuMs = await pgMeter.cpuMs();
  const statements = await statementStats?.read();
  await pgMeter.end();
  const benchCpuMs = benchCpu() - bench0;
  // BENCH_DUPLICATE_PASS=1: every timed delivery once more, each now a re-delivery of a committed event,
  // to show what a duplicate costs the app and PostgreSQL (not timed, not in the figures above).
  let duplicatePass = null;
  if (process.env.BENCH_DUPLICATE_PASS) {
    const app0 = cpuOf(server.pid);
    const pgMeter2 = await postgresCpuMeter(database.url, { ownCluster: database.ownCluster });
    await pgMeter2.cpuMs();
    await run(deliveries);
    duplicatePass = { app: cpuOf(server.pid) - app0, pg: await pgMeter2.cpuMs() };
    await pgMeter2.end();
  }
  for (const connection of connections) connection.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

  // --- Ledger check, straight from the database.
  const db = postgres(dbUrl.toString(), { max: 2, onnotice: () => {} });
  const rows = await db`
    select p.checkout_session_id as cs, p.amount_ore::text as amount, p.status,
           coalesce(sum(e.amount_ore) filter (where e.kind = 'allocation'), 0)::text as alloc,
           coalesce(sum(e.amount_ore), 0)::text as net
    from payments p left join ledger_entries e on e.payment_id = p.id
    group by p.id`;
  const [{ total }] = await db`select coalesce(sum(amount_ore), 0)::text as total from ledger_entries`;
  const [{ stored }] = await db`select count(*)::int as stored from stripe_events`;
  const [{ goalsum }] = await db`select coalesce(sum(s), 0)::text as goalsum from (select sum(amount_ore) s from ledger_entries group by goal_id) x`;
  const [{ receipts }] = await db`select count(*)::int as receipts from email_outbox where template = 'gift-receipt'`;
  await db.end();
  const discrepancies = [];
  const seen = new Set();
  for (const r of rows) {
    const exp = expected.get(r.cs);
    if (!exp) { discrepancies.push(`unexpected payment ${r.cs}`); continue; }
    seen.add(r.cs);
    if (r.status !== "paid") discrepancies.push(`${r.cs}: status ${r.status}`);
    if (BigInt(r.alloc) !== exp.amount) discrepancies.push(`${r.cs}: allocated ${r.alloc}, paid ${exp.amount}`);
    if (BigInt(r.net) !== exp.amount - exp.reversed) discrepancies.push(`${r.cs}: net ${r.net}, expected ${exp.amount - exp.reversed}`);
  }
  for (const cs of expected.keys()) if (!seen.has(cs)) discrepancies.push(`missing payment ${cs}`);
  const expectedTotal = [...expected.values()].reduce((s, e) => s + e.amount - e.reversed, 0n);
  if (BigInt(total) !== expectedTotal) discrepancies.push(`ledger total ${total}, expected ${expectedTotal}`);
  if (BigInt(goalsum) !== expectedTotal) discrepancies.push(`sum of goal balances ${goalsum}, expected ${expectedTotal}`);
  // Every payment's receipt is queued once (the donor's address is on its Checkout Session).
  const expectedReceipts = process.env.BENCH_NO_EMAIL ? 0 : expected.size;
  if (receipts !== expectedReceipts) discrepancies.push(`${receipts} receipts queued, expected ${expectedReceipts}`);
  const handled = events.filter((e) => e.type !== "customer.created").length;
  if (stored !== handled) discrepancies.push(`${stored} event ids stored, expected ${handled}`);
  const non200 = deliveries.length * (duplicatePass ? 2 : 1) + warmup - (statuses.get(200) ?? 0);
  if (non200) discrepancies.push(`${non200} deliveries not answered 200 (${JSON.stringify(Object.fromEntries(statuses))})`);
  if (bad !== 400) discrepancies.push(`bad signature answered ${bad}, not 400`);

  const rate = timed / seconds;
  console.log(`\nWebhook benchmark: ${timedSet.events.length} events × ${DELIVERIES} deliveries = ${deliveries.length} POSTs timed (after ${warmupSet.events.length} warm-up events, ${warmup} POSTs), shuffled, concurrency ${concurrency}, ${os.cpus().length} cores, PostgreSQL`);
  console.log(`events/s (deliveries): ${rate.toFixed(0)}   distinct events/s: ${(rate / DELIVERIES).toFixed(0)}   timed: ${timed} POSTs in ${seconds.toFixed(1)} s`);
  console.log(`CPU per delivery: app server ${(serverCpuMs / timed).toFixed(2)} ms, PostgreSQL ${(postgresCpuMs / timed).toFixed(2)} ms, this script ${(benchCpuMs / timed).toFixed(2)} ms (sum ${((serverCpuMs + postgresCpuMs + benchCpuMs) / 1000 / seconds).toFixed(2)} cores busy)`);
  console.log(`  app server: main thread ${(mainCpuMs / timed).toFixed(2)} ms, its other threads (email worker, V8 compiler and GC, libuv) ${((serverCpuMs - mainCpuMs) / timed).toFixed(2)} ms`);
  if (duplicatePass) console.log(`  a re-delivery of a committed event (BENCH_DUPLICATE_PASS): app server ${(duplicatePass.app / timed).toFixed(2)} ms, PostgreSQL ${(duplicatePass.pg / timed).toFixed(2)} ms`);
  if (threadCpu.length) console.log(`  per thread (ms per delivery): ${threadCpu.slice(0, 8).map(([t, ms]) => `${t === String(server.pid) ? "main" : t} ${(ms / timed).toFixed(3)}`).join(", ")}`);
  console.log(`  PostgreSQL counted: ${pgMeter.scope}`);
  if (statements) {
    console.log(`statements per delivery (pg_stat_statements): ${(statements.calls / timed).toFixed(2)}, ${(statements.ms / timed).toFixed(3)} ms executing`);
    if (process.env.BENCH_STATEMENTS) for (const st of statements.top) console.log(`  ${String(st.calls).padStart(7)} × ${st.mean.toFixed(3)} ms ${st.toplevel ? " " : "↳"} ${st.query}`);
  }
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (other work on the machine slows this down)`);
  console.log(`latency ms: p50 ${pct(50).toFixed(1)}  p99 ${pct(99).toFixed(1)}  max ${latencies.at(-1).toFixed(1)}`);
  console.log(`ledger check: ${expected.size} payments, total ${expectedTotal} öre, ${receipts} receipts queued, bad signature → ${bad}, discrepancies: ${discrepancies.length}`);
  for (const d of discrepancies.slice(0, 20)) console.log(`  ✗ ${d}`);
  const distinct = rate / DELIVERIES;
  const ok = discrepancies.length === 0 && distinct >= 300;
  console.log(ok ? "target met: ≥ 300 distinct events/s and zero discrepancies" : `TARGET MISSED${distinct < 300 ? ` (${distinct.toFixed(0)} distinct events/s < 300)` : ""}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await cleanup();
}
