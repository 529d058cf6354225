import { and, asc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "~db/client.server";
import { jobs, type Job } from "~db/schema";
import { systemContext, type ServiceContext } from "~/services/context";

/**
 * Scheduled work through one table (docs/decisions/0005-scheduled-jobs.md). A feature enqueues a job
 * (inside its own transaction when it has one) and registers a handler for its kind; workers in any
 * instance claim due jobs with FOR UPDATE SKIP LOCKED, so a job runs on one instance at a time.
 *
 * Delivery is at least once: a handler that crashes its instance (or outlives its claim, `lockMs`)
 * is run again by another worker. Handlers make their effect idempotent (a dedupe key on the email,
 * a unique row) or do it in `complete`, which commits with the job's "done".
 */

export interface JobSpec {
  kind: string;
  /** Not before this time (default now). */
  runAt?: Date;
  /** Unique per kind: a second enqueue with the same key is a no-op (`daily:2026-11-30`, `invoice:42:reminder:1`). */
  dedupeKey?: string | null;
  payload?: Record<string, unknown>;
}

export interface JobRun {
  job: Job;
  /** A system context named `job:<kind>:<id>`, for the services the handler calls. */
  ctx: ServiceContext;
  db: Db;
}

/**
 * What a handler returns: optionally the next run of a recurring job, and writes that must commit
 * together with this job's "done" (`complete`, given the transaction). Both are in one transaction,
 * so a recurring chain is never broken by a crash between "done" and "next".
 */
export interface JobOutcome {
  next?: JobSpec;
  complete?: (tx: Tx) => Promise<void>;
}

export type JobHandler = (run: JobRun) => Promise<JobOutcome | void>;

export interface HandlerOptions {
  /** Attempts before the job is failed for good (default 5). */
  maxAttempts?: number;
  /** How long a claim holds before another worker may take the job over (default 5 minutes). */
  lockMs?: number;
}

interface Registered extends Required<HandlerOptions> {
  handler: JobHandler;
}

export const jobDefaults = { maxAttempts: 5, lockMs: 5 * 60_000, batchSize: 10 };

/**
 * The handlers this process knows. A worker claims only these kinds, so an instance running older
 * code never claims (and fails) a job it has no handler for.
 */
const handlers = new Map<string, Registered>();

export function registerJobHandler(kind: string, handler: JobHandler, opts: HandlerOptions = {}): void {
  handlers.set(kind, { handler, maxAttempts: opts.maxAttempts ?? jobDefaults.maxAttempts, lockMs: opts.lockMs ?? jobDefaults.lockMs });
}

/** For tests: forget a kind's handler. */
export function unregisterJobHandler(kind: string): void {
  handlers.delete(kind);
}

export function registeredJobKinds(): string[] {
  return [...handlers.keys()];
}

/** Tells this instance's worker that a job was queued (it may be due now). */
export const jobListeners = new Set<() => void>();

/**
 * Queues a job; with a transaction it commits or rolls back with the caller's change. Returns the
 * new job's id, or null when a job of this kind with this dedupe key already exists.
 */
export async function enqueueJob(db: Db | Tx, spec: JobSpec): Promise<bigint | null> {
  if (!spec.kind) throw new Error("a job needs a kind");
  const rows = await db
    .insert(jobs)
    .values({ kind: spec.kind, runAt: spec.runAt ?? new Date(), dedupeKey: spec.dedupeKey ?? null, payload: spec.payload ?? {} })
    .onConflictDoNothing({ target: [jobs.kind, jobs.dedupeKey] })
    .returning({ id: jobs.id });
  jobListeners.forEach((fn) => fn());
  return rows[0]?.id ?? null;
}

/** 10 s, 20 s, 40 s, … capped at one hour. */
export function jobBackoffMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

export interface RunOptions {
  db: Db;
  clock?: () => Date;
  batchSize?: number;
  /** Only these kinds (default: every registered kind). */
  kinds?: string[];
}

export interface RunResult {
  claimed: number;
  done: number;
  retrying: number;
  failed: number;
}

/**
 * Claims due jobs in one short statement (an UPDATE over a sub-select locked FOR UPDATE SKIP
 * LOCKED: two workers never get the same job) and runs them one by one outside that transaction.
 * A job whose claim ran out (its instance crashed) is due again. Recording the outcome checks the
 * claim token, so a worker whose claim was taken over cannot overwrite the newer claim's result.
 */
export async function runDueJobsOnce(opts: RunOptions): Promise<RunResult> {
  const { db } = opts;
  const clock = opts.clock ?? (() => new Date());
  const kinds = (opts.kinds ?? registeredJobKinds()).filter((k) => handlers.has(k));
  const result: RunResult = { claimed: 0, done: 0, retrying: 0, failed: 0 };
  if (!kinds.length) return result;
  const now = clock();
  const claimToken = randomUUID();
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.kind, kinds),
        or(and(eq(jobs.status, "queued"), lte(jobs.runAt, now)), and(eq(jobs.status, "running"), lt(jobs.lockedUntil, now))),
      ),
    )
    .orderBy(asc(jobs.runAt), asc(jobs.id))
    .limit(opts.batchSize ?? jobDefaults.batchSize)
    .for("update", { skipLocked: true });
  // The lock is the longest of the kinds' (the rows' own is set per kind just below, in the same statement).
  const lockCase = sql.join(
    kinds.map((k) => sql`when ${k} then ${new Date(now.getTime() + handlers.get(k)!.lockMs).toISOString()}::timestamptz`),
    sql` `,
  );
  const claimed = await db
    .update(jobs)
    .set({ status: "running", claimToken, lockedUntil: sql`case ${jobs.kind} ${lockCase} end`, attempts: sql`${jobs.attempts} + 1`, updatedAt: now })
    .where(inArray(jobs.id, due))
    .returning();
  result.claimed = claimed.length;
  for (const job of claimed.sort((a, b) => (a.runAt.getTime() - b.runAt.getTime()) || Number(a.id - b.id))) {
    const outcome = await runOne(db, job, claimToken, clock);
    result[outcome]++;
  }
  return result;
}

