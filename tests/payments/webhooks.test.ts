import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, ledgerEntries, paymentAnomalies, payments, stripeEvents } from "~db/schema";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { goalBalances } from "~/services/ledger/balances.server";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { chargeObject, checkoutSessionObject, disputeObject, refundObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalIdsBySlug, ledgerTotal, prng, shuffle, signedWebhookRequest, usePaymentEnv, WEBHOOK_SECRET } from "./helpers";

/** A successful Payment Link payment (the app did not start it), designated by metadata.goal. */
function paymentLinkEvents(amount: number, goal: string | null) {
  const cs = stripeId("cs");
  const pi = stripeId("pi");
  const session = checkoutSessionObject({
    id: cs,
    mode: "payment",
    amountTotal: amount,
    status: "complete",
    paymentStatus: "paid",
    paymentIntent: pi,
    metadata: goal ? { goal } : {},
    customerEmail: "givare@example.com",
  });
  return { cs, pi, completed: stripeEvent("checkout.session.completed", session) };
}

async function post(event: unknown, secret = WEBHOOK_SECRET) {
  const res = (await webhookAction({ request: signedWebhookRequest(event, secret), params: {}, context: {} })) as Response;
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(dbTargets)("Stripe webhook on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  it("refuses a bad or missing signature and writes nothing", async () => {
    const { completed } = paymentLinkEvents(10_000, "alla-ar-trygga");
    const before = await ctx.db.select({ n: count() }).from(stripeEvents);
    expect((await post(completed, "whsec_someone_else")).status).toBe(400);
    const unsigned = new Request("http://127.0.0.1:3999/webhooks/stripe", { method: "POST", body: JSON.stringify(completed) });
    expect(((await webhookAction({ request: unsigned, params: {}, context: {} })) as Response).status).toBe(400);
    // A body changed after signing is refused too.
    const good = signedWebhookRequest(completed);
    const tampered = new Request(good.url, { method: "POST", headers: good.headers, body: JSON.stringify({ ...completed, id: "evt_other" }) });
    expect(((await webhookAction({ request: tampered, params: {}, context: {} })) as Response).status).toBe(400);
    expect(await ctx.db.select({ n: count() }).from(stripeEvents)).toEqual(before);
    expect(await ledgerTotal(ctx.db)).toBe(0n);
    expect(await ctx.db.select({ n: count() }).from(payments)).toEqual([{ n: 0 }]);
  });

  it("refuses an oversized body before reading it", async () => {
    const big = new Request("http://127.0.0.1:3999/webhooks/stripe", { method: "POST", body: "x".repeat(1024 * 1024 + 1), headers: { "stripe-signature": "t=1,v1=0" } });
    expect(((await webhookAction({ request: big, params: {}, context: {} })) as Response).status).toBe(413);
  });

  it("answers 200 to an event type it does not handle", async () => {
    const res = await post(stripeEvent("customer.created", { object: "customer", id: stripeId("cus") }));
    expect(res.status).toBe(200);
    expect(res.body.result).toBe("ignored");
  });

  it("takes a Payment Link's goal from its session when the payment has no allocation yet, and flags a different goal once allocated", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    // Allocated already (a refund came first and Stripe could not be asked for the session): the
    // ledger is not rewritten; staff see the session's goal.
    const pi = stripeId("pi");
    const ch = stripeId("ch");
    await dispatchStripeEvent(ctx.db, stripeEvent("charge.refunded", chargeObject({ id: ch, amount: 10_000, amountRefunded: 1_000, paymentIntent: pi })));
    const total = await ledgerTotal(ctx.db);
    const cs = stripeId("cs");
    const session = checkoutSessionObject({ id: cs, mode: "payment", amountTotal: 10_000, status: "complete", paymentStatus: "paid", paymentIntent: pi, metadata: { goal: "alla-ar-trygga" } });
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", session));
    const [p] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, pi));
    expect(p.goalId).toBeNull();
    expect(await ledgerTotal(ctx.db)).toBe(total);
    const flags = await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id));
    expect(flags.filter((f) => f.kind === "goal_mismatch")).toHaveLength(1);

    // Not allocated (held: another currency): the session's goal designates it.
    const pi2 = stripeId("pi");
    await dispatchStripeEvent(ctx.db, stripeEvent("charge.refunded", chargeObject({ id: stripeId("ch"), amount: 10_000, amountRefunded: 1_000, paymentIntent: pi2, currency: "eur" })));
    const session2 = checkoutSessionObject({ id: stripeId("cs"), mode: "payment", amountTotal: 10_000, currency: "eur", status: "complete", paymentStatus: "paid", paymentIntent: pi2, metadata: { goal: "alla-ar-trygga" } });
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", session2));
    const [held] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, pi2));
    expect(held).toMatchObject({ status: "held", goalId: goals.get("alla-ar-trygga")!.id });
  });

  it("flags a failed refund for staff and does not silently reduce the refunded amount or the ledger", async () => {
    const { completed, pi } = paymentLinkEvents(20_000, "alla-ar-trygga");
    expect((await post(completed)).status).toBe(200);
    const ch = stripeId("ch");
    expect((await post(stripeEvent("charge.refunded", chargeObject({ id: ch, amount: 20_000, amountRefunded: 8_000, paymentIntent: pi })))).status).toBe(200);
    const total = await ledgerTotal(ctx.db);
    const re = stripeId("re");
    const failed = refundObject({ id: re, charge: ch, paymentIntent: pi, amount: 8_000, status: "failed", failureReason: "expired_or_canceled_card" });
    const res = await post(stripeEvent("charge.refund.updated", failed));
    expect(res).toMatchObject({ status: 200, body: { result: "processed" } });
    await post(stripeEvent("refund.failed", failed)); // Stripe sends both: flagged once
    // A refund that is merely updated (not failed) is no anomaly.
    await post(stripeEvent("charge.refund.updated", refundObject({ id: stripeId("re"), charge: ch, paymentIntent: pi, amount: 1_000, status: "succeeded" })));
    const [p] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, pi));
    expect(p.refundedOre).toBe(8_000n);
    expect(await ledgerTotal(ctx.db)).toBe(total);
    const flags = (await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).filter((f) => f.kind === "refund_failed");
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ objectId: re, details: { amountOre: 8_000, failureReason: "expired_or_canceled_card" } });
  });

  it("records a Payment Link payment, designated by metadata.goal, flagged for staff; duplicates count once", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const { completed, cs } = paymentLinkEvents(25_000, "alla-ar-trygga");
    const before = (await goalBalances(ctx.db)).get(goals.get("alla-ar-trygga")!.id) ?? 0n;
    const results = await Promise.all([post(completed), post(completed), post(completed)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.result).sort()).toEqual(["duplicate", "duplicate", "processed"]);
    // A different event about the same session (Stripe may send two) also counts once.
    const again = stripeEvent("checkout.session.completed", completed.data.object as never);
    expect((await post(again)).body.result).toBe("processed");
    const after = (await goalBalances(ctx.db)).get(goals.get("alla-ar-trygga")!.id) ?? 0n;
    expect(after - before).toBe(25_000n);
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, cs));
    expect(p.origin).toBe("external");
    expect(p.status).toBe("paid");
    const flags = await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id));
    expect(flags.map((f) => f.kind)).toContain("external_payment");
  });

  it("writes nothing for a duplicate this instance does not remember (another instance stored its id), though its handler starts alongside the event id insert", async () => {
    const { completed, cs } = paymentLinkEvents(31_000, null);
    // Stored by another instance: this one's memory of committed ids (stripe-path.server.ts) does not have it.
    await ctx.db.insert(stripeEvents).values({ id: completed.id, type: completed.type, source: "webhook" });
    const count0 = async () => ({
      payments: (await ctx.db.select({ n: count() }).from(payments).where(eq(payments.checkoutSessionId, cs)))[0].n,
      entries: (await ctx.db.select({ n: count() }).from(ledgerEntries))[0].n,
      flags: (await ctx.db.select({ n: count() }).from(paymentAnomalies))[0].n,
      emails: (await ctx.db.select({ n: count() }).from(emailOutbox))[0].n,
    });
    const before = await count0();
    expect(await dispatchStripeEvent(ctx.db, completed)).toBe("duplicate");
    expect(await count0()).toEqual({ ...before, payments: 0 });
    // The same session under a new event id is recorded, with the lock and everything else as usual.
    expect(await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", completed.data.object as never))).toBe("processed");
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, cs));
    expect(p.status).toBe("paid");
  });

  it("splits an undesignated payment over the goals by the default equal rule", async () => {
    const totalBefore = await ledgerTotal(ctx.db);
    const { completed, cs } = paymentLinkEvents(10_003, null);
    await post(completed);
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, cs));
    const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, p.id));
    expect(entries).toHaveLength(5);
    // 10 003 öre / 5 = 2 000.6: floors of 2 000, the 3 spare öre to goals 1, 2, 3.
    const goals = await goalIdsBySlug(ctx.db);
    const byNumber = new Map([...goals.values()].map((g) => [g.id, g.number]));
    expect(entries.map((e) => [byNumber.get(e.goalId), e.amountOre]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1, 2001n],
      [2, 2001n],
      [3, 2001n],
      [4, 2000n],
      [5, 2000n],
    ]);
    expect((await ledgerTotal(ctx.db)) - totalBefore).toBe(10_003n);
  });

  it("reverses partial and full refunds proportionally, whatever order the refund events arrive in", async () => {
    const { completed, cs, pi } = paymentLinkEvents(10_000, null);
    const ch = stripeId("ch");
    const refunded = (cum: number) => stripeEvent("charge.refunded", chargeObject({ id: ch, amount: 10_000, amountRefunded: cum, paymentIntent: pi }));
    const first = refunded(3_000);
    const full = refunded(10_000);
    const totalBefore = await ledgerTotal(ctx.db);
    // The full refund arrives before the partial one, and before the completion itself.
    await post(full);
    await post(completed);
    await post(first);
    await post(full);
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, cs));
    expect(p.refundedOre).toBe(10_000n);
    const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, p.id));
    expect(entries.reduce((s, e) => s + e.amountOre, 0n)).toBe(0n);
    expect(entries.filter((e) => e.kind === "allocation").reduce((s, e) => s + e.amountOre, 0n)).toBe(10_000n);
    expect(await ledgerTotal(ctx.db)).toBe(totalBefore);
    // The refund recorded the payment from a charge without the donor's address; the completion
    // brings it, and the donor still gets one receipt.
    const receipts = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `receipt:${p.id}`));
    expect(receipts.map((r) => [r.to, r.template])).toEqual([["givare@example.com", "gift-receipt"]]);
  });

  it("reverses a lost dispute, and not a won one", async () => {
    const lost = paymentLinkEvents(5_000, "ingen-ensamhet");
    const won = paymentLinkEvents(7_000, "ingen-ensamhet");
    await post(lost.completed);
    await post(won.completed);
    const total = await ledgerTotal(ctx.db);
    for (const [ev, status] of [
      [lost, "needs_response"],
      [lost, "lost"],
      [won, "needs_response"],
      [won, "won"],
    ] as const) {
      const dp = `dp_${ev.pi}`;
      const type = status === "needs_response" ? "charge.dispute.created" : "charge.dispute.closed";
      await post(stripeEvent(type, disputeObject({ id: dp, charge: `ch_${ev.pi}`, paymentIntent: ev.pi, amount: ev === lost ? 5_000 : 7_000, status })));
    }
    expect(await ledgerTotal(ctx.db)).toBe(total - 5_000n);
    const kinds = (await ctx.db.select().from(paymentAnomalies)).map((a) => a.kind);
    expect(kinds).toContain("dispute_lost");
    expect(kinds).toContain("dispute_opened");
  });

  it("keeps the ledger exact when a batch of events is delivered twice, shuffled and in parallel", async () => {
    const rand = prng(7);
    const totalBefore = await ledgerTotal(ctx.db);
    const events: unknown[] = [];
    let expected = 0n;
    for (let i = 0; i < 20; i++) {
      const amount = 2_000 + Math.floor(rand() * 100_000);
      const slug = rand() < 0.5 ? null : "alla-kan-arbeta";
      const p = paymentLinkEvents(amount, slug);
      events.push(p.completed);
      expected += BigInt(amount);
      if (i % 4 === 0) {
        const refund = Math.floor(amount / 3);
        events.push(stripeEvent("charge.refunded", chargeObject({ id: `ch_${p.pi}`, amount, amountRefunded: refund, paymentIntent: p.pi })));
        expected -= BigInt(refund);
      }
    }
    const deliveries = shuffle([...events, ...events], rand);
    // Eight at a time, like Stripe retrying while the first delivery is still being handled.
    for (let i = 0; i < deliveries.length; i += 8) {
      const res = await Promise.all(deliveries.slice(i, i + 8).map((e) => post(e)));
      expect(res.every((r) => r.status === 200)).toBe(true);
    }
    expect((await ledgerTotal(ctx.db)) - totalBefore).toBe(expected);
  });
});
