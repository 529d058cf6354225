import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { openDatabase, type Database, type Db } from "~db/client.server";
import { emailOutbox } from "~db/schema";
import { anEmailIsDue, backoffMs, drainOutbox, enqueueEmail, processOutboxOnce } from "~/services/email/outbox.server";
import type { EmailTransport, OutgoingEmail } from "~/services/email/transport.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { staffContext } from "../setup/contexts";

/** A transport that records what it was given; `failTimes` first calls throw, `delayMs` slows each send. */
function recordingTransport(opts: { failTimes?: number; delayMs?: number } = {}) {
  const sent: OutgoingEmail[] = [];
  let failures = opts.failTimes ?? 0;
  const transport: EmailTransport = {
    name: "test",
    async send(message) {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (failures > 0) {
        failures--;
        throw new Error("transport down");
      }
      sent.push(message);
      return { providerId: `p-${message.id}` };
    },
  };
  return { transport, sent, heal: () => (failures = 0) };
}

const notice = (to: string, dedupeKey?: string) => ({
  to,
  template: "notice" as const,
  locale: "sv" as const,
  props: { subject: "Hej", heading: "Rubrik", body: "Text" },
  dedupeKey,
});

describe.each(dbTargets)("email outbox on %s", (target) => {
  const ctx = useTestDatabase(target);

  it("retries a message whose transport fails, with back-off, and sends it once the transport works", async () => {
    await ctx.db.delete(emailOutbox);
    await enqueueEmail(ctx.db, notice("retry@example.com"));
    const t0 = new Date("2030-01-01T10:00:00Z");
    const broken = recordingTransport({ failTimes: 2 });

    const first = await processOutboxOnce({ db: ctx.db, transport: broken.transport, clock: () => t0 });
    expect(first).toMatchObject({ claimed: 1, sent: 0, retrying: 1 });
    let [row] = await ctx.db.select().from(emailOutbox);
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("transport down");
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + backoffMs(1));

    // Not due yet: nothing is claimed.
    const early = await processOutboxOnce({ db: ctx.db, transport: broken.transport, clock: () => new Date(t0.getTime() + backoffMs(1) - 1000) });
    expect(early.claimed).toBe(0);

    const t1 = new Date(t0.getTime() + backoffMs(1));
    await processOutboxOnce({ db: ctx.db, transport: broken.transport, clock: () => t1 });
    [row] = await ctx.db.select().from(emailOutbox);
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + backoffMs(2));
    expect(backoffMs(2)).toBeGreaterThan(backoffMs(1));

    const t2 = new Date(t1.getTime() + backoffMs(2));
    const third = await processOutboxOnce({ db: ctx.db, transport: broken.transport, clock: () => t2 });
    expect(third).toMatchObject({ claimed: 1, sent: 1 });
    [row] = await ctx.db.select().from(emailOutbox);
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(3);
    expect(row.providerId).toBe(`p-${row.id}`);
    expect(broken.sent).toHaveLength(1);
    expect(broken.sent[0].subject).toBe("Hej");
    expect(broken.sent[0].text).toContain("Text");

    // Sent is final.
    const after = await processOutboxOnce({ db: ctx.db, transport: broken.transport, clock: () => new Date(t2.getTime() + 86_400_000) });
    expect(after.claimed).toBe(0);
    expect(broken.sent).toHaveLength(1);
  });

  it("gives up after the maximum number of attempts and marks the message failed", async () => {
    await ctx.db.delete(emailOutbox);
    await enqueueEmail(ctx.db, notice("never@example.com"));
    const dead = recordingTransport({ failTimes: 100 });
    let now = new Date("2030-01-02T00:00:00Z");
    for (let i = 0; i < 3; i++) {
      await processOutboxOnce({ db: ctx.db, transport: dead.transport, clock: () => now, maxAttempts: 3 });
      now = new Date(now.getTime() + 3_600_000);
    }
    const [row] = await ctx.db.select().from(emailOutbox);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(3);
    expect((await processOutboxOnce({ db: ctx.db, transport: dead.transport, clock: () => now })).claimed).toBe(0);
  });

  it("lets staff put a message that failed for good back in the queue, and shows no contents", async () => {
    const { listOutboxForStaff, retryFailedEmail } = await import("~/services/email/outbox.server");
    await ctx.db.delete(emailOutbox);
    await enqueueEmail(ctx.db, notice("gaveup@example.com"));
    const dead = recordingTransport({ failTimes: 1 });
    // A moment ahead: the row is due at the database's now() (microseconds), which can be later
    // than this millisecond-precision clock if both fall in the same millisecond.
    await processOutboxOnce({ db: ctx.db, transport: dead.transport, maxAttempts: 1, clock: () => new Date(Date.now() + 1000) });
    const [row] = await ctx.db.select().from(emailOutbox);
    expect(row.status).toBe("failed");
    const listed = await listOutboxForStaff(staffContext(ctx.db, 1, "admin"));
    expect(listed[0]).not.toHaveProperty("html");
    expect(listed[0]).not.toHaveProperty("props");
    expect(await retryFailedEmail(staffContext(ctx.db, 1, "admin"), row.id)).toBe(true);
    expect(await retryFailedEmail(staffContext(ctx.db, 1, "admin"), row.id)).toBe(false);
    expect((await processOutboxOnce({ db: ctx.db, transport: dead.transport })).sent).toBe(1);
  });

  it("survives a worker that died mid-send: its claim runs out and another worker sends the message", async () => {
    await ctx.db.delete(emailOutbox);
    await enqueueEmail(ctx.db, notice("crash@example.com"));
    const t0 = new Date("2030-01-03T00:00:00Z");
    // A worker claims the row and "crashes" (the transport never returns within the test).
    await ctx.db.update(emailOutbox).set({ status: "sending", claimToken: "dead-worker", lockedUntil: new Date(t0.getTime() + 60_000), attempts: 1 });
    const ok = recordingTransport();
    expect((await processOutboxOnce({ db: ctx.db, transport: ok.transport, clock: () => t0 })).claimed).toBe(0);
    const later = await processOutboxOnce({ db: ctx.db, transport: ok.transport, clock: () => new Date(t0.getTime() + 61_000) });
    expect(later.sent).toBe(1);
    expect(ok.sent.map((m) => m.to)).toEqual(["crash@example.com"]);
  });

  it("queues a message with a dedupe key only once, and not at all when the caller's transaction rolls back", async () => {
    await ctx.db.delete(emailOutbox);
    await enqueueEmail(ctx.db, notice("a@example.com", "receipt:42"));
    await enqueueEmail(ctx.db, notice("a@example.com", "receipt:42"));
    await ctx.db
      .transaction(async (tx) => {
        await enqueueEmail(tx, notice("b@example.com", "receipt:43"));
        throw new Error("rollback");
      })
      .catch(() => undefined);
    const rows = await ctx.db.select().from(emailOutbox);
    expect(rows.map((r) => r.dedupeKey)).toEqual(["receipt:42"]);
  });

  it("refuses an unknown template name at enqueue time", async () => {
    await expect(enqueueEmail(ctx.db, { ...notice("x@example.com"), template: "nope" as never })).rejects.toThrow(/unknown email template/);
  });

  it("two workers running at once never send the same message twice (one database handle)", async () => {
    await ctx.db.delete(emailOutbox);
    for (let i = 0; i < 40; i++) await enqueueEmail(ctx.db, notice(`same-${i}@example.com`));
    const a = recordingTransport({ delayMs: 2 });
    const b = recordingTransport({ delayMs: 2 });
    await Promise.all([
      drainOutbox({ db: ctx.db, transport: a.transport, batchSize: 3 }),
      drainOutbox({ db: ctx.db, transport: b.transport, batchSize: 3 }),
    ]);
    const ids = [...a.sent, ...b.sent].map((m) => m.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    const rows = await ctx.db.select().from(emailOutbox);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("drains a batch that was not full with one claim, and a full one with another claim after it", async () => {
    await ctx.db.delete(emailOutbox);
    for (let i = 0; i < 3; i++) await enqueueEmail(ctx.db, notice(`claims-${i}@example.com`));
    // Counts the claims (the worker's only db.update on the happy path; sent rows are one db.execute).
    let claims = 0;
    const counting = new Proxy(ctx.db, {
      get(db, key, receiver) {
        if (key === "update") return (...args: Parameters<Db["update"]>) => (claims++, db.update(...args));
        return Reflect.get(db, key, receiver);
      },
    });
    const { transport, sent } = recordingTransport();
    // The claim compares the rows' due time (PostgreSQL's, in microseconds) with the worker's clock (in
    // milliseconds): a row queued in the same millisecond as the drain starts is not due yet for it (the
    // worker's next wake sends it). A clock a second ahead makes every row queued here due.
    const clock = () => new Date(Date.now() + 1000);
    expect(await drainOutbox({ db: counting, transport, batchSize: 5, clock })).toMatchObject({ claimed: 3, sent: 3 });
    expect(claims).toBe(1);
    for (let i = 0; i < 4; i++) await enqueueEmail(ctx.db, notice(`full-${i}@example.com`));
    claims = 0;
    expect(await drainOutbox({ db: counting, transport, batchSize: 2, clock })).toMatchObject({ claimed: 4, sent: 4 });
    // Two full batches, then a claim that finds nothing left.
    expect(claims).toBe(3);
    expect(sent).toHaveLength(7);
  });

  if (target === "postgres") {
    const extra: Database[] = [];
    afterAll(async () => {
      for (const d of extra) await d.close();
    });

    it("two workers on separate connections (two app instances) claim with SKIP LOCKED and never double-send", async () => {
      await ctx.db.delete(emailOutbox);
      for (let i = 0; i < 60; i++) await enqueueEmail(ctx.db, notice(`pg-${i}@example.com`));
      const url = ctx.database.url!;
      const one = await openDatabase({ databaseUrl: url, max: 2 });
      const two = await openDatabase({ databaseUrl: url, max: 2 });
      extra.push(one, two);
      const a = recordingTransport({ delayMs: 5 });
      const b = recordingTransport({ delayMs: 5 });
      await Promise.all([
        drainOutbox({ db: one.db, transport: a.transport, batchSize: 4 }),
        drainOutbox({ db: two.db, transport: b.transport, batchSize: 4 }),
        drainOutbox({ db: ctx.db, transport: b.transport, batchSize: 4 }),
      ]);
      const ids = [...a.sent, ...b.sent].map((m) => m.id);
      expect(ids).toHaveLength(60);
      expect(new Set(ids).size).toBe(60);
      // Both instances did work: the claims really interleaved rather than one worker taking all.
      expect(a.sent.length).toBeGreaterThan(0);
      expect(b.sent.length).toBeGreaterThan(0);
      const rows = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.status, "sent"));
      expect(rows).toHaveLength(60);
    });

    it("a worker skips rows another worker holds, without waiting for it (SKIP LOCKED, not a plain lock)", async () => {
      await ctx.db.delete(emailOutbox);
      for (let i = 0; i < 12; i++) await enqueueEmail(ctx.db, notice(`held-${i}@example.com`));
      const url = ctx.database.url!;
      const one = await openDatabase({ databaseUrl: url, max: 1 });
      const two = await openDatabase({ databaseUrl: url, max: 1 });
      extra.push(one, two);
      const a = recordingTransport();
      const b = recordingTransport();
      // Worker A claims and sends 5 rows inside a transaction it keeps open, so its row locks stay held.
      await one.db.transaction(async (txA) => {
        const claimedByA = await processOutboxOnce({ db: txA as unknown as Db, transport: a.transport, batchSize: 5 });
        expect(claimedByA.sent).toBe(5);
        const outcome = await Promise.race([
          drainOutbox({ db: two.db, transport: b.transport, batchSize: 5 }),
          new Promise<"blocked">((r) => setTimeout(() => r("blocked"), 5000)),
        ]);
        expect(outcome).not.toBe("blocked");
      });
      const ids = [...a.sent, ...b.sent].map((m) => m.id);
      expect(a.sent).toHaveLength(5);
      expect(b.sent).toHaveLength(7);
      expect(new Set(ids).size).toBe(12);
    });
  }
});

