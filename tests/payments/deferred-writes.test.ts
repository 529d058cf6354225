import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, ledgerEntries, paymentAnomalies, payments } from "~db/schema";
import { syncPaymentLedger } from "~/services/ledger/posting.server";
import { beforeRead, deferWrite, deferWrites, flushWrites, patchPayment, takeWrites } from "~/services/payments/deferred-writes.server";
import { pipelinedTransaction } from "~db/client.server";
import { outboxInsert } from "~/services/email/outbox.server";
import { setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalIdsBySlug, usePaymentEnv } from "./helpers";

describe.each(dbTargets)("writes a webhook handler sends together (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  const newPayment = async () => {
    const [p] = await ctx.db.insert(payments).values({ channel: "one_off_gift", status: "pending", amountOre: 12_345n, origin: "app" }).returning();
    return p;
  };

  it("holds writes until the end or a read that needs them, merges a payment's patches into one update, and sends all in one statement", async () => {
    const p = await newPayment();
    const goals = [...(await goalIdsBySlug(ctx.db)).values()];
    const seen = await ctx.db.transaction(async (tx) => {
      deferWrites(tx);
      await deferWrite(tx, "payment_anomalies", tx.insert(paymentAnomalies).values({ paymentId: p.id, kind: "external_payment", objectId: "cs_deferred" }));
      await deferWrite(tx, "email_outbox", outboxInsert(tx, { to: "d@example.com", template: "notice", locale: "sv", props: { subject: "s", heading: "h", body: "b" }, dedupeKey: `deferred:${p.id}` }));
      let row = await patchPayment(tx, p, { status: "paid", paidAt: new Date("2026-11-01T10:00:00Z") });
      row = await patchPayment(tx, row, { chargeId: `ch_deferred_${p.id}` });
      expect(row).toMatchObject({ status: "paid", chargeId: `ch_deferred_${p.id}`, amountOre: 12_345n });
      // Nothing has reached the database yet.
      const before = {
        anomalies: (await tx.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).length,
        status: (await tx.select().from(payments).where(eq(payments.id, p.id)))[0].status,
      };
      // A read of the payments table sends what is pending first.
      await beforeRead(tx, "payments");
      const [afterRead] = await tx.select().from(payments).where(eq(payments.id, p.id));
      // Ledger entries (and a second patch) after that, sent at the end.
      await syncPaymentLedger(tx, row, "test", goals);
      await patchPayment(tx, row, { method: "card" });
      const emails = await flushWrites(tx);
      return { before, afterRead, emails };
    });
    expect(seen.before).toEqual({ anomalies: 0, status: "pending" });
    expect(seen.afterRead).toMatchObject({ status: "paid", chargeId: `ch_deferred_${p.id}` });
    expect(seen.emails).toBe(true);
    const [row] = await ctx.db.select().from(payments).where(eq(payments.id, p.id));
    expect(row).toMatchObject({ status: "paid", chargeId: `ch_deferred_${p.id}`, method: "card" });
    expect(await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).toHaveLength(1);
    expect(await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `deferred:${p.id}`))).toHaveLength(1);
    const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, p.id));
    expect(entries.reduce((s, e) => s + e.amountOre, 0n)).toBe(12_345n);
  });

  it("writes nothing when the transaction fails after deferring", async () => {
    const p = await newPayment();
    await expect(
      ctx.db.transaction(async (tx) => {
        deferWrites(tx);
        await deferWrite(tx, "payment_anomalies", tx.insert(paymentAnomalies).values({ paymentId: p.id, kind: "external_payment", objectId: "cs_rolled_back" }));
        await patchPayment(tx, p, { status: "paid" });
        await flushWrites(tx);
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
    expect(await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).toHaveLength(0);
    expect((await ctx.db.select().from(payments).where(eq(payments.id, p.id)))[0].status).toBe("pending");
  });

  it("writes at once outside a transaction that defers", async () => {
    const p = await newPayment();
    await ctx.db.transaction(async (tx) => {
      const updated = await patchPayment(tx, p, { status: "failed" });
      expect(updated.status).toBe("failed");
      expect((await tx.select().from(payments).where(eq(payments.id, p.id)))[0].status).toBe("failed");
    });
  });

  it("sends the taken writes with the COMMIT; if they fail, nothing of the transaction is committed", async () => {
    const p = await newPayment();
    const q = await newPayment();
    await pipelinedTransaction(
      ctx.db,
      async (tx) => {
        deferWrites(tx);
        await deferWrite(tx, "payment_anomalies", tx.insert(paymentAnomalies).values({ paymentId: p.id, kind: "external_payment", objectId: "cs_with_commit" }));
        await patchPayment(tx, p, { status: "paid" });
      },
      (tx) => takeWrites(tx).statements,
    );
    expect((await ctx.db.select().from(payments).where(eq(payments.id, p.id)))[0].status).toBe("paid");
    expect(await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).toHaveLength(1);

    // A last statement that fails (a ledger entry for a goal that does not exist): the payment's
    // change made earlier in the transaction is not committed either.
    await expect(
      pipelinedTransaction(
        ctx.db,
        async (tx) => {
          await tx.update(payments).set({ status: "failed" }).where(eq(payments.id, q.id));
          deferWrites(tx);
          await deferWrite(tx, "ledger_entries", tx.insert(ledgerEntries).values({ goalId: 999_999, amountOre: 1n, channel: "one_off_gift", kind: "allocation", paymentId: q.id, entryKey: `bad:${q.id}`, author: "test" }));
        },
        (tx) => takeWrites(tx).statements,
      ),
    ).rejects.toThrow();
    expect((await ctx.db.select().from(payments).where(eq(payments.id, q.id)))[0].status).toBe("pending");
    expect(await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, q.id))).toHaveLength(0);
    // On PostgreSQL, a last statement postgres.js refuses before sending it (a parameter it cannot
    // serialise): the guard before COMMIT finds it did not run, and nothing is committed. (PGlite has
    // no pipelined COMMIT to guard.)
    if (target === "postgres") {
      await expect(
        pipelinedTransaction(
          ctx.db,
          async (tx) => {
            await tx.update(payments).set({ status: "failed" }).where(eq(payments.id, q.id));
          },
          () => [sql`update ${payments} set greeting = ${Symbol("not serialisable") as unknown as string} where id = ${q.id}`],
        ),
      ).rejects.toThrow();
      expect((await ctx.db.select().from(payments).where(eq(payments.id, q.id)))[0].status).toBe("pending");
    }
    // The connection is usable afterwards.
    await pipelinedTransaction(ctx.db, async (tx) => tx.update(payments).set({ status: "expired" }).where(eq(payments.id, q.id)));
    expect((await ctx.db.select().from(payments).where(eq(payments.id, q.id)))[0].status).toBe("expired");
  });
});
