import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthlyGifts, payments } from "~db/schema";
import { loader as cancelledLoader } from "~/routes/give.cancelled";
import { cancelGift, startGift } from "~/services/payments/give.server";
import { getGateway, type PaymentGateway } from "~/services/payments/gateway.server";
import { paymentToken } from "~/services/payments/manage-link.server";
import { setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { signedWebhookRequest, useFakeStripe, usePaymentEnv } from "./helpers";
import { action as webhookAction } from "~/routes/webhooks.stripe";

const donor = { name: "Avbryt Givare", email: "avbryt@example.com" };

/** Checkout's cancel_url, as the donor's browser follows it. */
function cancelPage(ref: string) {
  return cancelledLoader({ request: new Request(`http://127.0.0.1:3999/give/cancelled?ref=${encodeURIComponent(ref)}`), params: {}, context: {} });
}

describe.each(dbTargets)("a donor who cancels at Checkout, on Stripe (%s)", (target) => {
  const ctx = useTestDatabase(target);
  const stripe = useFakeStripe();
  const paymentOf = async (id: bigint) => (await ctx.db.select().from(payments).where(eq(payments.id, id)))[0];
  const expireCalls = (sessionId: string) => stripe.fake.requestsTo("POST", `/v1/checkout/sessions/${sessionId}/expire`).length;

  it("expires the Checkout Session and leaves the one-off payment expired, not pending", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "one_off", amount: "250", method: "card", ...donor }, locale: "sv" });
    const p = await paymentOf(started.paymentId);
    const cancelUrl = stripe.fake.sessions.get(p.checkoutSessionId!)!.fields.cancelUrl!;
    const page = await cancelPage(new URL(cancelUrl).searchParams.get("ref")!);
    expect(expireCalls(p.checkoutSessionId!)).toBe(1);
    expect(stripe.fake.sessions.get(p.checkoutSessionId!)!.fields.status).toBe("expired");
    expect((await paymentOf(p.id)).status).toBe("expired");
    expect(page.gift.status).toBe("expired");
    // Coming back to the page does not ask Stripe again.
    await cancelPage(paymentToken(p.id));
    expect(expireCalls(p.checkoutSessionId!)).toBe(1);
  });

  it("cancels a monthly gift's pending first month and the pending gift", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "monthly", amount: "150", ...donor }, locale: "sv" });
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId!));
    await cancelPage(paymentToken(started.paymentId));
    expect(expireCalls(gift.checkoutSessionId!)).toBe(1);
    expect((await paymentOf(started.paymentId)).status).toBe("expired");
    const [after] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id));
    expect(after.status).toBe("canceled");
  });

  it("does not let a changed or unsigned ref cancel someone else's payment", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "one_off", amount: "100", method: "card", ...donor }, locale: "sv" });
    const p = await paymentOf(started.paymentId);
    const other = await startGift(ctx.db, { input: { frequency: "one_off", amount: "100", method: "card", name: "Annan", email: "annan@example.com" }, locale: "sv" });
    const mine = paymentToken(other.paymentId);
    const signature = mine.split(".")[1];
    for (const forged of [String(p.id), `${p.id}.${signature}`, `${p.id}.${"A".repeat(32)}`, ""]) {
      await expect(cancelPage(forged), forged).rejects.toMatchObject({ status: 404 });
    }
    expect(expireCalls(p.checkoutSessionId!)).toBe(0);
    expect((await paymentOf(p.id)).status).toBe("pending");
  });

  it("leaves a Swish payment that is waiting for approval pending (Stripe cannot expire a completed session)", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "one_off", amount: "100", method: "swish", ...donor }, locale: "sv" });
    const p = await paymentOf(started.paymentId);
    const [completedUnpaid] = stripe.fake.completeSession(p.checkoutSessionId!);
    const res = (await webhookAction({ request: signedWebhookRequest(completedUnpaid), params: {}, context: {} })) as Response;
    expect(res.status).toBe(200);
    const page = await cancelPage(paymentToken(p.id));
    expect(expireCalls(p.checkoutSessionId!)).toBe(1);
    expect((await paymentOf(p.id)).status).toBe("pending");
    expect(page.gift.status).toBe("pending");
  });

  it("keeps the payment pending (no 500) when Stripe cannot be reached", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "one_off", amount: "100", method: "card", ...donor }, locale: "sv" });
    const real = await getGateway();
    const unreachable: PaymentGateway = { ...real, expireCheckout: () => Promise.reject(new Error("connect ECONNREFUSED")) };
    const view = await cancelGift(ctx.db, paymentToken(started.paymentId), "sv", { gateway: unreachable });
    expect(view.status).toBe("pending");
    expect((await paymentOf(started.paymentId)).status).toBe("pending");
  });
});

describe.each(dbTargets)("a donor who cancels on the payment simulator (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => {
    usePaymentEnv();
  });
  afterAll(() => setEnvForTests(undefined));

  it("leaves the payment expired (the simulator sends checkout.session.expired, as Stripe would)", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "one_off", amount: "100", method: "swish", ...donor }, locale: "sv" });
    expect(started.redirectUrl).toMatch(/^\/dev\/checkout\/cs_sim_/);
    const page = await cancelPage(paymentToken(started.paymentId));
    expect(page.gift.status).toBe("expired");
    const [p] = await ctx.db.select().from(payments).where(eq(payments.id, started.paymentId));
    expect(p.status).toBe("expired");
  });
});
