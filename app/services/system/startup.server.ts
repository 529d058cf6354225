import { getDatabase, underSessionLock, type Database } from "~db/client.server";
import { demoDataInPlace, seedDemoData } from "~db/seed";
import { env, listeningMessage, type Env } from "~/utils/env.server";
import { grantAdminFromConfig } from "~/services/people/people.server";
import { transportFor } from "~/services/email/transport.server";
import { startEmailWorker, type EmailWorker } from "~/services/email/worker.server";
import { startEmailWorkerThreadWhenDue } from "~/services/email/worker-thread.server";
import { startIdentityHousekeeping } from "~/services/auth/housekeeping.server";
import { registerAllJobHandlers } from "~/services/jobs/registry.server";
import { startJobWorker, type JobWorker } from "~/services/jobs/worker.server";

let emailWorker: EmailWorker | "thread" | undefined;
let jobWorker: JobWorker | undefined;

/** Local stand-ins in use, announced in the log at start and by a banner on every page. */
export function localStandins(config: Env = env()) {
  return {
    payments: !config.stripeSecretKey,
    mail: !config.resendApiKey,
  };
}

/**
 * Runs before the server listens: configuration (exits on a bad value), migrations, reference data,
 * demo data where it belongs, the admins named in ADMIN_EMAILS. Returns where to listen.
 * Background workers (the email outbox) start only with `workers: true`, which server.mjs passes:
 * code that calls startup() in-process (tests, scripts) never starts them by accident. Given the
 * server build's URL (`bundle`), the email worker runs in a worker thread on PostgreSQL, started
 * when the first email is due (worker-thread.server.ts). `prepared`: a cluster process whose primary already loaded the demo data
 * and ADMIN_EMAILS (server.mjs); opening the database still checks the migrations (under a lock).
 */
export async function startup(opts: { workers?: boolean; bundle?: string; prepared?: boolean } = {}): Promise<{ port: number; host?: string; listening: string }> {
  const config = env();
  const standins = localStandins(config);
  if (config.production && (standins.payments || standins.mail) && !config.allowLocalStandins) {
    const missing = standins.payments ? "STRIPE_SECRET_KEY" : "RESEND_API_KEY";
    console.error(`Invalid configuration: ${missing} is required when APP_ENV=production (local stand-ins are refused)`);
    process.exit(1);
  }
  // Opening the database migrates it and loads the reference data (db/client.server.ts).
  const database = await openDatabaseWaiting(config);
  if (config.demoData && !opts.prepared) {
    if (demoDataPreloaded() && (await demoDataInPlace(database.db))) {
      console.log("[lokala-mal] demo data in place (DEMO_DATA_PRELOADED=1: the data directory's template was seeded by this code)");
    } else {
      // One instance at a time: the seeders are idempotent one after the other, not all of them side by side.
      const ran = await underSessionLock(database, 4242002, () => seedDemoData(database.db));
      console.log(`[lokala-mal] demo data loaded (${ran.length ? ran.join(", ") : "reference data only"})`);
    }
  }
  for (const email of opts.prepared ? [] : config.adminEmails) {
    const { created, granted, removedBefore } = await grantAdminFromConfig(database.db, email);
    if (created || granted) console.log(`[lokala-mal] admin from ADMIN_EMAILS: ${email}`);
    if (removedBefore) console.log(`[lokala-mal] ADMIN_EMAILS: ${email} is not made admin again (an admin removed the role; see /admin/audit)`);
  }
  if (opts.workers && !emailWorker) {
    if (database.kind === "postgres" && opts.bundle) {
      emailWorker = "thread";
      startEmailWorkerThreadWhenDue(database.db, opts.bundle, () => {
        emailWorker = startEmailWorker({ db: database.db, transport: transportFor(config) });
      });
    } else {
      emailWorker = startEmailWorker({ db: database.db, transport: transportFor(config) });
    }
    console.log(`[lokala-mal] email worker: ${emailWorker === "thread" ? "worker thread (started when an email is due)" : "main thread"}`);
    startIdentityHousekeeping(database.db);
  }
  // Scheduled work (app/services/jobs): every instance runs a worker; the claim keeps a job to one.
  if (opts.workers && !jobWorker) {
    await registerAllJobHandlers(database.db);
    jobWorker = startJobWorker({ db: database.db });
  }
  if (opts.prepared) return { port: config.port, host: config.host, listening: listeningMessage(config) };
  console.log(`[lokala-mal] database: ${database.kind}${database.kind === "pglite" ? ` in ${config.dataDir}/pglite` : ""}`);
  if (standins.payments) console.log("[lokala-mal] LOCAL STAND-IN: payment simulator (no STRIPE_SECRET_KEY)");
  if (standins.mail) console.log("[lokala-mal] LOCAL STAND-IN: dev mailbox at /dev/mail (no RESEND_API_KEY)");
  return { port: config.port, host: config.host, listening: listeningMessage(config) };
}

/**
 * DEMO_DATA_PRELOADED=1: the database is a copy of one that this same code seeded (the test run's demo
 * template, tests/setup/server.ts), so the seeders are skipped when their marker says all of them ran
 * (docs/decisions/0013). Without it they run at every start: a developer's data directory picks up a
 * seeder that changed since it was seeded.
 */
function demoDataPreloaded(): boolean {
  return process.env.DEMO_DATA_PRELOADED === "1";
}

/** How long a starting server waits for PostgreSQL (DATABASE_WAIT_SECONDS, default 60), e.g. both started together. */
function databaseWaitMs(): number {
  const seconds = Number(process.env.DATABASE_WAIT_SECONDS ?? 60);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 60_000;
}

/**
 * getDatabase(), waiting for a PostgreSQL that is not reachable yet: one plain line per attempt
 * (the URL without its password), attempts 0.5, 1, 2, 4, 5, 5 … s apart, and after the wait a
 * clean exit with status 1 instead of an unhandled error's stack. A database that answers but
 * refuses (wrong password, no such database) is said in one line too, without waiting.
 */
async function openDatabaseWaiting(config: Env): Promise<Database> {
  const where = config.databaseUrl ? redactedUrl(config.databaseUrl) : "";
  const deadline = Date.now() + databaseWaitMs();
  for (let attempt = 1; ; attempt++) {
    try {
      return await getDatabase();
    } catch (error) {
      const problem = connectionProblem(error);
      if (!problem || !config.databaseUrl) throw error;
      const left = deadline - Date.now();
      if (!problem.transient || left <= 0) {
        console.error(`[lokala-mal] the database at ${where} cannot be reached (${problem.reason}); giving up${problem.transient ? ` after ${attempt} attempts` : ""}`);
        process.exit(1);
      }
      const delay = Math.min(500 * 2 ** (attempt - 1), 5000, left);
      console.error(`[lokala-mal] the database at ${where} cannot be reached (${problem.reason}); trying again in ${(delay / 1000).toFixed(1)} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(DATABASE_URL, not a URL)";
  }
}

/** Whether the error (or its cause, Drizzle wraps the driver's) is about reaching the database, and if waiting may help. */
function connectionProblem(error: unknown): { reason: string; transient: boolean } | undefined {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === "string" ? e.code : "";
    // Refused, unknown host, timed out, reset, or "the database system is starting up".
    if (/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|CONNECT_TIMEOUT|CONNECTION_CLOSED|57P03)$/.test(code)) {
      return { reason: code, transient: true };
    }
    // Wrong password or role, no such database: waiting does not help.
    if (/^(28000|28P01|3D000)$/.test(code)) return { reason: `${code}: ${String(e.message)}`, transient: false };
  }
  return undefined;
}
