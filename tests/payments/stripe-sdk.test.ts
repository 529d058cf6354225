import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox, ledgerEntries, monthlyGifts, payments } from "~db/schema";
import { action as giveAction } from "~/routes/give._index";
import { loader as thanksLoader } from "~/routes/give.thanks";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { goalBalances } from "~/services/ledger/balances.server";
import { startGift } from "~/services/payments/give.server";
import { manageToken } from "~/services/payments/manage-link.server";
import { changeMonthlyAmount, stopMonthlyGift } from "~/services/payments/monthly.server";
import { createTestDatabase, dbTargets, useTestDatabase } from "../setup/db";
import { goalIdsBySlug, ledgerTotal, prng, shuffle, signedWebhookRequest, useFakeStripe } from "./helpers";
import { anonymousContext } from "../setup/contexts";

function giveRequest(fields: Record<string, string>) {
  return new Request("http://127.0.0.1:3999/give", { method: "POST", body: new URLSearchParams(fields) });
}

async function give(fields: Record<string, string>) {
  const res = await giveAction({ request: giveRequest(fields), params: {}, context: {} });
  return res as unknown;
}

async function deliver(events: unknown[]) {
  for (const e of events) {
    const res = (await webhookAction({ request: signedWebhookRequest(e), params: {}, context: {} })) as Response;
    expect(res.status).toBe(200);
  }
}