describe("the dev mailbox", () => {
  const ctx = useTestDatabase("pglite");
  it("shows a message not sent yet rendered as it would be sent, without marking it sent", async () => {
    const { useIdentityEnv } = await import("./helpers");
    const { getDevMail, linksIn } = await import("~/services/email/dev-mailbox.server");
    useIdentityEnv();
    await enqueueEmail(ctx.db, { to: "dev@example.com", template: "sign-in-link", locale: "sv", props: { url: "http://localhost:3000/login/verify?token=t", expiresMinutes: 15 } });
    const [row] = await ctx.db.select().from(emailOutbox);
    const shown = await getDevMail(ctx.db, row.id);
    expect(shown.subject).toBe("Din inloggningslänk till Lokala mål");
    expect(linksIn(shown.text ?? "")).toContain("http://localhost:3000/login/verify?token=t");
    const [after] = await ctx.db.select().from(emailOutbox);
    expect(after.status).toBe("pending");
    expect(after.html).toBeNull();
  });
});

describe("the email worker", () => {
  const ctx = useTestDatabase("pglite");
  it("sends during a steady stream of new messages: a wake-up never postpones a run already due", async () => {
    const { startEmailWorker } = await import("~/services/email/worker.server");
    await ctx.db.delete(emailOutbox);
    const { transport, sent } = recordingTransport();
    // A long poll interval, so only wake-ups can make the worker run within this test.
    // The run at start-up sends this one; once it has, only wake-ups are left to send the rest.
    await enqueueEmail(ctx.db, notice("first@example.com"));
    const worker = startEmailWorker({ db: ctx.db, transport, intervalMs: 60_000 });
    try {
      await vi.waitFor(() => expect(sent.map((m) => m.to)).toEqual(["first@example.com"]), { timeout: 10_000, interval: 20 });
      await enqueueEmail(ctx.db, notice("busy@example.com"));
      // Another message queued every 10 ms (a busy hour), each waking the worker, for 1.5 s.
      const until = Date.now() + 1500;
      let n = 0;
      while (Date.now() < until && !sent.some((m) => m.to === "busy@example.com")) {
        await enqueueEmail(ctx.db, notice(`stream-${n++}@example.com`));
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(sent.map((m) => m.to)).toContain("busy@example.com");
    } finally {
      await worker.stop();
    }
  });
});

describe("the email worker thread", () => {
  it("falls back to the main thread when the thread cannot start", async () => {
    const { startEmailWorkerThread } = await import("~/services/email/worker-thread.server");
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const fellBack = await new Promise<boolean>((resolve) => {
        startEmailWorkerThread("file:///nonexistent/lokala-mal-build.js", () => resolve(true));
        setTimeout(() => resolve(false), 15_000).unref();
      });
      expect(fellBack).toBe(true);
      expect(errors.map(String).join("\n")).toContain("the email worker now runs on the main thread");
    } finally {
      console.error = original;
    }
  });
});

