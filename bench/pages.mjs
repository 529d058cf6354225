// `npm run bench:pages`: load the trivial route (/ping), home, a goal page and /give of the production server
// with autocannon, as an anonymous visitor and as a signed-in person (a session made through the app's own
// sign-in link: POST /login, the link from the dev mailbox, POST /login/verify), and print requests/s, p50,
// p99 and each page's ratio to the trivial route. On PostgreSQL it does so with one server process and with
// one per core, and prints the gain.
// Targets (issue 10 item 6): anonymous home and goal pages (served from the one-second page cache) at least
// 0.7 of the trivial route; every signed-in page, and /give for anyone, at least 0.4 on PostgreSQL.
// Uses the production build (npm run build).
// Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 10), DATABASE_URL (else embedded PGlite),
// BENCH_WEB_CONCURRENCY (server processes on PostgreSQL: "1", "all" = one per core, or "1,all" = both: the default).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { freePort, waitUntilUp } from "./lib/server.mjs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const postgres = !!process.env.DATABASE_URL;
// A new person each run: sign-in links are rate-limited per address, and a PostgreSQL bench database is reused.
const email = `bench-${Date.now()}-${process.pid}@example.org`;
const goalPath = "/goals/alla-ar-trygga";

if (!existsSync(path.join(root, "build/server/index.js"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}

async function startServer(processes, dataDir) {
  const port = await freePort();
  // APP_ENV stays local: the sign-in link is read from the dev mailbox, as tests/setup/dev-mailbox.ts does.
  const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, NODE_ENV: "production", WEB_CONCURRENCY: String(processes) };
  const server = spawn(process.execPath, ["server.mjs"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(base, server);
  const stopped = new Promise((resolve) => server.once("exit", resolve));
  return { base, stop: () => (server.kill("SIGTERM"), stopped) };
}

async function post(base, urlPath, fields) {
  return fetch(base + urlPath, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    redirect: "manual",
  });
}

/** Signs in through the emailed link, as a person would, and returns the session cookie (`name=value`). */
async function signIn(base) {
  const asked = await post(base, "/login", { email });
  if (asked.status !== 200) throw new Error(`POST /login: ${asked.status}`);
  const mailbox = await (await fetch(`${base}/dev/mail`)).text();
  const rows = [...mailbox.matchAll(/<tr[\s\S]*?<\/tr>/g)].filter((m) => m[0].includes(`<td>${email}</td>`));
  const ids = rows.flatMap((m) => [...m[0].matchAll(/href="\/dev\/mail\/(\d+)"/g)].map((x) => Number(x[1])));
  if (!ids.length) throw new Error("no sign-in message in the dev mailbox");
  const message = await (await fetch(`${base}/dev/mail/${Math.max(...ids)}`)).text();
  const link = message.match(/href="(https?:\/\/[^"]*\/login\/verify\?token=[^"]+)"/);
  if (!link) throw new Error("no sign-in link in the message");
  const token = new URL(link[1].replace(/&amp;/g, "&")).searchParams.get("token");
  const verified = await post(base, "/login/verify", { token });
  const cookie = verified.headers.get("set-cookie")?.split(";")[0];
  if (verified.status !== 302 || !cookie) throw new Error(`POST /login/verify: ${verified.status}`);
  // The cookie must really sign in: the account page answers 200 (not a redirect to /login).
  const account = await fetch(`${base}/account`, { headers: { cookie }, redirect: "manual" });
  if (account.status !== 200) throw new Error(`signed-in /account: ${account.status}`);
  return cookie;
}

async function load(base, name, urlPath, headers = {}) {
  // A short warm-up so JIT and caches are in the same state for every route.
  await autocannon({ url: base + urlPath, connections, duration: 2, headers });
  const result = await autocannon({ url: base + urlPath, connections, duration, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { name, path: urlPath, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function run(processes) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-"));
  const server = await startServer(processes, dataDir);
  try {
    const cookie = await signIn(server.base);
    const signedIn = { cookie };
    const rows = [];
    for (const [name, urlPath, headers] of [
      ["trivial", "/ping"],
      ["home", "/"],
      ["goal", goalPath],
      ["give", "/give"],
      ["home*", "/", signedIn],
      ["goal*", goalPath, signedIn],
      ["give*", "/give", signedIn],
    ]) {
      rows.push(await load(server.base, name, urlPath, headers));
    }
    return rows;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const cores = os.availableParallelism();
const asked = postgres ? (process.env.BENCH_WEB_CONCURRENCY ?? "1,all") : "1";
const counts = [...new Set(asked.split(",").map((c) => (c.trim() === "all" ? cores : Number(c))))];
let ok = true;
const trivialRps = new Map();
for (const processes of counts) {
  const rows = await run(processes);
  const trivial = rows[0];
  trivialRps.set(processes, rows);
  console.log(
    `\nPages benchmark: ${connections} connections, ${duration} s each, ${cores} cores, load average ${os.loadavg()[0].toFixed(1)}, ` +
      `${postgres ? `postgres, ${processes} server process(es)` : "pglite, 1 server process"}  (* = signed in)`,
  );
  console.log("route    path                     req/s    p50 ms  p99 ms  ratio  target");
  for (const r of rows) {
    const ratio = r.rps / trivial.rps;
    // Anonymous home and goal pages come from the page cache; everything else is rendered per request.
    const cached = r.name === "home" || r.name === "goal";
    const target = r.name === "trivial" ? null : cached ? 0.7 : postgres ? 0.4 : null;
    if (target !== null && ratio < target) ok = false;
    const verdict = target === null ? "" : `${ratio >= target ? "≥" : "<"} ${target}`;
    console.log(
      `${r.name.padEnd(8)} ${r.path.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)}  ${ratio.toFixed(2).padStart(5)}  ${verdict}`,
    );
  }
}
if (counts.length > 1) {
  const [one, ...more] = counts;
  for (const n of more) {
    const gains = trivialRps.get(n).map((r, i) => `${r.name} ${(r.rps / trivialRps.get(one)[i].rps).toFixed(2)}×`);
    console.log(`\n${n} processes against ${one}: ${gains.join(", ")}`);
  }
}
console.log(
  ok
    ? `\ntarget met: anonymous home and goal ≥ 0.7${postgres ? ", signed-in pages and /give ≥ 0.4" : ""} of the trivial route`
    : "\nTARGET MISSED: a page is below its target ratio to the trivial route",
);
process.exitCode = ok ? 0 : 1;