describe.each(dbTargets)("gifts through the real Stripe SDK against a fake Stripe API (%s)", (target) => {
  const ctx = useTestDatabase(target);
  const stripe = useFakeStripe();

  it("refuses a gift whose honeypot field is filled in, without calling Stripe or writing", async () => {
    const before = stripe.fake.requests.length;
    const res = (await give({ frequency: "one_off", amount: "250", method: "card", name: "Bot", email: "bot@example.com", website: "http://spam.example" })) as {
      init: { status: number };
      data: { fieldErrors: Record<string, string> };
    };
    expect(res.init.status).toBe(400);
    expect(res.data.fieldErrors._form).toBeTruthy();
    expect(stripe.fake.requests.length).toBe(before);
    expect(await ctx.db.select({ n: count() }).from(payments)).toEqual([{ n: 0 }]);
  });

  it("answers bad input next to the fields, in Swedish, and writes nothing", async () => {
    const before = stripe.fake.requests.length;
    const res = (await give({ frequency: "one_off", amount: "other", amountOther: "abc", method: "swish", name: "", email: "inte-en-adress" })) as {
      init: { status: number };
      data: { fieldErrors: Record<string, string> };
    };
    expect(res.init.status).toBe(400);
    expect(res.data.fieldErrors.amount).toMatch(/kronor/);
    expect(res.data.fieldErrors.name).toBe("Skriv ditt namn.");
    expect(res.data.fieldErrors.email).toBe("Skriv en giltig e-postadress.");
    // Only the fields that are wrong: the chosen method and (absent) goal are fine.
    expect(Object.keys(res.data.fieldErrors).sort()).toEqual(["amount", "email", "name"]);
    const tooSmall = (await give({ frequency: "one_off", amount: "other", amountOther: "5", method: "card", name: "A", email: "a@example.com" })) as {
      data: { fieldErrors: Record<string, string> };
    };
    expect(tooSmall.data.fieldErrors.amount).toMatch(/minsta/);
    const badGoal = (await give({ frequency: "one_off", goal: "finns-inte", amount: "100", method: "card", name: "A", email: "a@example.com" })) as {
      data: { fieldErrors: Record<string, string> };
    };
    expect(badGoal.data.fieldErrors.goal).toBeTruthy();
    // The page's language decides the messages.
    const en = (await giveAction({
      request: new Request("http://127.0.0.1:3999/give?lang=en", { method: "POST", body: new URLSearchParams({ frequency: "one_off", amount: "250", method: "card", name: "A", email: "nope" }) }),
      params: {},
      context: {},
    })) as { data: { fieldErrors: Record<string, string> } };
    expect(en.data.fieldErrors.email).toBe("Please type a valid email address.");
    expect(await ctx.db.select({ n: count() }).from(payments)).toEqual([{ n: 0 }]);
    expect(stripe.fake.requests.length).toBe(before);
  });

  it("tells the donor when Stripe refuses to start the payment, without a 500", async () => {
    stripe.fake.failNext = { status: 400, message: "The payment method type swish is not activated for your account." };
    const res = (await give({ frequency: "one_off", goal: "", amount: "100", method: "swish", name: "A", email: "a@example.com" })) as {
      init: { status: number };
      data: { fieldErrors: Record<string, string> };
    };
    expect(res.init.status).toBe(422);
    expect(res.data.fieldErrors._form).toBe("Betalningen kunde inte startas just nu. Försök igen om en stund.");
    const rows = await ctx.db.select().from(payments);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("failed");
    await ctx.db.delete(payments); // keep the later tests' counts simple
  });

  it("takes a one-off Swish gift from the form to the ledger", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const goal = goals.get("alla-ar-trygga")!.id;
    const before = (await goalBalances(ctx.db)).get(goal) ?? 0n;
    const res = (await give({
      frequency: "one_off",
      goal: "alla-ar-trygga",
      amount: "250",
      method: "swish",
      name: "Test Givare",
      email: "givare@example.com",
      greeting: "<b>Hej</b>",
    })) as Response;
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    expect(location.startsWith(`${stripe.fake.url}/pay/cs_test_`)).toBe(true);

    const req = stripe.fake.requestsTo("POST", "/v1/checkout/sessions").at(-1)!;
    const [p] = await ctx.db.select().from(payments);
    expect(p.status).toBe("pending");
    expect(p.greeting).toBe("<b>Hej</b>");
    expect(req.idempotencyKey).toBe(`checkout:${p.checkoutKey}`);
    expect(p.checkoutKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(req.body).toMatchObject({
      mode: "payment",
      allowed_payment_method_types: ["swish"],
      customer_email: "givare@example.com",
      metadata: { payment_ref: String(p.id), goal: "alla-ar-trygga", channel: "one_off_gift" },
      payment_intent_data: { metadata: { payment_ref: String(p.id) } },
      line_items: [{ quantity: "1", price_data: { currency: "sek", unit_amount: "25000" } }],
    });
    expect(req.body).not.toHaveProperty("payment_method_types");
    expect(p.checkoutSessionId).toBe(location.split("/pay/")[1]);

    // Back on the success page before anything is confirmed: pending, whatever the redirect says.
    const ref = new URL((req.body.success_url as string)).searchParams.get("ref")!;
    const pending = await thanksLoader({ request: new Request(`http://127.0.0.1:3999/give/thanks?ref=${ref}`), params: {}, context: {} });
    expect(pending.gift.status).toBe("pending");

    // The donor approves in Swish; Stripe's events arrive twice, in a shuffled order.
    const events = stripe.fake.completeSession(p.checkoutSessionId!);
    await deliver(shuffle([...events, ...events], prng(3)));
    const [paid] = await ctx.db.select().from(payments).where(eq(payments.id, p.id));
    expect(paid.status).toBe("paid");
    expect(paid.method).toBe("swish");
    expect(((await goalBalances(ctx.db)).get(goal) ?? 0n) - before).toBe(25_000n);
    const receipts = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `receipt:${p.id}`));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].template).toBe("gift-receipt");
    expect(receipts[0].props).toMatchObject({ amountOre: "25000", goalTitle: "Alla är trygga", method: "swish" });

    const thanks = await thanksLoader({ request: new Request(`http://127.0.0.1:3999/give/thanks?ref=${ref}`), params: {}, context: {} });
    expect(thanks.gift.status).toBe("paid");

    // A partial refund in the dashboard, delivered twice.
    const refund = stripe.fake.refund(paid.paymentIntentId!, 5_000);
    await deliver([refund, refund]);
    expect(((await goalBalances(ctx.db)).get(goal) ?? 0n) - before).toBe(20_000n);
  });

  it("confirms a paid session on the success page by asking Stripe, not by trusting the redirect", async () => {
    const res = (await give({ frequency: "one_off", goal: "", amount: "100", method: "card", name: "Kort Givare", email: "kort@example.com" })) as Response;
    const sessionId = res.headers.get("Location")!.split("/pay/")[1];
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, sessionId));
    const ref = new URL(stripe.fake.sessions.get(sessionId)!.fields.successUrl!).searchParams.get("ref")!;
    const total = await ledgerTotal(ctx.db);
    // A forged ref is refused.
    await expect(thanksLoader({ request: new Request(`http://127.0.0.1:3999/give/thanks?ref=${p.id}.AAAA`), params: {}, context: {} })).rejects.toMatchObject({ status: 404 });
    stripe.fake.completeSession(sessionId); // events not delivered (webhook delayed)
    const page = await thanksLoader({ request: new Request(`http://127.0.0.1:3999/give/thanks?ref=${ref}`), params: {}, context: {} });
    expect(page.gift.status).toBe("paid");
    expect(stripe.fake.requestsTo("GET", `/v1/checkout/sessions/${sessionId}`).length).toBeGreaterThan(0);
    expect((await ledgerTotal(ctx.db)) - total).toBe(10_000n);
  });

  it("takes a monthly card gift from the form to the ledger, and lets the donor change and stop it", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const goal = goals.get("ingen-ensamhet")!.id;
    const before = (await goalBalances(ctx.db)).get(goal) ?? 0n;
    const res = (await give({
      frequency: "monthly",
      goal: "ingen-ensamhet",
      amount: "other",
      amountOther: "175",
      method: "card", // monthly gifts are card only (Swish with monthly is refused: give-start.test.ts)
      name: "Månads Givare",
      email: "manad@example.com",
    })) as Response;
    expect(res.status).toBe(302);
    const sessionId = res.headers.get("Location")!.split("/pay/")[1];
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.checkoutSessionId, sessionId));
    expect(gift.status).toBe("pending");
    const req = stripe.fake.requestsTo("POST", "/v1/checkout/sessions").at(-1)!;
    expect(req.body).toMatchObject({
      mode: "subscription",
      allowed_payment_method_types: ["card"],
      line_items: [{ quantity: "1", price_data: { currency: "sek", unit_amount: "17500", recurring: { interval: "month" } } }],
      subscription_data: { metadata: { monthly_gift_id: String(gift.id), goal: "ingen-ensamhet", channel: "monthly_gift" } },
    });
    const [firstMonth] = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, gift.id));
    expect(req.idempotencyKey).toBe(`checkout:${firstMonth.checkoutKey}`);

    const events = stripe.fake.completeSession(sessionId);
    await deliver(shuffle(events, prng(11)));
    await deliver(events);
    const [active] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id));
    expect(active.status).toBe("active");
    expect(active.subscriptionId).toMatch(/^sub_/);
    let monthPayments = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, gift.id));
    expect(monthPayments).toHaveLength(1);
    expect(monthPayments[0]).toMatchObject({ status: "paid", channel: "monthly_gift", amountOre: 17_500n });

    // The month's PaymentIntent was looked up at Stripe (webhook invoices do not carry it).
    expect(stripe.fake.requestsTo("GET", "/v1/invoice_payments").length).toBeGreaterThan(0);
    expect(monthPayments[0].paymentIntentId).toMatch(/^pi_/);

    // Next month; its refund reaches us before the invoice: 503 (nothing written), Stripe retries.
    const renewal = stripe.fake.renew(active.subscriptionId!);
    const refund = stripe.fake.refund(renewal.paymentIntent, 5_000);
    const early = (await webhookAction({ request: signedWebhookRequest(refund), params: {}, context: {} })) as Response;
    expect(early.status).toBe(503);
    await deliver([renewal.event, renewal.event, refund]);
    monthPayments = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, gift.id));
    expect(monthPayments).toHaveLength(2);
    expect(monthPayments.map((p) => p.refundedOre).sort()).toEqual([0n, 5_000n]);
    expect(((await goalBalances(ctx.db)).get(goal) ?? 0n) - before).toBe(35_000n - 5_000n);
    const receipts = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.template, "gift-receipt"));
    const monthly = receipts.filter((r) => r.to === "manad@example.com");
    expect(monthly).toHaveLength(2);
    expect(String((monthly[0].props as { manageUrl: string }).manageUrl)).toContain(`/give/monthly/${manageToken(gift.id)}`);

    // Self-service from the signed link.
    const token = manageToken(gift.id);
    await changeMonthlyAmount(anonymousContext(ctx.db), { token, amount: "300", requestId: "form-1" });
    const update = stripe.fake.requestsTo("POST", `/v1/subscriptions/${active.subscriptionId}`).at(-1)!;
    expect(update.idempotencyKey).toBe(`sub-update:${gift.id}:30000:form-1`);
    expect(update.body).toMatchObject({ proration_behavior: "none", items: [{ price_data: { currency: "sek", unit_amount: "30000", recurring: { interval: "month" } } }] });
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)))[0].amountOre).toBe(30_000n);
    await expect(changeMonthlyAmount(anonymousContext(ctx.db), { token: `${gift.id}.${"x".repeat(32)}`, amount: "300", requestId: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(changeMonthlyAmount(anonymousContext(ctx.db), { token, amount: "1", requestId: "x" })).rejects.toMatchObject({ status: 400 });

    await stopMonthlyGift(anonymousContext(ctx.db), { token });
    const cancel = stripe.fake.requestsTo("DELETE", `/v1/subscriptions/${active.subscriptionId}`);
    expect(cancel).toHaveLength(1);
    expect(cancel[0].idempotencyKey).toBe(`sub-cancel:${active.subscriptionId}`);
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)))[0].status).toBe("canceled");
  });

  it("applies a refund and a dispute of a month recorded without its PaymentIntent (found by the month's invoice)", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const goal = goals.get("alla-ar-trygga")!.id;
    const res = (await give({ frequency: "monthly", goal: "alla-ar-trygga", amount: "100", name: "Månad Två", email: "manad2@example.com" })) as Response;
    const sessionId = res.headers.get("Location")!.split("/pay/")[1];
    await deliver(stripe.fake.completeSession(sessionId));
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.checkoutSessionId, sessionId));
    const balance = async () => (await goalBalances(ctx.db)).get(goal) ?? 0n;
    const start = await balance();

    // Stripe's invoice payments do not list the month's PaymentIntent when invoice.paid arrives.
    const month = stripe.fake.renew(gift.subscriptionId!);
    const invoiceId = (month.event.data.object as { id: string }).id;
    stripe.fake.unlistedInvoices.add(invoiceId);
    await deliver([month.event]);
    const [recorded] = await ctx.db.select().from(payments).where(eq(payments.invoiceId, invoiceId));
    expect(recorded).toMatchObject({ status: "paid", paymentIntentId: null });
    expect((await balance()) - start).toBe(10_000n);

    // Its refund names only the PaymentIntent; the PaymentIntent's invoice finds the month (no endless 503).
    await deliver([stripe.fake.refund(month.paymentIntent, 4_000)]);
    const [refunded] = await ctx.db.select().from(payments).where(eq(payments.id, recorded.id));
    expect(refunded).toMatchObject({ refundedOre: 4_000n, paymentIntentId: month.paymentIntent });
    expect((await balance()) - start).toBe(6_000n);

    // A lost dispute on another such month is applied, not stored and forgotten.
    const month2 = stripe.fake.renew(gift.subscriptionId!);
    const invoice2 = (month2.event.data.object as { id: string }).id;
    stripe.fake.unlistedInvoices.add(invoice2);
    await deliver([month2.event]);
    expect((await balance()) - start).toBe(16_000n);
    await deliver([stripe.fake.dispute(month2.paymentIntent, "needs_response"), stripe.fake.dispute(month2.paymentIntent, "lost")]);
    expect((await balance()) - start).toBe(6_000n);
    const [disputed] = await ctx.db.select().from(payments).where(eq(payments.invoiceId, invoice2));
    expect(disputed.paymentIntentId).toBe(month2.paymentIntent);

    // A dispute that arrives before its month: 503 with nothing written, applied once the month is there.
    const month3 = stripe.fake.renew(gift.subscriptionId!);
    stripe.fake.unlistedInvoices.add((month3.event.data.object as { id: string }).id);
    const lost = stripe.fake.dispute(month3.paymentIntent, "lost");
    const early = (await webhookAction({ request: signedWebhookRequest(lost), params: {}, context: {} })) as Response;
    expect(early.status).toBe(503);
    await deliver([month3.event, lost]);
    expect((await balance()) - start).toBe(6_000n);
  });

  it("uses an idempotency key that does not repeat after a database reset (or in another environment on the same Stripe account)", async () => {
    // Two fresh databases: the first payment in each has the same id.
    const first = await createTestDatabase(target);
    const second = await createTestDatabase(target);
    try {
      const a = await startGift(first.db, { input: { frequency: "one_off", goal: "", amount: "100", method: "card", name: "A", email: "a@example.com" }, locale: "sv" });
      const b = await startGift(second.db, { input: { frequency: "one_off", goal: "", amount: "200", method: "card", name: "B", email: "b@example.com" }, locale: "sv" });
      expect(a.paymentId).toBe(b.paymentId);
      expect(a.redirectUrl).not.toBe(b.redirectUrl);
      const keys = stripe.fake.requestsTo("POST", "/v1/checkout/sessions").slice(-2).map((r) => r.idempotencyKey);
      expect(keys[0]).not.toBe(keys[1]);
      // Stripe still sees a retry of one payment's request as the same request.
      const [pa] = await first.db.select().from(payments);
      expect(keys[0]).toBe(`checkout:${pa.checkoutKey}`);
    } finally {
      await first.close();
      await second.close();
    }
  }, 90_000); // two fresh, migrated databases (PGlite is slow to start under load)

  it("designates a Payment Link payment by the session's goal whether its refund comes before or after checkout.session.completed", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const goal = goals.get("ingen-ensamhet")!.id;
    const balance = async () => (await goalBalances(ctx.db)).get(goal) ?? 0n;
    const ledgerOf = async (paymentIntentId: string) => {
      const [p] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, paymentIntentId));
      const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, p.id));
      return { p, entries: entries.map((e) => [e.goalId, e.kind, e.amountOre] as const).sort() };
    };

    const first = stripe.fake.paymentLink(30_000, { goal: "ingen-ensamhet" });
    let before = await balance();
    await deliver(first.events);
    await deliver([stripe.fake.refund(first.paymentIntent, 5_000)]);
    expect((await balance()) - before).toBe(25_000n);

    const second = stripe.fake.paymentLink(30_000, { goal: "ingen-ensamhet" });
    before = await balance();
    await deliver([stripe.fake.refund(second.paymentIntent, 5_000)]);
    await deliver(second.events);
    expect((await balance()) - before).toBe(25_000n);

    const a = await ledgerOf(first.paymentIntent);
    const b = await ledgerOf(second.paymentIntent);
    expect(b.entries).toEqual(a.entries);
    expect(b.p).toMatchObject({ goalId: goal, origin: "external", status: "paid", refundedOre: 5_000n });
    expect(b.p.checkoutSessionId).toMatch(/^cs_test_/);
    expect(await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, b.p.checkoutSessionId!))).toHaveLength(1);
  });

  it("sends the API key and this SDK's API version on every request", () => {
    expect(stripe.fake.requests.length).toBeGreaterThan(0);
    for (const r of stripe.fake.requests) {
      expect(r.authorization).toBe("Bearer sk_test_fake");
      expect(r.stripeVersion).toMatch(/^2026-/);
    }
  });
});
