import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type Db } from "~db/client.server";
import { jobs } from "~db/schema";
import { drainJobs, enqueueJob, jobBackoffMs, registerJobHandler, runDueJobsOnce, unregisterJobHandler } from "~/services/jobs/jobs.server";
import { nextDailyRun } from "~/services/jobs/recurring";
import { startJobWorker } from "~/services/jobs/worker.server";
import { dbTargets, useTestDatabase } from "../setup/db";

const jobOf = async (db: Db, id: bigint) => (await db.select().from(jobs).where(eq(jobs.id, id)))[0];
const at = (base: Date, ms: number) => () => new Date(base.getTime() + ms);

describe.each(dbTargets)("scheduled jobs on %s", (target) => {
  const ctx = useTestDatabase(target);
  // A second handle on the same database, as another app instance has (PGlite is one process's database).
  let other: Database | undefined;
  beforeAll(async () => {
    if (ctx.database.kind === "postgres") other = await openDatabase({ databaseUrl: ctx.database.url, max: 4 });
  });
  afterAll(async () => {
    await other?.close();
  });
  const secondDb = () => other?.db ?? ctx.db;
  const kind = (name: string) => `test_${name}_${target}`;

  it("a duplicate dedupe key of the same kind is a no-op; the same key of another kind is its own job", async () => {
    const first = await enqueueJob(ctx.db, { kind: kind("dedupe"), dedupeKey: "daily:2026-11-30", payload: { n: 1 } });
    const again = await ctx.db.transaction((tx) => enqueueJob(tx, { kind: kind("dedupe"), dedupeKey: "daily:2026-11-30", payload: { n: 2 } }));
    const otherKind = await enqueueJob(ctx.db, { kind: kind("dedupe2"), dedupeKey: "daily:2026-11-30" });
    const noKey = [await enqueueJob(ctx.db, { kind: kind("dedupe") }), await enqueueJob(ctx.db, { kind: kind("dedupe") })];
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    expect(otherKind).not.toBeNull();
    expect(noKey.every((id) => id !== null)).toBe(true);
    const rows = await ctx.db.select().from(jobs).where(eq(jobs.kind, kind("dedupe")));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.dedupeKey === "daily:2026-11-30")?.payload).toEqual({ n: 1 });
  });

  it("two workers on two database handles never run one job twice", async () => {
    const k = kind("race");
    const runs: bigint[] = [];
    registerJobHandler(k, async ({ job, db }) => {
      runs.push(job.id);
      // Some database work while holding the claim, so the workers' claims interleave.
      await db.execute(sql`select pg_sleep(0.002)`);
    });
    try {
      const ids: bigint[] = [];
      for (let i = 0; i < 40; i++) ids.push((await enqueueJob(ctx.db, { kind: k, payload: { i } }))!);
      const drain = (db: Db) => drainJobs({ db, kinds: [k], batchSize: 3 });
      const results = await Promise.all([drain(ctx.db), drain(secondDb()), drain(ctx.db), drain(secondDb())]);
      expect(results.reduce((n, r) => n + r.done, 0)).toBe(40);
      expect([...runs].sort()).toEqual([...ids].sort());
      expect(new Set(runs).size).toBe(40);
      const rows = await ctx.db.select().from(jobs).where(inArray(jobs.id, ids));
      expect(rows.every((r) => r.status === "done" && r.attempts === 1 && r.claimToken === null)).toBe(true);
      if (target === "postgres") expect(results.filter((r) => r.done > 0).length).toBeGreaterThan(1);
    } finally {
      unregisterJobHandler(k);
    }
  });

  it("recovers a job whose claim ran out (a crashed instance), and the late worker cannot record over it", async () => {
    const k = kind("crash");
    const now = new Date();
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    registerJobHandler(
      k,
      async ({ job }) => {
        runs.push(`run ${runs.length + 1} of ${job.id}`);
        if (runs.length === 1) await hung; // the first instance "crashes": it never finishes in time
      },
      { lockMs: 60_000 },
    );
    try {
      const id = (await enqueueJob(ctx.db, { kind: k, runAt: now }))!;
      const crashed = runDueJobsOnce({ db: ctx.db, kinds: [k], clock: () => now });
      await expect.poll(() => runs.length).toBe(1);
      expect((await jobOf(ctx.db, id)).status).toBe("running");
      // Within the claim, no other worker takes it.
      expect((await runDueJobsOnce({ db: secondDb(), kinds: [k], clock: at(now, 59_000) })).claimed).toBe(0);
      // After it, another instance does.
      const recovered = await runDueJobsOnce({ db: secondDb(), kinds: [k], clock: at(now, 61_000) });
      expect(recovered).toMatchObject({ claimed: 1, done: 1 });
      const afterRecovery = await jobOf(ctx.db, id);
      expect(afterRecovery).toMatchObject({ status: "done", attempts: 2 });
      // The first worker wakes up: its claim is gone, it records nothing.
      release();
      await crashed;
      expect(await jobOf(ctx.db, id)).toEqual(afterRecovery);
    } finally {
      unregisterJobHandler(k);
    }
  });

  it("retries a failing job with backoff and fails it for good after maxAttempts", async () => {
    const k = kind("retry");
    const now = new Date();
    let calls = 0;
    registerJobHandler(
      k,
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      { maxAttempts: 3 },
    );
    try {
      const id = (await enqueueJob(ctx.db, { kind: k, runAt: now }))!;
      expect(await runDueJobsOnce({ db: ctx.db, kinds: [k], clock: () => now })).toMatchObject({ claimed: 1, retrying: 1 });
      let job = await jobOf(ctx.db, id);
      expect(job).toMatchObject({ status: "queued", attempts: 1, lastError: "boom 1" });
      expect(job.runAt.getTime()).toBe(now.getTime() + jobBackoffMs(1));
      // Not due again before the backoff.
      expect((await runDueJobsOnce({ db: ctx.db, kinds: [k], clock: at(now, jobBackoffMs(1) - 1) })).claimed).toBe(0);
      const second = now.getTime() + jobBackoffMs(1);
      expect(await runDueJobsOnce({ db: ctx.db, kinds: [k], clock: () => new Date(second) })).toMatchObject({ retrying: 1 });
      job = await jobOf(ctx.db, id);
      expect(job.runAt.getTime()).toBe(second + jobBackoffMs(2));
      expect(jobBackoffMs(2)).toBeGreaterThan(jobBackoffMs(1));
      expect(await runDueJobsOnce({ db: ctx.db, kinds: [k], clock: () => new Date(second + jobBackoffMs(2)) })).toMatchObject({ failed: 1 });
      job = await jobOf(ctx.db, id);
      expect(job).toMatchObject({ status: "failed", attempts: 3, lastError: "boom 3" });
      expect((await runDueJobsOnce({ db: ctx.db, kinds: [k], clock: at(now, 24 * 3600_000) })).claimed).toBe(0);
      expect(calls).toBe(3);
    } finally {
      unregisterJobHandler(k);
    }
  });

  it("a job whose claim keeps running out is failed instead of being run again and again", async () => {
    const k = kind("crashloop");
    const now = new Date();
    let calls = 0;
    registerJobHandler(k, async () => void calls++, { maxAttempts: 2, lockMs: 1000 });
    try {
      const id = (await enqueueJob(ctx.db, { kind: k, runAt: now }))!;
      // Two claims that "crashed" (attempts counted, lock expired).
      await ctx.db.update(jobs).set({ status: "running", attempts: 2, claimToken: "dead", lockedUntil: now }).where(eq(jobs.id, id));
      expect(await runDueJobsOnce({ db: ctx.db, kinds: [k], clock: at(now, 1) })).toMatchObject({ claimed: 1, failed: 1 });
      expect(calls).toBe(0);
      expect(await jobOf(ctx.db, id)).toMatchObject({ status: "failed" });
    } finally {
      unregisterJobHandler(k);
    }
  });

  it("a recurring job schedules its next period in the same transaction as its done, once", async () => {
    const k = kind("daily");
    const now = new Date("2026-11-30T09:15:00Z");
    const seen: string[] = [];
    registerJobHandler(k, async ({ job }) => {
      seen.push(job.dedupeKey!);
      return { next: { kind: k, ...nextDailyRun(job.runAt, 6) } };
    });
    try {
      // Every instance enqueues the first run at start: one job.
      const first = nextDailyRun(now, 6);
      expect(first).toEqual({ runAt: new Date("2026-12-01T06:00:00Z"), dedupeKey: "daily:2026-12-01" });
      await enqueueJob(ctx.db, { kind: k, ...first });
      await enqueueJob(secondDb(), { kind: k, ...first });
      expect((await drainJobs({ db: ctx.db, kinds: [k], clock: () => now })).claimed).toBe(0);
      await drainJobs({ db: ctx.db, kinds: [k], clock: () => new Date("2026-12-01T06:00:01Z") });
      await drainJobs({ db: secondDb(), kinds: [k], clock: () => new Date("2026-12-02T07:00:00Z") });
      expect(seen).toEqual(["daily:2026-12-01", "daily:2026-12-02"]);
      const rows = await ctx.db.select().from(jobs).where(eq(jobs.kind, k)).orderBy(jobs.runAt);
      expect(rows.map((r) => [r.dedupeKey, r.status])).toEqual([
        ["daily:2026-12-01", "done"],
        ["daily:2026-12-02", "done"],
        ["daily:2026-12-03", "queued"],
      ]);
    } finally {
      unregisterJobHandler(k);
    }
  });

  it("writes in `complete` commit with done, and roll back with it", async () => {
    const k = kind("complete");
    registerJobHandler(k, async ({ job }) => ({
      complete: async (tx) => {
        await enqueueJob(tx, { kind: `${k}_effect`, dedupeKey: String(job.id) });
        if ((job.payload as { fail?: boolean }).fail) throw new Error("the effect failed");
      },
    }), { maxAttempts: 1 });
    try {
      const ok = (await enqueueJob(ctx.db, { kind: k, payload: {} }))!;
      const bad = (await enqueueJob(ctx.db, { kind: k, payload: { fail: true } }))!;
      await drainJobs({ db: ctx.db, kinds: [k] });
      expect((await jobOf(ctx.db, ok)).status).toBe("done");
      expect(await jobOf(ctx.db, bad)).toMatchObject({ status: "failed", lastError: "the effect failed" });
      const effects = await ctx.db.select().from(jobs).where(eq(jobs.kind, `${k}_effect`));
      expect(effects.map((e) => e.dedupeKey)).toEqual([String(ok)]);
    } finally {
      unregisterJobHandler(k);
    }
  });

  it("leaves kinds this instance has no handler for to others; the worker loop runs what is enqueued", async () => {
    const unknown = (await enqueueJob(ctx.db, { kind: kind("nobody") }))!;
    const k = kind("loop");
    const ran: bigint[] = [];
    registerJobHandler(k, async ({ job }) => void ran.push(job.id));
    const worker = startJobWorker({ db: ctx.db, intervalMs: 60_000 });
    try {
      const id = (await enqueueJob(ctx.db, { kind: k }))!;
      await expect.poll(async () => (await jobOf(ctx.db, id)).status, { timeout: 10_000, interval: 50 }).toBe("done");
      expect(ran).toEqual([id]);
      expect((await jobOf(ctx.db, unknown)).status).toBe("queued");
    } finally {
      await worker.stop();
      unregisterJobHandler(k);
    }
  });
});
