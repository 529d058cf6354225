import type { Db } from "~db/client.server";
import { enqueueJob, registerJobHandler } from "~/services/jobs/jobs.server";
import { nextDailyRun } from "~/services/jobs/recurring";
import { sendOverdueReminders } from "./invoices-send.server";

/** The daily reminder run for overdue bank invoices (iface.md: `invoice_overdue_reminders`). */
export const OVERDUE_REMINDERS_JOB = "invoice_overdue_reminders";
/** 07:00 UTC: 08:00 or 09:00 in Sweden, a working morning. */
const HOUR_UTC = 7;

/**
 * Registers the handler and queues the next daily run (its dedupe key per day makes that a no-op on
 * every other instance and restart). Each run queues the next one with its own "done".
 */
export async function registerInvoiceJobs(db: Db, clock: () => Date = () => new Date()): Promise<void> {
  registerJobHandler(OVERDUE_REMINDERS_JOB, async ({ ctx }) => {
    const now = clock();
    await sendOverdueReminders(ctx, now);
    return { next: { kind: OVERDUE_REMINDERS_JOB, ...nextDailyRun(now, HOUR_UTC) } };
  });
  await enqueueJob(db, { kind: OVERDUE_REMINDERS_JOB, ...nextDailyRun(clock(), HOUR_UTC) });
}
