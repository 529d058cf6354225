import { eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { goals, ledgerEntries, payments } from "~db/schema";
import { saveAllocationRule } from "~/services/ledger/allocation.server";
import { goalBalances } from "~/services/ledger/balances.server";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { chargeObject, checkoutSessionObject, disputeObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

const SLUGS = ["ingen-hemloshet", "alla-ar-trygga", "ingen-ensamhet", "ingen-psykisk-ohalsa", "alla-kan-arbeta"];

const paymentSpec = fc.record({
  amount: fc.integer({ min: 300, max: 5_000_000 }),
  goal: fc.option(fc.constantFrom(...SLUGS), { nil: null }),
  /** Refunds as fractions (‰) of the amount, applied cumulatively. */
  refunds: fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 3 }),
  dispute: fc.constantFrom("none", "won", "lost", "open"),
  /** Swish-style: completed unpaid, then async_payment_succeeded. */
  delayed: fc.boolean(),
});

const scenario = fc.record({
  payments: fc.array(paymentSpec, { minLength: 1, maxLength: 6 }),
  rule: fc.option(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 5, maxLength: 5 }), { nil: null }),
  seed: fc.integer(),
  duplicateEvery: fc.integer({ min: 1, max: 4 }),
  batch: fc.integer({ min: 1, max: 6 }),
});

interface Built {
  events: Stripe.Event[];
  paidOre: bigint;
  reversedOre: bigint;
  sessionIds: string[];
  expectedNet: Map<string, { amount: bigint; net: bigint }>;
}

type PaymentSpec = typeof paymentSpec extends fc.Arbitrary<infer T> ? T : never;

function build(specs: PaymentSpec[]): Built {
  const events: Stripe.Event[] = [];
  let paidOre = 0n;
  let reversedOre = 0n;
  const sessionIds: string[] = [];
  const expectedNet = new Map<string, { amount: bigint; net: bigint }>();
  for (const p of specs) {
    const cs = stripeId("cs");
    const pi = stripeId("pi");
    const ch = stripeId("ch");
    sessionIds.push(cs);
    const metadata: Record<string, string> = p.goal ? { goal: p.goal } : {};
    const base = { id: cs, mode: "payment" as const, amountTotal: p.amount, status: "complete" as const, paymentIntent: pi, metadata };
    if (p.delayed) {
      events.push(stripeEvent("checkout.session.completed", checkoutSessionObject({ ...base, paymentStatus: "unpaid" })));
      events.push(stripeEvent("checkout.session.async_payment_succeeded", checkoutSessionObject({ ...base, paymentStatus: "paid" })));
    } else {
      events.push(stripeEvent("checkout.session.completed", checkoutSessionObject({ ...base, paymentStatus: "paid" })));
    }
    let refunded = 0;
    for (const permille of p.refunds) {
      refunded = Math.min(p.amount, refunded + Math.max(1, Math.floor((p.amount * permille) / 1000)));
      events.push(stripeEvent("charge.refunded", chargeObject({ id: ch, amount: p.amount, amountRefunded: refunded, paymentIntent: pi })));
    }
    let lost = 0;
    if (p.dispute !== "none") {
      const amount = p.amount - refunded;
      if (amount > 0) {
        const dp = stripeId("dp");
        events.push(stripeEvent("charge.dispute.created", disputeObject({ id: dp, charge: ch, paymentIntent: pi, amount, status: "needs_response" })));
        if (p.dispute !== "open") {
          events.push(stripeEvent("charge.dispute.closed", disputeObject({ id: dp, charge: ch, paymentIntent: pi, amount, status: p.dispute })));
          if (p.dispute === "lost") lost = amount;
        }
      }
    }
    const reversed = BigInt(Math.min(p.amount, refunded + lost));
    paidOre += BigInt(p.amount);
    reversedOre += reversed;
    expectedNet.set(cs, { amount: BigInt(p.amount), net: BigInt(p.amount) - reversed });
  }
  return { events, paidOre, reversedOre, sessionIds, expectedNet };
}