// On a database of its own: the question is about the whole outbox, which the tests above leave rows in.
describe.each(dbTargets)("what starts the email worker thread, on %s", (target) => {
  const own = useTestDatabase(target);

  it("says an email is due exactly when a worker's claim would take one (what starts the worker thread)", async () => {
    const { db } = own;
    expect(await anEmailIsDue(db)).toBe(false);
    await enqueueEmail(db, notice("due@example.org"));
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.to, "due@example.org"));
    expect(await anEmailIsDue(db)).toBe(true);
    // Waiting for its retry: not due; a claim that has not run out: not due; one that ran out: due.
    await db.update(emailOutbox).set({ nextAttemptAt: new Date(Date.now() + 60_000) }).where(eq(emailOutbox.id, row.id));
    expect(await anEmailIsDue(db)).toBe(false);
    await db.update(emailOutbox).set({ status: "sending", lockedUntil: new Date(Date.now() + 60_000) }).where(eq(emailOutbox.id, row.id));
    expect(await anEmailIsDue(db)).toBe(false);
    await db.update(emailOutbox).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(emailOutbox.id, row.id));
    expect(await anEmailIsDue(db)).toBe(true);
    await db.update(emailOutbox).set({ status: "sent", lockedUntil: null }).where(eq(emailOutbox.id, row.id));
    expect(await anEmailIsDue(db)).toBe(false);
  });
});
