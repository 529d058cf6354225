import { eq, inArray, like } from "drizzle-orm";
import fc from "fast-check";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { emailOutbox, ledgerEntries, monthlyGifts, payments } from "~db/schema";
import { goalBalances } from "~/services/ledger/balances.server";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { checkoutSessionObject, invoiceObject, stripeEvent, stripeId, subscriptionObject } from "~/services/payments/stripe-objects";
import { dbTargets, useTestDatabase } from "../setup/db";
import { prng, shuffle } from "./helpers";

/**
 * Issue 8 item 3, acceptance: whatever order a subscription's events arrive in (and however often),
 * for subscriptions the app started and ones it did not, the monthly gift ends with the status and
 * amount of the last state Stripe sent; each paid month is booked once; no "your monthly gift
 * failed" email goes out for a failure that arrives after the gift's cancellation was recorded.
 *
 * Each subscription is a timeline as Stripe produces it: created (incomplete) → first invoice paid
 * with updated (active) → steps (amount changed; a month paid; a month failed with updated
 * (past_due), later paid with updated (active)) → perhaps deleted. Times only grow.
 */
const SLUGS = ["ingen-hemloshet", "alla-ar-trygga", "ingen-ensamhet", "ingen-psykisk-ohalsa", "alla-kan-arbeta"];

const step = fc.oneof(
  fc.record({ kind: fc.constant("amount" as const), amount: fc.integer({ min: 2_000, max: 2_000_000 }) }),
  fc.record({ kind: fc.constant("paid" as const) }),
  fc.record({ kind: fc.constant("failed" as const) }),
);
const subscriptionSpec = fc.record({
  appStarted: fc.boolean(),
  goal: fc.option(fc.constantFrom(...SLUGS), { nil: null }),
  amount: fc.integer({ min: 2_000, max: 2_000_000 }),
  steps: fc.array(step, { maxLength: 6 }),
  deleted: fc.boolean(),
});
const scenario = fc.record({
  subscriptions: fc.array(subscriptionSpec, { minLength: 1, maxLength: 4 }),
  seed: fc.integer(),
  duplicateEvery: fc.integer({ min: 1, max: 4 }),
  batch: fc.integer({ min: 1, max: 4 }),
});
type Spec = typeof subscriptionSpec extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  subscriptionId: string;
  giftId: bigint | null;
  events: Stripe.Event[];
  final: { status: string; amount: bigint };
  paidOre: bigint;
  paidInvoices: string[];
  failedInvoices: string[];
  deletion: Stripe.Event | null;
}

let clock = 1_900_000_000;

async function startAppGift(db: Db, amount: number, goalId: number | null) {
  const [gift] = await db
    .insert(monthlyGifts)
    .values({ amountOre: BigInt(amount), goalId, donorName: "Ada Givare", donorEmail: "ada@example.com" })
    .returning();
  const [payment] = await db
    .insert(payments)
    .values({ channel: "monthly_gift", method: "card", amountOre: BigInt(amount), goalId, monthlyGiftId: gift.id, origin: "app", donorName: "Ada Givare", donorEmail: "ada@example.com" })
    .returning();
  return { giftId: gift.id, paymentId: payment.id };
}

