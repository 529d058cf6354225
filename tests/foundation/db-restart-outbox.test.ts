import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { emailOutbox } from "~db/schema";
import { enqueueEmail } from "~/services/email/outbox.server";
import type { EmailTransport, OutgoingEmail } from "~/services/email/transport.server";
import { startEmailWorker } from "~/services/email/worker.server";
import { dbTargets, useTestDatabase } from "../setup/db";

const notice = (to: string) => ({ to, template: "notice" as const, locale: "sv" as const, props: { subject: "Hej", heading: "Rubrik", body: "Text" } });

function recordingTransport() {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    name: "test",
    async send(message) {
      sent.push(message);
      return { providerId: `p-${message.id}` };
    },
  };
  return { transport, sent };
}

/** The database, failing the first call of one method as a database that went away would. */
function failingOnce(db: Db, method: "execute" | "select", when: (args: unknown[]) => boolean): Db {
  let failed = false;
  return new Proxy(db, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== method || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (!failed && when(args)) {
          failed = true;
          throw Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
        }
        return value.apply(target, args);
      };
    },
  });
}

/**
 * A worker whose run fails part way (the database restarts) must not leave its claimed messages
 * waiting for the claim to run out (five minutes): once the database answers, what it sent is
 * recorded as sent (not sent again) and the rest is sent.
 */
describe.each(dbTargets)("the email worker after a database failure on %s", (target) => {
  const ctx = useTestDatabase(target);

  const statuses = async () => (await ctx.db.select({ status: emailOutbox.status }).from(emailOutbox)).map((r) => r.status).sort().join(",");

  it("records the messages it sent before the failure as sent, once, within seconds", async () => {
    await ctx.db.delete(emailOutbox);
    for (const to of ["a@example.com", "b@example.com", "c@example.com"]) await enqueueEmail(ctx.db, notice(to));
    const { transport, sent } = recordingTransport();
    // recordSent (one db.execute after the batch) fails: the three were sent, not recorded.
    const worker = startEmailWorker({ db: failingOnce(ctx.db, "execute", () => true), transport, intervalMs: 100 });
    try {
      await expect.poll(statuses, { timeout: 10_000, interval: 50 }).toBe("sent,sent,sent");
      expect(sent.map((m) => m.to).sort()).toEqual(["a@example.com", "b@example.com", "c@example.com"]);
      const rows = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.status, "sent"));
      expect(rows.every((r) => r.claimToken === null && r.lockedUntil === null && r.attempts === 1)).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it("gives back the messages it had claimed but not sent, and sends them within seconds", async () => {
    await ctx.db.delete(emailOutbox);
    for (const to of ["d@example.com", "e@example.com"]) await enqueueEmail(ctx.db, notice(to));
    const { transport, sent } = recordingTransport();
    // The charity identity (read after the claim, db.select() without fields) fails once.
    const worker = startEmailWorker({ db: failingOnce(ctx.db, "select", (args) => args.length === 0), transport, intervalMs: 100 });
    try {
      await expect.poll(statuses, { timeout: 10_000, interval: 50 }).toBe("sent,sent");
      expect(sent.map((m) => m.to).sort()).toEqual(["d@example.com", "e@example.com"]);
      const rows = await ctx.db.select().from(emailOutbox);
      // The failed run's attempt is not counted against the messages.
      expect(rows.map((r) => r.attempts)).toEqual([1, 1]);
    } finally {
      await worker.stop();
    }
  });
});
