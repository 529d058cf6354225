import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { emailOutbox, monthlyGifts, payments } from "~db/schema";
import { listPaymentsForStaff } from "~/services/payments/admin.server";
import { staffContext } from "../setup/contexts";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { checkoutSessionObject, invoiceObject, stripeEvent, stripeId, subscriptionObject } from "~/services/payments/stripe-objects";
import { setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { entriesOf, usePaymentEnv } from "./helpers";

/**
 * Issue 8 item 4 (webhook side): a Checkout Session that expires leaves its payment expired (staff
 * see "Utgången", not "Väntar"), and money that still arrives for it afterwards is booked.
 */

/** What /give records before redirecting to Checkout (give.server.ts). */
async function pendingGift(db: Db, monthly: boolean, amount = 25_000) {
  const cs = stripeId("cs");
  let giftId: bigint | null = null;
  if (monthly) {
    const [g] = await db.insert(monthlyGifts).values({ amountOre: BigInt(amount), donorName: "Ada", donorEmail: "ada@example.com", checkoutSessionId: cs }).returning();
    giftId = g.id;
  }
  const [p] = await db
    .insert(payments)
    .values({ channel: monthly ? "monthly_gift" : "one_off_gift", method: "card", amountOre: BigInt(amount), origin: "app", donorName: "Ada", donorEmail: "ada@example.com", monthlyGiftId: giftId, checkoutSessionId: monthly ? null : cs })
    .returning();
  const metadata: Record<string, string> = { payment_ref: p.id.toString(), ...(giftId ? { monthly_gift_id: giftId.toString() } : {}) };
  const session = (status: "expired" | "complete", paid: boolean, extra: { paymentIntent?: string; subscription?: string } = {}) =>
    checkoutSessionObject({ id: cs, mode: monthly ? "subscription" : "payment", amountTotal: amount, status, paymentStatus: paid ? "paid" : "unpaid", metadata, customerEmail: "ada@example.com", ...extra });
  return { cs, paymentId: p.id, giftId, metadata, session };
}

const paymentRow = async (db: Db, id: bigint) => (await db.select().from(payments).where(eq(payments.id, id)))[0];

describe.each(dbTargets)("an expired Checkout Session (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  it("leaves a one-off payment expired, shown so to staff, with nothing booked", async () => {
    const gift = await pendingGift(ctx.db, false);
    const expired = stripeEvent("checkout.session.expired", gift.session("expired", false));
    expect(await dispatchStripeEvent(ctx.db, expired)).toBe("processed");
    expect((await paymentRow(ctx.db, gift.paymentId)).status).toBe("expired");
    expect(await entriesOf(ctx.db, gift.paymentId)).toEqual([]);
    const rows = await listPaymentsForStaff(staffContext(ctx.db, 1, "fundraiser"));
    expect(rows.find((r) => r.id === gift.paymentId.toString())?.status).toBe("expired");
    expect((await listPaymentsForStaff(staffContext(ctx.db, 1, "fundraiser"), { status: "pending" })).map((r) => r.id)).not.toContain(gift.paymentId.toString());
  });

  it("books a one-off payment whose completion arrives after its expiry, once, with one receipt; a late expiry does not undo a payment", async () => {
    const gift = await pendingGift(ctx.db, false, 31_000);
    const pi = stripeId("pi");
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.expired", gift.session("expired", false)));
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", gift.session("complete", true, { paymentIntent: pi })));
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.expired", gift.session("expired", false)));
    const p = await paymentRow(ctx.db, gift.paymentId);
    expect(p).toMatchObject({ status: "paid", amountOre: 31_000n, paymentIntentId: pi });
    expect((await entriesOf(ctx.db, gift.paymentId)).reduce((s, e) => s + e.amountOre, 0n)).toBe(31_000n);
    expect(await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `receipt:${gift.paymentId}`))).toHaveLength(1);
  });

  it("books a Swish payment that succeeds after its session was recorded expired", async () => {
    const gift = await pendingGift(ctx.db, false, 12_000);
    const pi = stripeId("pi");
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", gift.session("complete", false, { paymentIntent: pi })));
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.expired", gift.session("expired", false, { paymentIntent: pi })));
    expect((await paymentRow(ctx.db, gift.paymentId)).status).toBe("expired");
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.async_payment_succeeded", gift.session("complete", true, { paymentIntent: pi })));
    expect((await paymentRow(ctx.db, gift.paymentId)).status).toBe("paid");
    expect((await entriesOf(ctx.db, gift.paymentId)).reduce((s, e) => s + e.amountOre, 0n)).toBe(12_000n);
  });

  it("cancels a pending monthly gift and expires its first month; if Stripe still starts the subscription, the gift comes back active and the month is booked on the same row", async () => {
    const gift = await pendingGift(ctx.db, true, 20_000);
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.expired", gift.session("expired", false)));
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.giftId!)))[0].status).toBe("canceled");
    expect((await paymentRow(ctx.db, gift.paymentId)).status).toBe("expired");

    const sub = stripeId("sub");
    const customer = stripeId("cus");
    const inv = stripeId("in");
    await dispatchStripeEvent(
      ctx.db,
      stripeEvent("invoice.paid", invoiceObject({ id: inv, amountPaid: 20_000, status: "paid", subscription: sub, subscriptionMetadata: gift.metadata, billingReason: "subscription_create", paymentIntent: stripeId("pi"), customer })),
    );
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", gift.session("complete", true, { subscription: sub })));
    await dispatchStripeEvent(
      ctx.db,
      stripeEvent("customer.subscription.updated", subscriptionObject({ id: sub, status: "active", customer, metadata: gift.metadata, itemId: stripeId("si"), product: stripeId("prod"), unitAmount: 20_000 })),
    );
    const [g] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.giftId!));
    expect(g).toMatchObject({ status: "active", subscriptionId: sub, canceledAt: null });
    const months = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, gift.giftId!));
    expect(months.map((m) => [m.id, m.status, m.invoiceId])).toEqual([[gift.paymentId, "paid", inv]]);
    expect((await entriesOf(ctx.db, gift.paymentId)).reduce((s, e) => s + e.amountOre, 0n)).toBe(20_000n);
  });
});