async function build(db: Db, spec: Spec, goalIds: Map<string, number>): Promise<Built> {
  const sub = stripeId("sub");
  const customer = stripeId("cus");
  const itemId = stripeId("si");
  const product = stripeId("prod");
  let giftId: bigint | null = null;
  let metadata: Record<string, string> = spec.goal ? { goal: spec.goal } : {};
  if (spec.appStarted) {
    const started = await startAppGift(db, spec.amount, spec.goal ? goalIds.get(spec.goal)! : null);
    giftId = started.giftId;
    metadata = { ...metadata, monthly_gift_id: started.giftId.toString(), payment_ref: started.paymentId.toString() };
  }
  const events: Stripe.Event[] = [];
  let t = (clock += 1_000);
  let amount = spec.amount;
  let status: "incomplete" | "active" | "past_due" | "canceled" = "incomplete";
  const subEvent = (type: string) =>
    stripeEvent(type, subscriptionObject({ id: sub, status: status as never, customer, metadata, itemId, product, unitAmount: amount }), { created: t });
  const paidInvoices: string[] = [];
  const failedInvoices: string[] = [];
  let paidOre = 0n;
  const invoice = (id: string, paid: boolean, reason: string, attempt = 1) =>
    invoiceObject({
      id,
      amountPaid: paid ? amount : 0,
      amountDue: amount,
      status: paid ? "paid" : "open",
      subscription: sub,
      subscriptionMetadata: metadata,
      billingReason: reason,
      paymentIntent: paid ? `pi_${id}` : null,
      customer,
      customerEmail: spec.appStarted ? "ada@example.com" : "bo@example.com",
      customerName: spec.appStarted ? "Ada Givare" : "Bo Givare",
      paidAt: t,
      attemptCount: attempt,
    });

  events.push(subEvent("customer.subscription.created"));
  // The first month: paid at Checkout.
  t += 1;
  const first = stripeId("in");
  events.push(stripeEvent("invoice.paid", invoice(first, true, "subscription_create"), { created: t }));
  paidInvoices.push(first);
  paidOre += BigInt(amount);
  status = "active";
  events.push(subEvent("customer.subscription.updated"));
  if (spec.appStarted) {
    const session = checkoutSessionObject({ id: stripeId("cs"), mode: "subscription", amountTotal: spec.amount, status: "complete", paymentStatus: "paid", subscription: sub, customer, metadata });
    events.push(stripeEvent("checkout.session.completed", session, { created: t }));
  }
  let open: { id: string; attempts: number } | null = null;
  for (const s of spec.steps) {
    t += 1;
    if (s.kind === "amount") {
      amount = s.amount;
      events.push(subEvent("customer.subscription.updated"));
    } else if (s.kind === "failed") {
      open = open ? { id: open.id, attempts: open.attempts + 1 } : { id: stripeId("in"), attempts: 1 };
      events.push(stripeEvent("invoice.payment_failed", invoice(open.id, false, "subscription_cycle", open.attempts), { created: t }));
      failedInvoices.push(`${open.id}:${open.attempts}`);
      if (status !== "past_due") {
        status = "past_due";
        events.push(subEvent("customer.subscription.updated"));
      }
    } else {
      const id = open?.id ?? stripeId("in");
      open = null;
      events.push(stripeEvent("invoice.paid", invoice(id, true, "subscription_cycle"), { created: t }));
      paidInvoices.push(id);
      paidOre += BigInt(amount);
      if (status !== "active") {
        status = "active";
        events.push(subEvent("customer.subscription.updated"));
      }
    }
  }
  let deletion: Stripe.Event | null = null;
  if (spec.deleted) {
    t += 1;
    status = "canceled";
    deletion = subEvent("customer.subscription.deleted");
    events.push(deletion);
  }
  return { subscriptionId: sub, giftId, events, final: { status, amount: BigInt(amount) }, paidOre, paidInvoices, failedInvoices, deletion };
}

