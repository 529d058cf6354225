import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocationRules, allocationShares, emailOutbox, ledgerEntries, monthlyGifts, paymentAnomalies, payments } from "~db/schema";
import { Invalid } from "~/services/errors";
import { saveAllocationRule } from "~/services/ledger/allocation.server";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { startGift } from "~/services/payments/give.server";
import { manageToken } from "~/services/payments/manage-link.server";
import { cardUpdateUrl } from "~/services/payments/monthly.server";
import { simulateCheckout } from "~/services/payments/simulator.server";
import { checkoutSessionObject, invoiceObject, stripeEvent, stripeId, subscriptionObject } from "~/services/payments/stripe-objects";
import { setEnvForTests } from "~/utils/env.server";
import { anonymousContext, personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalIdsBySlug, usePaymentEnv } from "./helpers";

const staff = (db: Parameters<typeof personContext>[0]) => personContext(db, { id: 1, email: "insamling@example.com", roles: ["fundraiser"] });

describe.each(dbTargets)("allocation rules, anomalies and monthly failures (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  async function shares(pct: (number | string)[]) {
    const goals = [...(await goalIdsBySlug(ctx.db)).values()].sort((a, b) => a.number - b.number);
    return Object.fromEntries(goals.map((g, i) => [String(g.id), String(pct[i])]));
  }

  it("refuses a split that does not add up to 100 % and writes nothing", async () => {
    await expect(saveAllocationRule(staff(ctx.db), { shares: await shares([50, 20, 20, 5, 4]) })).rejects.toMatchObject({
      status: 400,
      fieldErrors: { _form: "sum_not_100" },
    });
    await expect(saveAllocationRule(staff(ctx.db), { shares: await shares([50, 20, 20, 5, -5]) })).rejects.toMatchObject({ status: 400 });
    expect(await ctx.db.select({ n: count() }).from(allocationRules)).toEqual([{ n: 0 }]);
  });

  it("answers a note over 500 characters (and any malformed input) with a field error, not a crash, and writes nothing", async () => {
    const valid = await shares([20, 20, 20, 20, 20]);
    const err = await saveAllocationRule(staff(ctx.db), { shares: valid, note: "x".repeat(501) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect(err).toMatchObject({ status: 400, fieldErrors: { note: "note_long" } });
    const badShares = { ...valid, [Object.keys(valid)[0]]: 20 as unknown as string };
    const err2 = await saveAllocationRule(staff(ctx.db), { shares: badShares }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(Invalid);
    expect(err2).toMatchObject({ status: 400, fieldErrors: { [`share-${Object.keys(valid)[0]}`]: "percent_invalid" } });
    const err3 = await saveAllocationRule(staff(ctx.db), null as never).catch((e: unknown) => e);
    expect(err3).toBeInstanceOf(Invalid);
    expect(await ctx.db.select({ n: count() }).from(allocationRules)).toEqual([{ n: 0 }]);
  });

  it("splits undesignated money by the rule in force when it was paid; earlier payments keep theirs", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const byNumber = new Map([...goals.values()].map((g) => [g.id, g.number]));
    const pay = async (amount: number, created: number) => {
      const cs = stripeId("cs");
      const session = checkoutSessionObject({ id: cs, mode: "payment", amountTotal: amount, status: "complete", paymentStatus: "paid", paymentIntent: stripeId("pi") });
      await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", session, { created }));
      const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, cs));
      const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, p.id));
      return { p, split: entries.map((e) => [byNumber.get(e.goalId), e.amountOre] as const).sort((a, b) => a[0]! - b[0]!) };
    };
    const before = await pay(1000, Math.floor(Date.now() / 1000) - 3600);
    expect(before.split).toEqual([[1, 200n], [2, 200n], [3, 200n], [4, 200n], [5, 200n]]);
    expect(before.p.allocationRuleId).toBeNull();
    await saveAllocationRule(staff(ctx.db), { shares: await shares(["33,33", "33,33", "33,34", "0", "0"]) });
    const after = await pay(1000, Math.floor(Date.now() / 1000) + 5);
    // 10 kr at 33.33/33.33/33.34 %: 333.3, 333.3, 333.4 öre → 333, 333, 333 and the spare öre to goal 3.
    expect(after.split).toEqual([[1, 333n], [2, 333n], [3, 334n]]);
    expect(after.p.allocationRuleId).not.toBeNull();
    // The payment from before the rule still has its equal split.
    const again = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, before.p.id));
    expect(again).toHaveLength(5);
  });

  it("records a different amount than expected as received and flags it; another currency is held out of the ledger", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "one_off", goal: "alla-ar-trygga", amount: "250", method: "card", name: "A", email: "a@example.com" }, locale: "sv" });
    const sessionId = started.redirectUrl.split("/").pop()!;
    const metadata = { payment_ref: started.paymentId.toString(), goal: "alla-ar-trygga" };
    const wrong = checkoutSessionObject({ id: sessionId, mode: "payment", amountTotal: 20_000, status: "complete", paymentStatus: "paid", paymentIntent: stripeId("pi"), metadata });
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", wrong));
    const [p] = await ctx.db.select().from(payments).where(eq(payments.id, started.paymentId));
    expect(p).toMatchObject({ status: "paid", amountOre: 20_000n });
    const flags = await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id));
    expect(flags.map((f) => f.kind)).toEqual(["amount_mismatch"]);
    expect(flags[0].details).toMatchObject({ expectedOre: "25000", paidOre: "20000" });

    const eur = await startGift(ctx.db, { input: { frequency: "one_off", amount: "100", method: "card", name: "B", email: "b@example.com" }, locale: "sv" });
    const eurSession = checkoutSessionObject({
      id: eur.redirectUrl.split("/").pop()!,
      mode: "payment",
      amountTotal: 10_000,
      currency: "eur",
      status: "complete",
      paymentStatus: "paid",
      paymentIntent: stripeId("pi"),
      metadata: { payment_ref: eur.paymentId.toString() },
    });
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", eurSession));
    const [held] = await ctx.db.select().from(payments).where(eq(payments.id, eur.paymentId));
    expect(held.status).toBe("held");
    expect(await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, held.id))).toHaveLength(0);
    expect((await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, held.id))).map((f) => f.kind)).toContain("currency_mismatch");
  });

  it("records a Payment Link payment with an unknown goal slug as undesignated and flags it", async () => {
    const cs = stripeId("cs");
    const session = checkoutSessionObject({ id: cs, mode: "payment", amountTotal: 5_000, status: "complete", paymentStatus: "paid", paymentIntent: stripeId("pi"), metadata: { goal: "inget-sadant-mal" } });
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", session));
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, cs));
    expect(p.goalId).toBeNull();
    const kinds = (await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, p.id))).map((f) => f.kind).sort();
    expect(kinds).toEqual(["external_payment", "unknown_goal"]);
  });

  it("tells a monthly donor whose card failed, once per attempt, with a link to update the card", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "monthly", amount: "150", name: "M", email: "m@example.com" }, locale: "en" });
    await simulateCheckout(ctx.db, started.redirectUrl.split("/").pop()!, "pay");
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId!));
    const failed = invoiceObject({
      id: stripeId("in"),
      amountPaid: 0,
      amountDue: 15_000,
      status: "open",
      subscription: gift.subscriptionId,
      subscriptionMetadata: { monthly_gift_id: gift.id.toString() },
      attemptCount: 1,
    });
    const event = stripeEvent("invoice.payment_failed", failed);
    await dispatchStripeEvent(ctx.db, event);
    await dispatchStripeEvent(ctx.db, stripeEvent("invoice.payment_failed", failed)); // another event, same attempt
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)))[0].status).toBe("past_due");
    const mails = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.template, "monthly-gift-failed"));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: "m@example.com", locale: "en" });
    expect(String((mails[0].props as { manageUrl: string }).manageUrl)).toContain(manageToken(gift.id));
    expect(await cardUpdateUrl(anonymousContext(ctx.db), { token: manageToken(gift.id), requestId: "r" })).toMatch(/^\/dev\/checkout\/card-update\?return=/);
    // The next month is paid: active again.
    const paid = invoiceObject({ id: stripeId("in"), amountPaid: 15_000, status: "paid", subscription: gift.subscriptionId, subscriptionMetadata: { monthly_gift_id: gift.id.toString() } });
    await dispatchStripeEvent(ctx.db, stripeEvent("invoice.paid", paid));
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)))[0].status).toBe("active");
  });

  it("applies subscription updates in time order, and a late update never revives a stopped gift", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "monthly", amount: "100", name: "S", email: "s@example.com" }, locale: "sv" });
    await simulateCheckout(ctx.db, started.redirectUrl.split("/").pop()!, "pay");
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId!));
    const sub = (unitAmount: number, status: "active" | "canceled" = "active") =>
      subscriptionObject({ id: gift.subscriptionId!, status, customer: gift.customerId!, metadata: { monthly_gift_id: gift.id.toString() }, itemId: "si_1", product: "prod_1", unitAmount });
    const t = Math.floor(Date.now() / 1000) + 100;
    await dispatchStripeEvent(ctx.db, stripeEvent("customer.subscription.updated", sub(30_000), { created: t + 2 }));
    await dispatchStripeEvent(ctx.db, stripeEvent("customer.subscription.updated", sub(20_000), { created: t + 1 })); // older, arrives later
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)))[0].amountOre).toBe(30_000n);
    await dispatchStripeEvent(ctx.db, stripeEvent("customer.subscription.deleted", sub(30_000, "canceled"), { created: t + 3 }));
    await dispatchStripeEvent(ctx.db, stripeEvent("customer.subscription.updated", sub(40_000), { created: t + 4 }));
    const [after] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id));
    expect(after).toMatchObject({ status: "canceled", amountOre: 30_000n });
  });

  it("records a monthly gift whose first invoice arrives before the checkout completion, once", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "monthly", goal: "alla-ar-trygga", amount: "120", name: "F", email: "f@example.com" }, locale: "sv" });
    const sessionId = started.redirectUrl.split("/").pop()!;
    const metadata = { payment_ref: started.paymentId.toString(), monthly_gift_id: started.monthlyGiftId!.toString(), goal: "alla-ar-trygga", channel: "monthly_gift" };
    const sub = stripeId("sub");
    const cus = stripeId("cus");
    const invoice = invoiceObject({ id: stripeId("in"), amountPaid: 12_000, status: "paid", subscription: sub, subscriptionMetadata: metadata, billingReason: "subscription_create", paymentIntent: stripeId("pi"), customer: cus });
    const session = checkoutSessionObject({ id: sessionId, mode: "subscription", amountTotal: 12_000, status: "complete", paymentStatus: "paid", subscription: sub, customer: cus, metadata });
    await dispatchStripeEvent(ctx.db, stripeEvent("invoice.paid", invoice));
    let [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId!));
    expect(gift).toMatchObject({ status: "active", subscriptionId: sub, customerId: cus });
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", session));
    await dispatchStripeEvent(ctx.db, stripeEvent("invoice.paid", invoice));
    [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId!));
    expect(gift.status).toBe("active");
    const rows = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, gift.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: started.paymentId, status: "paid", amountOre: 12_000n });
    expect(await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, started.paymentId))).toHaveLength(1);
  });

  it("has the database refuse a rule that does not sum to 100 % and any change to a saved rule", async () => {
    const goals = [...(await goalIdsBySlug(ctx.db)).values()];
    await expect(
      ctx.db.transaction(async (tx) => {
        const [rule] = await tx.insert(allocationRules).values({ createdBy: "x" }).returning();
        await tx.insert(allocationShares).values(goals.map((g) => ({ ruleId: rule.id, goalId: g.id, basisPoints: 1000 })));
      }),
    ).rejects.toThrow();
    await expect(ctx.db.update(allocationShares).set({ basisPoints: 0 })).rejects.toThrow();
    await expect(ctx.db.delete(allocationRules)).rejects.toThrow();
  });
});