async function runOne(db: Db, job: Job, claimToken: string, clock: () => Date): Promise<"done" | "retrying" | "failed"> {
  const registered = handlers.get(job.kind)!;
  const mine = and(eq(jobs.id, job.id), eq(jobs.claimToken, claimToken), eq(jobs.status, "running"));
  // Claimed again after its claim ran out more often than it may be tried: it takes its instance
  // down (or hangs) every time, so it is not run once more.
  if (job.attempts > registered.maxAttempts) {
    await db
      .update(jobs)
      .set({ status: "failed", lastError: `claim ran out ${job.attempts - 1} times (the instance running it stopped or it ran past its lock)`, claimToken: null, lockedUntil: null, finishedAt: clock(), updatedAt: clock() })
      .where(mine);
    console.error(`[jobs] ${job.kind} ${job.id} failed for good: its claim ran out ${job.attempts - 1} times`);
    return "failed";
  }
  try {
    const outcome = (await registered.handler({ job, db, ctx: systemContext(db, `job:${job.kind}:${job.id}`) })) ?? {};
    await db.transaction(async (tx) => {
      const marked = await tx
        .update(jobs)
        .set({ status: "done", claimToken: null, lockedUntil: null, lastError: null, finishedAt: clock(), updatedAt: clock() })
        .where(mine)
        .returning({ id: jobs.id });
      // Our claim was taken over (we outlived lockMs): the other run records the outcome.
      if (!marked.length) return;
      await outcome.complete?.(tx);
      if (outcome.next) await enqueueJob(tx, outcome.next);
    });
    return "done";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const giveUp = job.attempts >= registered.maxAttempts;
    await db
      .update(jobs)
      .set({
        status: giveUp ? "failed" : "queued",
        runAt: giveUp ? job.runAt : new Date(clock().getTime() + jobBackoffMs(job.attempts)),
        lastError: message.slice(0, 1000),
        claimToken: null,
        lockedUntil: null,
        finishedAt: giveUp ? clock() : null,
        updatedAt: clock(),
      })
      .where(mine);
    if (giveUp) console.error(`[jobs] ${job.kind} ${job.id} failed for good after ${job.attempts} attempts: ${message}`);
    else console.warn(`[jobs] ${job.kind} ${job.id} attempt ${job.attempts} failed, will retry: ${message}`);
    return giveUp ? "failed" : "retrying";
  }
}

/** Runs until nothing is due (the worker loop and tests). */
export async function drainJobs(opts: RunOptions): Promise<RunResult> {
  const total: RunResult = { claimed: 0, done: 0, retrying: 0, failed: 0 };
  for (;;) {
    const r = await runDueJobsOnce(opts);
    total.claimed += r.claimed;
    total.done += r.done;
    total.retrying += r.retrying;
    total.failed += r.failed;
    if (r.claimed === 0 || r.retrying + r.failed === r.claimed) return total;
  }
}