describe.each(dbTargets)("subscription state under random event orders (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it("ends each gift in the last state Stripe sent, books each paid month once, and emails no canceled donor", async () => {
    const goalRows = await ctx.db.query.goals.findMany();
    const goalIds = new Map(goalRows.map((g) => [g.slug, g.id]));
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        runs++;
        const before = [...(await goalBalances(ctx.db)).values()].reduce((a, b) => a + b, 0n);
        const built: Built[] = [];
        for (const spec of s.subscriptions) built.push(await build(ctx.db, spec, goalIds));
        const all = built.flatMap((b) => b.events);
        const deliveries = shuffle(
          all.flatMap((e, i) => (i % s.duplicateEvery === 0 ? [e, e] : [e])),
          prng(s.seed),
        );
        // Failures delivered in a batch after the one that recorded the deletion must not email.
        const afterDeletion = new Set<string>();
        const deleted = new Set<string>();
        const deliveredFailures = new Set<string>();
        for (let i = 0; i < deliveries.length; i += s.batch) {
          const batch = deliveries.slice(i, i + s.batch);
          for (const e of batch) {
            if (e.type !== "invoice.payment_failed") continue;
            const inv = e.data.object as Stripe.Invoice;
            const sub = inv.parent?.subscription_details?.subscription as string;
            const key = `monthly-failed:${inv.id}:${inv.attempt_count}`;
            // Its first delivery counts (a re-delivery of a failure emailed before the deletion sends nothing new).
            if (deleted.has(sub) && !deliveredFailures.has(key)) afterDeletion.add(key);
            deliveredFailures.add(key);
          }
          await Promise.all(batch.map((e) => dispatchStripeEvent(ctx.db, e)));
          for (const e of batch) if (e.type === "customer.subscription.deleted") deleted.add((e.data.object as Stripe.Subscription).id);
        }

        for (const b of built) {
          const gifts = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.subscriptionId, b.subscriptionId));
          expect(gifts).toHaveLength(1);
          const gift = gifts[0];
          if (b.giftId !== null) expect(gift.id).toBe(b.giftId);
          // 1. The last state Stripe sent.
          expect({ sub: b.subscriptionId, status: gift.status, amount: gift.amountOre }).toEqual({ sub: b.subscriptionId, status: b.final.status, amount: b.final.amount });
          // 2. Each paid invoice is one paid month, booked once, for its amount.
          const months = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, gift.id));
          const paid = months.filter((p) => p.status === "paid");
          expect(paid.map((p) => p.invoiceId).sort()).toEqual([...b.paidInvoices].sort());
          expect(paid.reduce((a, p) => a + p.amountOre, 0n)).toBe(b.paidOre);
          const entries = await ctx.db.select().from(ledgerEntries).where(inArray(ledgerEntries.paymentId, months.map((p) => p.id)));
          for (const p of paid) {
            const mine = entries.filter((e) => e.paymentId === p.id);
            expect(mine.filter((e) => e.kind === "allocation").reduce((a, e) => a + e.amountOre, 0n)).toBe(p.amountOre);
            expect(mine.reduce((a, e) => a + e.amountOre, 0n)).toBe(p.amountOre);
          }
          expect(entries.reduce((a, e) => a + e.amountOre, 0n)).toBe(b.paidOre);
          // 3. No failure email once the cancellation was recorded.
          const failedMails = await ctx.db.select().from(emailOutbox).where(like(emailOutbox.dedupeKey, `monthly-failed:%`));
          for (const m of failedMails) expect(afterDeletion.has(m.dedupeKey!)).toBe(false);
          if (gift.status === "canceled") expect(gift.canceledAt).not.toBeNull();
        }
        // 4. The goals' balances moved by exactly the money paid.
        const after = [...(await goalBalances(ctx.db)).values()].reduce((a, b) => a + b, 0n);
        expect(after - before).toBe(built.reduce((a, b) => a + b.paidOre, 0n));
      }),
      { numRuns: 20, seed: 20261129, endOnFailure: true },
    );
    expect(runs).toBe(20);
  }, 600_000);

  it("a subscription the app did not start, deleted before its first invoice.paid arrives: canceled at the deleted amount, the month booked, no failure email", async () => {
    const sub = stripeId("sub");
    const customer = stripeId("cus");
    const t = (clock += 1_000);
    const state = (status: "active" | "canceled", unitAmount: number) =>
      subscriptionObject({ id: sub, status, customer, itemId: stripeId("si"), product: stripeId("prod"), unitAmount });
    const first = stripeId("in");
    const failed = stripeId("in");
    const inv = (id: string, paid: boolean) =>
      invoiceObject({ id, amountPaid: paid ? 30_000 : 0, amountDue: 30_000, status: paid ? "paid" : "open", subscription: sub, billingReason: paid ? "subscription_create" : "subscription_cycle", paymentIntent: paid ? `pi_${id}` : null, customer, customerEmail: "cecilia@example.com", customerName: "Cecilia" });
    // Arrival order: updated (amount 450 kr), deleted, the first invoice paid, then an older failure.
    await dispatchStripeEvent(ctx.db, stripeEvent("customer.subscription.updated", state("active", 45_000), { created: t + 2 }));
    await dispatchStripeEvent(ctx.db, stripeEvent("customer.subscription.deleted", state("canceled", 45_000), { created: t + 4 }));
    await dispatchStripeEvent(ctx.db, stripeEvent("invoice.paid", inv(first, true), { created: t + 1 }));
    await dispatchStripeEvent(ctx.db, stripeEvent("invoice.payment_failed", inv(failed, false), { created: t + 3 }));
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.subscriptionId, sub));
    expect(gift).toMatchObject({ status: "canceled", amountOre: 45_000n, donorEmail: "cecilia@example.com" });
    const months = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, gift.id));
    expect(months.map((p) => [p.invoiceId, p.status, p.amountOre])).toEqual([[first, "paid", 30_000n]]);
    expect(await ctx.db.select().from(emailOutbox).where(like(emailOutbox.dedupeKey, `monthly-failed:${failed}:%`))).toEqual([]);
  });
});
