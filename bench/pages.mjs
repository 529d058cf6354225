// `npm run bench:pages`: load home, a goal page and the trivial route (/ping) of one production server
// with autocannon, and print requests/s, p50 and p99 for each, and each page's ratio to the trivial route.
// Target: home and goal pages at least 0.7 of the trivial route. Uses the production build (npm run build).
// Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 10), DATABASE_URL (else embedded PGlite),
// BENCH_WEB_CONCURRENCY (server processes on PostgreSQL: default 1, "all" = one per core).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

if (!existsSync(path.join(root, "build/server/index.js"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}

const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-"));
// Server processes on PostgreSQL: BENCH_WEB_CONCURRENCY (default 1; "all" = one per core, as in production).
const processes = process.env.BENCH_WEB_CONCURRENCY === "all" ? String(os.availableParallelism()) : (process.env.BENCH_WEB_CONCURRENCY ?? "1");
const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, NODE_ENV: "production", WEB_CONCURRENCY: processes };
const server = spawn(process.execPath, ["server.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
  if (i > 600 || server.exitCode !== null) throw new Error("server did not start");
  await new Promise((r) => setTimeout(r, 100));
}

async function load(name, urlPath) {
  // A short warm-up so JIT and caches are in the same state for every route.
  await autocannon({ url: base + urlPath, connections, duration: 2 });
  const result = await autocannon({ url: base + urlPath, connections, duration });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { name, path: urlPath, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

try {
  const trivial = await load("trivial", "/ping");
  const rows = [trivial, await load("home", "/"), await load("goal", "/goals/alla-ar-trygga")];
  console.log(`\nPages benchmark: ${connections} connections, ${duration} s each, ${os.cpus().length} cores, ${process.env.DATABASE_URL ? `postgres, ${processes} server process(es)` : "pglite, 1 server process"}`);
  console.log("route    path                     req/s    p50 ms  p99 ms  ratio");
  let ok = true;
  for (const r of rows) {
    const ratio = r.rps / trivial.rps;
    if (r.name !== "trivial" && ratio < 0.7) ok = false;
    console.log(
      `${r.name.padEnd(8)} ${r.path.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)}  ${ratio.toFixed(2)}`,
    );
  }
  console.log(ok ? "target met: home and goal pages ≥ 0.7 of the trivial route" : "TARGET MISSED: a page is below 0.7 of the trivial route");
  process.exitCode = ok ? 0 : 1;
} finally {
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
