import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, ledgerEntries, paymentAnomalies, payments } from "~db/schema";
import { syncPaymentLedger } from "~/services/ledger/posting.server";
import { markPaymentPaid } from "~/services/payments/core.server";
import { deferInsert, patchPayment, WriteBatch } from "~/services/payments/deferred-writes.server";
import { PreparedStatements } from "~/services/payments/hot-queries.server";
import { pipelinedTransaction } from "~db/client.server";
import { outboxOnConflict, outboxRow } from "~/services/email/outbox.server";
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
      const batch = new WriteBatch(tx, new PreparedStatements());
      await deferInsert(tx, batch, "payment_anomalies", "test_payment_anomalies", paymentAnomalies, [{ paymentId: p.id, kind: "external_payment", objectId: "cs_deferred" }]);
      await deferInsert(tx, batch, "email_outbox", "test_outbox", emailOutbox, [outboxRow({ to: "d@example.com", template: "notice", locale: "sv", props: { subject: "s", heading: "h", body: "b" }, dedupeKey: `deferred:${p.id}` })], (q) => outboxOnConflict(q as never));
      let row = await patchPayment(tx, p, { status: "paid", paidAt: new Date("2026-11-01T10:00:00Z") }, batch);
      row = await patchPayment(tx, row, { chargeId: `ch_deferred_${p.id}` }, batch);
      expect(row).toMatchObject({ status: "paid", chargeId: `ch_deferred_${p.id}`, amountOre: 12_345n });
      // Nothing has reached the database yet.
      const before = {
        anomalies: (await tx.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).length,
        status: (await tx.select().from(payments).where(eq(payments.id, p.id)))[0].status,
      };
      // A read of the payments table sends what is pending first.
      await batch.beforeRead("payments");
      const [afterRead] = await tx.select().from(payments).where(eq(payments.id, p.id));
      // Ledger entries (and a second patch) after that, sent at the end.
      await syncPaymentLedger(tx, row, "test", goals, { batch });
      await patchPayment(tx, row, { method: "card" }, batch);
      const emails = await batch.flush();
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
        const batch = new WriteBatch(tx, new PreparedStatements());
        await deferInsert(tx, batch, "payment_anomalies", "test_payment_anomalies", paymentAnomalies, [{ paymentId: p.id, kind: "external_payment", objectId: "cs_rolled_back" }]);
        await patchPayment(tx, p, { status: "paid" }, batch);
        await batch.flush();
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
    expect(await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).toHaveLength(0);
    expect((await ctx.db.select().from(payments).where(eq(payments.id, p.id)))[0].status).toBe("pending");
  });

  it("writes at once without a batch, even in a transaction where the Stripe path's batch defers", async () => {
    const p = await newPayment();
    const q = await newPayment();
    const goals = [...(await goalIdsBySlug(ctx.db)).values()];
    await ctx.db.transaction(async (tx) => {
      const batch = new WriteBatch(tx, new PreparedStatements());
      await markPaymentPaid(tx, p, { paidAt: new Date("2026-11-01T10:00:00Z"), author: "stripe:evt_test" }, { goals, batch });
      // Another caller in the same transaction (invoices, BgMax, a correction) passes no batch: its
      // writes are made at once, whoever deferred before it.
      const updated = await markPaymentPaid(tx, q, { paidAt: new Date("2026-11-02T10:00:00Z"), author: "staff:test" }, { goals });
      expect(updated.status).toBe("paid");
      const status = async (id: bigint) => (await tx.select().from(payments).where(eq(payments.id, id)))[0].status;
      const entries = async (id: bigint) => (await tx.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, id))).length;
      expect([await status(q.id), await entries(q.id) > 0]).toEqual(["paid", true]);
      // The batch's writes wait until it is flushed.
      expect([await status(p.id), await entries(p.id)]).toEqual(["pending", 0]);
      await batch.flush();
      expect([await status(p.id), await entries(p.id) > 0]).toEqual(["paid", true]);
    });
  });

  it("sends the taken writes with the COMMIT; if they fail, nothing of the transaction is committed", async () => {
    const p = await newPayment();
    const q = await newPayment();
    let batch: WriteBatch | undefined;
    await pipelinedTransaction(
      ctx.db,
      async (tx) => {
        batch = new WriteBatch(tx, new PreparedStatements());
        await deferInsert(tx, batch, "payment_anomalies", "test_payment_anomalies", paymentAnomalies, [{ paymentId: p.id, kind: "external_payment", objectId: "cs_with_commit" }]);
        await patchPayment(tx, p, { status: "paid" }, batch);
      },
      () => batch!.take().statements,
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
          batch = new WriteBatch(tx, new PreparedStatements());
          await deferInsert(tx, batch, "ledger_entries", "test_ledger_entries", ledgerEntries, [{ goalId: 999_999, amountOre: 1n, channel: "one_off_gift", kind: "allocation", paymentId: q.id, entryKey: `bad:${q.id}`, author: "test" }]);
        },
        () => batch!.take().statements,
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
