import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { workplaceProgrammes } from "~db/schema";
import { requireSystem, type ServiceContext } from "~/services/context";
import { enqueueJob, registerJobHandler } from "~/services/jobs/jobs.server";
import { nextDailyRun } from "~/services/jobs/recurring";
import { runPayrollMonth } from "./payroll-run.server";

/**
 * The monthly payroll run through the one job queue (docs/decisions/0005-scheduled-jobs.md):
 *
 * - `workplace-payroll-schedule`, daily: queues one `workplace-payroll-run` per active programme for
 *   the current (Swedish) month, dedupe key `programme:<id>:<month>` — so each programme's month is
 *   queued once whatever the number of instances or days, and a programme set up mid-month gets its
 *   list the next morning.
 * - `workplace-payroll-run`: lists the month (runPayrollMonth). At-least-once delivery is safe: the
 *   run row is unique per employer and month, and the system's second call leaves an existing run.
 */
export const PAYROLL_SCHEDULE_JOB = "workplace-payroll-schedule";
export const PAYROLL_RUN_JOB = "workplace-payroll-run";
/** 05:00 UTC: the list is there when the contact starts the working day. */
const HOUR_UTC = 5;

/** The payroll month a moment falls in, in Swedish time. */
export function swedishMonth(moment: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit" }).formatToParts(moment);
  return `${parts.find((p) => p.type === "year")!.value}-${parts.find((p) => p.type === "month")!.value}-01`;
}

/** Queues this month's run of every active programme (the schedule job's work). Returns how many were new. */
export async function queuePayrollRuns(ctx: ServiceContext, now: Date): Promise<number> {
  requireSystem(ctx);
  const month = swedishMonth(now);
  const programmes = await ctx.db.select({ id: workplaceProgrammes.id }).from(workplaceProgrammes).where(eq(workplaceProgrammes.status, "active"));
  let queued = 0;
  for (const p of programmes) {
    const id = await enqueueJob(ctx.db, { kind: PAYROLL_RUN_JOB, dedupeKey: `programme:${p.id}:${month}`, payload: { programmeId: p.id, month } });
    if (id !== null) queued++;
  }
  return queued;
}

export async function registerPayrollJobs(db: Db, clock: () => Date = () => new Date()): Promise<void> {
  registerJobHandler(PAYROLL_SCHEDULE_JOB, async ({ ctx }) => {
    const now = clock();
    await queuePayrollRuns(ctx, now);
    return { next: { kind: PAYROLL_SCHEDULE_JOB, ...nextDailyRun(now, HOUR_UTC) } };
  });
  registerJobHandler(PAYROLL_RUN_JOB, async ({ ctx, job }) => {
    const { programmeId, month } = job.payload as { programmeId: number; month: string };
    await runPayrollMonth(ctx, programmeId, month);
  });
  await enqueueJob(db, { kind: PAYROLL_SCHEDULE_JOB, ...nextDailyRun(clock(), HOUR_UTC) });
}
