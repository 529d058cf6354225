import { getDatabase } from "~db/client.server";
import { seedDemoData } from "~db/seed";
import { env, listeningMessage, type Env } from "~/utils/env.server";
import { grantAdminFromConfig } from "~/services/people/people.server";
import { transportFor } from "~/services/email/transport.server";
import { startEmailWorker, type EmailWorker } from "~/services/email/worker.server";
import { startEmailWorkerThread } from "~/services/email/worker-thread.server";
import { startIdentityHousekeeping } from "~/services/auth/housekeeping.server";

let emailWorker: EmailWorker | "thread" | undefined;

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
 * server build's URL (`bundle`), the email worker runs in a worker thread on PostgreSQL
 * (worker-thread.server.ts).
 */
export async function startup(opts: { workers?: boolean; bundle?: string } = {}): Promise<{ port: number; host?: string; listening: string }> {
  const config = env();
  const standins = localStandins(config);
  if (config.production && (standins.payments || standins.mail) && !config.allowLocalStandins) {
    const missing = standins.payments ? "STRIPE_SECRET_KEY" : "RESEND_API_KEY";
    console.error(`Invalid configuration: ${missing} is required when APP_ENV=production (local stand-ins are refused)`);
    process.exit(1);
  }
  // Opening the database migrates it and loads the reference data (db/client.server.ts).
  const database = await getDatabase();
  if (config.demoData) {
    const ran = await seedDemoData(database.db);
    console.log(`[lokala-mal] demo data loaded (${ran.length ? ran.join(", ") : "reference data only"})`);
  }
  for (const email of config.adminEmails) {
    const { created, granted, removedBefore } = await grantAdminFromConfig(database.db, email);
    if (created || granted) console.log(`[lokala-mal] admin from ADMIN_EMAILS: ${email}`);
    if (removedBefore) console.log(`[lokala-mal] ADMIN_EMAILS: ${email} is not made admin again (an admin removed the role; see /admin/audit)`);
  }
  if (opts.workers && !emailWorker) {
    if (database.kind === "postgres" && opts.bundle) {
      emailWorker = "thread";
      startEmailWorkerThread(opts.bundle, () => {
        emailWorker = startEmailWorker({ db: database.db, transport: transportFor(config) });
      });
    } else {
      emailWorker = startEmailWorker({ db: database.db, transport: transportFor(config) });
    }
    console.log(`[lokala-mal] email worker: ${emailWorker === "thread" ? "worker thread" : "main thread"}`);
    startIdentityHousekeeping(database.db);
  }
  console.log(`[lokala-mal] database: ${database.kind}${database.kind === "pglite" ? ` in ${config.dataDir}/pglite` : ""}`);
  if (standins.payments) console.log("[lokala-mal] LOCAL STAND-IN: payment simulator (no STRIPE_SECRET_KEY)");
  if (standins.mail) console.log("[lokala-mal] LOCAL STAND-IN: dev mailbox at /dev/mail (no RESEND_API_KEY)");
  return { port: config.port, host: config.host, listening: listeningMessage(config) };
}
