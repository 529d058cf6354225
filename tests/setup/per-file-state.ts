import { setDatabaseForTests } from "~db/client.server";
import { jobListeners, registeredJobKinds, unregisterJobHandler } from "~/services/jobs/jobs.server";
import { setEnvForTests } from "~/utils/env.server";
import { resetSessionCookieForTests } from "~/utils/session-cookie.server";

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
