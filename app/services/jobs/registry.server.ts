/**
 * Every kind of scheduled work this app runs, registered once at start (startup.server.ts) before
 * the worker claims anything. A feature adds one line here: its own `registerXJobs()`, which calls
 * registerJobHandler for its kinds and enqueues the first run of a recurring one (a dedupe key per
 * period makes that a no-op on every later start and on every other instance).
 */
import type { Db } from "~db/client.server";
import { registerCompetitionJobs } from "~/services/competitions/results.server";
import { registerCrmJobs } from "~/services/crm/reminders.server";
import { registerInvoiceJobs } from "~/services/invoices/invoices-jobs.server";
import { registerPartnershipJobs } from "~/services/partners/renewals.server";
import { registerPayoutJobs } from "~/services/payments/payouts.server";
import { registerCollectionJobs } from "~/services/collections/owner-jobs.server";
import { registerPayrollJobs } from "~/services/workplace/payroll-jobs.server";
import { registerWorkplaceSummaryJobs } from "~/services/workplace/summary.server";

export const jobRegistrations: Array<(db: Db) => Promise<void> | void> = [
  (db) => registerInvoiceJobs(db),
  (db) => registerPartnershipJobs(db),
  (db) => registerCrmJobs(db),
  (db) => registerCollectionJobs(db),
  (db) => registerCompetitionJobs(db),
  (db) => registerPayrollJobs(db),
  (db) => registerWorkplaceSummaryJobs(db),
  (db) => registerPayoutJobs(db),
];

export async function registerAllJobHandlers(db: Db): Promise<void> {
  for (const register of jobRegistrations) await register(db);
}