function permute<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe.each(dbTargets)("ledger properties under random event sequences (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it("keeps balances = paid − refunded − lost, each payment's entries = its amount, and never changes an entry", async () => {
    const seen = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        if (s.rule && s.rule.some((w) => w > 0)) {
          // A staff rule in whole per cent, scaled to sum to 100 (remainder to the first non-zero goal).
          const total = s.rule.reduce((a, b) => a + b, 0);
          const pct = s.rule.map((w) => Math.floor((w * 100) / total));
          pct[pct.findIndex((w) => w > 0)] += 100 - pct.reduce((a, b) => a + b, 0);
          const goalRows = await ctx.db.execute(sql`select id from goals order by number`);
          const ids = (goalRows as unknown as { rows?: { id: number }[] }).rows ?? (goalRows as unknown as { id: number }[]);
          await saveAllocationRule(staffContext(ctx.db, 1, "fundraiser"), { shares: Object.fromEntries(ids.map((g, i) => [String(g.id), String(pct[i])])) });
        }
        const before = [...(await goalBalances(ctx.db)).values()].reduce((a, b) => a + b, 0n);
        const built = build(s.payments);
        const deliveries = permute(
          built.events.flatMap((e, i) => (i % s.duplicateEvery === 0 ? [e, e] : [e])),
          s.seed,
        );
        for (let i = 0; i < deliveries.length; i += s.batch) {
          await Promise.all(deliveries.slice(i, i + s.batch).map((e) => dispatchStripeEvent(ctx.db, e)));
        }
        // 1. The goals' balances moved by exactly the money paid minus refunded or lost.
        const after = [...(await goalBalances(ctx.db)).values()].reduce((a, b) => a + b, 0n);
        expect(after - before).toBe(built.paidOre - built.reversedOre);
        // 2. Per payment: allocations sum to the amount; all entries to the amount less reversals.
        const rows = await ctx.db.select().from(payments).where(inArray(payments.checkoutSessionId, built.sessionIds));
        expect(rows).toHaveLength(built.sessionIds.length);
        const entries = await ctx.db.select().from(ledgerEntries).where(inArray(ledgerEntries.paymentId, rows.map((r) => r.id)));
        for (const p of rows) {
          const mine = entries.filter((e) => e.paymentId === p.id);
          const exp = built.expectedNet.get(p.checkoutSessionId!)!;
          expect(mine.filter((e) => e.kind === "allocation").reduce((a, e) => a + e.amountOre, 0n)).toBe(exp.amount);
          expect(mine.reduce((a, e) => a + e.amountOre, 0n)).toBe(exp.net);
          // No goal ever ends below zero for one payment.
          const perGoal = new Map<number, bigint>();
          for (const e of mine) perGoal.set(e.goalId, (perGoal.get(e.goalId) ?? 0n) + e.amountOre);
          for (const v of perGoal.values()) expect(v >= 0n).toBe(true);
        }
        // 3. No entry ever changed: every entry seen in earlier runs is still there, identical.
        const all = await ctx.db.select().from(ledgerEntries);
        const now = new Map(all.map((e) => [e.id.toString(), `${e.goalId}|${e.amountOre}|${e.kind}|${e.paymentId}|${e.entryKey}`]));
        for (const [id, value] of seen) expect(now.get(id)).toBe(value);
        for (const [id, value] of now) seen.set(id, value);
      }),
      { numRuns: 25, seed: 20261124, endOnFailure: true },
    );
    expect(seen.size).toBeGreaterThan(0);
  }, 120_000);

  it("refuses to change or delete a ledger entry", async () => {
    await expect(ctx.db.update(ledgerEntries).set({ amountOre: 1n })).rejects.toThrow();
    await expect(ctx.db.delete(ledgerEntries)).rejects.toThrow();
  });

  it("refuses at commit a payment whose entries do not sum right, however the entries were inserted", async () => {
    const [goal] = await ctx.db.select().from(goals).limit(1);
    const newPayment = async () =>
      (await ctx.db.insert(payments).values({ channel: "one_off_gift", status: "paid", amountOre: 100n, origin: "demo", paidAt: new Date() }).returning())[0].id;
    const entry = (paymentId: bigint, amountOre: bigint, key: string, kind = "allocation") =>
      ({ goalId: goal.id, amountOre, channel: "one_off_gift", kind, paymentId, entryKey: `${key}:${paymentId}`, author: "test" }) as const;
    const entriesOf = async (id: bigint) => ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, id));
    const [a, b, c] = [await newPayment(), await newPayment(), await newPayment()];
    // A right posting, then in the same transaction one öre more: the payment is checked once, at
    // COMMIT, against all of its entries.
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.insert(ledgerEntries).values(entry(a, 100n, "ok"));
        await tx.insert(ledgerEntries).values(entry(a, 1n, "extra"));
      }),
    ).rejects.toThrow();
    expect(await entriesOf(a)).toHaveLength(0);
    // Two payments in one transaction: the second one's wrong sum is found too.
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.insert(ledgerEntries).values([entry(b, 100n, "ok"), entry(c, 60n, "short")]);
      }),
    ).rejects.toThrow();
    expect([...(await entriesOf(b)), ...(await entriesOf(c))]).toHaveLength(0);
    // Each transaction is checked again: a later reversal that takes more than was paid is refused.
    await ctx.db.insert(ledgerEntries).values(entry(b, 100n, "ok"));
    await expect(ctx.db.insert(ledgerEntries).values(entry(b, -101n, "too-much", "reversal"))).rejects.toThrow();
    await ctx.db.insert(ledgerEntries).values(entry(b, -100n, "all", "reversal"));
    expect((await entriesOf(b)).reduce((s, e) => s + e.amountOre, 0n)).toBe(0n);
  });
});
