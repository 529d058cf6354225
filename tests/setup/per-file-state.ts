import { appendFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, inject } from "vitest";
import { setDatabaseForTests } from "~db/client.server";
import { jobListeners, registeredJobKinds, unregisterJobHandler } from "~/services/jobs/jobs.server";
import { setEnvForTests } from "~/utils/env.server";
import { resetSessionCookieForTests } from "~/utils/session-cookie.server";
import { cpuSeconds } from "./cpu";
import { needsServer, whenBuilt, whenPgliteTemplatesReady } from "./run-order";

/*
 * Runs before each test file. Files share a worker process and its loaded modules (vite.config.ts:
 * isolate false, so the app's modules load once per worker rather than once per file), so the app's
 * process-wide state a file may have set is put back to what a fresh process has: the configuration
 * (read from process.env again), the session cookie built from it, the database handle, and the job
 * handlers and listeners. Caches that depend on the database are keyed by its handle
 * (docs/conventions.md), and every file opens its own database.
 */
setEnvForTests(undefined);
resetSessionCookieForTests();
setDatabaseForTests(undefined);
for (const kind of registeredJobKinds()) unregisterJobHandler(kind);
jobListeners.clear();

/*
 * A file that starts a server or drives Chromium waits, before it is even loaded, for the production build that
 * `npm test` runs beside the suite and for the PGlite templates its servers' data directories are copied from
 * (./run-order.ts); the globalSetup builds them while the first files run. Once both exist this costs nothing.
 */
const testPath = expect.getState().testPath ?? "";
if (needsServer(testPath)) {
  const templateDir = inject("pgliteTemplateDir");
  await Promise.all([whenBuilt(), templateDir ? whenPgliteTemplatesReady(templateDir) : undefined]);
}

/*
 * TEST_CPU_LOG=<file>: appends one line per test file, "<file>\t<CPU-s>\t<wall-s>", the CPU being this
 * worker's and its ended children's (servers, Chromium) while the file ran, from /proc (Linux only).
 * PostgreSQL's own processes are not ours and not counted. For measuring the suite under load.
 */
if (process.env.TEST_CPU_LOG) {
  const start = { cpu: cpuSeconds("self") ?? 0, at: performance.now() };
  const file = path.relative(process.cwd(), testPath || "?");
  afterAll(() => {
    const cpu = (cpuSeconds("self") ?? 0) - start.cpu;
    appendFileSync(process.env.TEST_CPU_LOG!, `${file}\t${cpu.toFixed(2)}\t${((performance.now() - start.at) / 1000).toFixed(1)}\n`);
  });
}
