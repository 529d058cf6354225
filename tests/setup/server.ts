import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, inject } from "vitest";
import { cpuSeconds } from "./cpu";

export const repoRoot = path.resolve(__dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  const base = path.join(repoRoot, "tmp");
  return mkdtempSync(path.join(existsSync(base) ? base : os.tmpdir(), `${prefix}-`));
}

/**
 * A fresh data directory for a server whose caller gave none. On the embedded database it starts with a
 * copy of the run's migrated PGlite (tests/setup/global-db.ts), so the server skips initdb and the
 * migrations, which cost it as much as a test file's database used to; with the demo data already
 * loaded unless the server is started without it (DEMO_DATA=0), so its seeders find it in place.
 */
export function freshDataDir(extraEnv: Record<string, string>): string {
  const dataDir = tempDir("data");
  const demo = extraEnv.DEMO_DATA !== "0";
  const template = inject(demo ? "pgliteDemoTemplateDir" : "pgliteTemplateDir");
  if (template && !extraEnv.DATABASE_URL) {
    cpSync(template, path.join(dataDir, "pglite"), { recursive: true });
    if (demo) demoTemplateCopies.add(dataDir);
  }
  return dataDir;
}

/** The data directories freshDataDir filled from the run's demo template (a test may add its fixtures before the start). */
const demoTemplateCopies = new Set<string>();

/**
 * DEMO_DATA_PRELOADED=1 for a server whose data directory freshDataDir filled from the run's demo template,
 * its own or one the caller made with freshDataDir and passes as DATA_DIR: the globalSetup seeded it with this
 * same code (its seedDemoData fails the run if a seeder is broken), so the server skips its seeders, 1.8–2.5
 * of its 6–7 CPU-s per start (docs/decisions/0013). A server given any other DATA_DIR, or a database, still
 * runs them.
 */
function preloadedDemoEnv(extraEnv: Record<string, string>): Record<string, string> {
  if (extraEnv.DATABASE_URL || extraEnv.DEMO_DATA === "0") return {};
  const fromDemoTemplate = extraEnv.DATA_DIR ? demoTemplateCopies.has(extraEnv.DATA_DIR) : !!inject("pgliteDemoTemplateDir");
  return fromDemoTemplate ? { DEMO_DATA_PRELOADED: "1" } : {};
}

/**
 * For a server whose test uses none of the demo data (no demo people, organisations or gifts): it
 * starts from the plain template and runs no demo seeders. (From the demo template it skips them too,
 * DEMO_DATA_PRELOADED above; the smaller data directory is what is left of the difference.)
 */
export const NO_DEMO_DATA: Record<string, string> = { DEMO_DATA: "0" };

/** `node server.mjs` on `port`, loopback only, with a fresh data directory and nothing else from this environment. */
function spawnServer(port: number, extraEnv: Record<string, string>, dataDir = tempDir("data")) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    TZ: "UTC",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    // One process unless a test asks for a cluster (server.mjs serves from every core on PostgreSQL).
    WEB_CONCURRENCY: "1",
    ...extraEnv,
  };
  // --liftoff-only: V8 compiles PGlite's WebAssembly with its baseline compiler only, never optimising it
  // in the background. The same build and code; for a test server's short life it costs less CPU: a start
  // from the template and 120 pages took 8.0, 7.1 CPU-s without it, 5.3, 4.3 with it (interleaved, load 4.5).
  // No effect on PostgreSQL, where PGlite is not loaded.
  return spawn(process.execPath, ["--liftoff-only", "server.mjs"], { cwd: repoRoot, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
}

export interface RunningServer {
  url: string;
  port: number;
  /** The server's process id, and its exit code once it ended (null while it runs); set by startServer. */
  pid?: number;
  exitCode?: () => number | null;
  output: () => string;
  /** Resolves with the output once it matches: a log line written with a response may reach the pipe after it. */
  waitForOutput?: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * Starts the production server (`node server.mjs`, needs `npm run build` first) with the given
 * environment and waits until it says it is listening (it listens only after its startup: migrations,
 * reference data) and /healthz answers. Only DATABASE_URL-free, key-free env by default.
 */
export async function startServer(extraEnv: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunningServer> {
  if (!existsSync(path.join(repoRoot, "build/server/index.js"))) {
    throw new Error("No production build: run `npm run build` (npm test does it first).");
  }
  const port = await freePort();
  const child = spawnServer(port, { ...preloadedDemoEnv(extraEnv), ...extraEnv }, extraEnv.DATA_DIR ?? freshDataDir(extraEnv));
  let log = "";
  const url = `http://127.0.0.1:${port}`;
  // Awaited rather than polled: the line server.mjs prints from listen()'s callback, or the exit.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      log += d;
      if (log.includes("listening on http://")) done(resolve);
    };
    const onExit = (code: number | null) => done(() => reject(new Error(`server exited with ${code}:\n${log}`)));
    const done = (settle: () => void) => {
      clearTimeout(timer);
      child.off("exit", onExit);
      settle();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d) => (log += d));
    child.once("exit", onExit);
  });
  const health = await fetch(`${url}/healthz`);
  if (!health.ok) {
    await stopChild(child);
    throw new Error(`server started but /healthz answered ${health.status}:\n${log}`);
  }
  const waitForOutput = (pattern: RegExp, waitMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      if (pattern.test(log)) return resolve(log);
      const check = () => {
        if (!pattern.test(log)) return;
        cleanup();
        resolve(log);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`the server's output did not match ${pattern} within ${waitMs} ms:\n${log}`));
      }, waitMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        child.stderr!.off("data", check);
      };
      // Registered after the collectors above, so `log` already holds the chunk when check runs.
      child.stdout!.on("data", check);
      child.stderr!.on("data", check);
    });
  return { url, port, pid: child.pid!, exitCode: () => child.exitCode, output: () => log, waitForOutput, stop: () => (logServerCpu(child), stopChild(child)) };
}

/** With TEST_CPU_LOG (tests/setup/per-file-state.ts): the server's own CPU seconds, read just before it is stopped. */
function logServerCpu(child: ChildProcess) {
  if (!process.env.TEST_CPU_LOG || child.exitCode !== null) return;
  const cpu = cpuSeconds(child.pid!);
  if (cpu !== undefined) appendFileSync(process.env.TEST_CPU_LOG, `  server of ${path.relative(repoRoot, expect.getState().testPath ?? "?")}\t${cpu.toFixed(2)}\n`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Runs `node server.mjs` expecting it to exit (bad configuration); returns its exit code and output. */
export async function runServerExpectingExit(extraEnv: Record<string, string>, timeoutMs = 30_000) {
  const child = spawnServer(await freePort(), extraEnv);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, timeoutMs);
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr };
}
