import { asc, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerEntries, payments } from "~db/schema";
import { syncPaymentLedger } from "~/services/ledger/posting.server";
import { reversalSplit, splitLargestRemainder, splitMonotone, type Share } from "~/services/ledger/split";
import { setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalIdsBySlug, usePaymentEnv } from "./helpers";

/** The rule by its definition: one öre at a time to the largest allocation / (reversed + ½), ties to the lowest number. */
function oneAtATime(total: bigint, alloc: bigint[]): bigint[] {
  const r = alloc.map(() => 0n);
  for (let t = 0n; t < total; t++) {
    let best = -1;
    for (let i = 0; i < alloc.length; i++) {
      if (alloc[i] === 0n) continue;
      if (best < 0 || alloc[i] * (2n * r[best] + 1n) > alloc[best] * (2n * r[i] + 1n)) best = i;
    }
    r[best] += 1n;
  }
  return r;
}

const shares = (alloc: bigint[]): Share[] => alloc.map((amountOre, i) => ({ goalId: 10 + i, goalNumber: i + 1, amountOre }));

/** Allocations (1–5 goals) and a rising sequence of cumulative reversed totals, perhaps ending at the whole amount. */
const scenario = fc
  .record({
    alloc: fc.array(fc.bigInt({ min: 1n, max: 2_000_000n }), { minLength: 1, maxLength: 5 }),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
    full: fc.boolean(),
  })
  .map(({ alloc, cuts, full }) => {
    const amount = alloc.reduce((s, a) => s + a, 0n);
    const targets = [...new Set(cuts.map((c) => BigInt(Math.floor(c * Number(amount)))))].sort((a, b) => (a < b ? -1 : 1));
    if (full) targets.push(amount);
    return { alloc, amount, targets: [...new Set(targets)].filter((t) => t > 0n) };
  });

describe("monotone cumulative reversal split", () => {
  it("fixes the reviewer's example: 1142/4187/3681 öre, 35 then 36 öre refunded", () => {
    const alloc = [1142n, 4187n, 3681n];
    // Largest remainder takes an öre back from goal 1 between 35 and 36 (the Alabama paradox).
    const lr = (t: bigint) => splitLargestRemainder(t, shares(alloc).map((s) => ({ ...s, weight: s.amountOre }))).map((s) => s.amountOre);
    expect(lr(35n)).toEqual([5n, 16n, 14n]);
    expect(lr(36n)).toEqual([4n, 17n, 15n]);
    const s35 = reversalSplit(35n, shares(alloc), new Map()).map((s) => s.amountOre);
    const s36 = reversalSplit(36n, shares(alloc), new Map(shares(alloc).map((s, i) => [s.goalId, s35[i]]))).map((s) => s.amountOre);
    expect(s35).toEqual([4n, 16n, 15n]);
    expect(s36).toEqual([5n, 16n, 15n]);
  });

  it("is the one-öre-at-a-time Sainte-Laguë split, for every total", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 3_000n }), { minLength: 1, maxLength: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), (alloc, c) => {
        const amount = alloc.reduce((s, a) => s + a, 0n);
        const total = BigInt(Math.floor(c * Number(amount)));
        const got = splitMonotone(total, shares(alloc).map((s) => ({ ...s, weight: s.amountOre }))).map((s) => s.amountOre);
        expect(got).toEqual(oneAtATime(total, alloc));
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("never gives a goal money back, never passes its allocation, sums exactly, and a full refund reverses everything", () => {
    fc.assert(
      fc.property(scenario, ({ alloc, amount, targets }) => {
        let already = new Map<number, bigint>();
        for (const t of targets) {
          const next = reversalSplit(t, shares(alloc), already);
          expect(next.reduce((s, r) => s + r.amountOre, 0n)).toBe(t);
          next.forEach((r, i) => {
            expect(r.amountOre - (already.get(r.goalId) ?? 0n)).toBeGreaterThanOrEqual(0n); // each reversal entry ≤ 0
            expect(r.amountOre).toBeLessThanOrEqual(alloc[i]);
          });
          // The result depends only on the total, not on how the refund was cut.
          expect(next.map((r) => r.amountOre)).toEqual(reversalSplit(t, shares(alloc), new Map()).map((r) => r.amountOre));
          already = new Map(next.map((r) => [r.goalId, r.amountOre]));
        }
        if (targets.at(-1) === amount) expect([...already.values()]).toEqual(alloc);
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it("stays monotone after reversals written under the earlier rule (largest remainder)", () => {
    fc.assert(
      fc.property(scenario, ({ alloc, amount, targets }) => {
        if (targets.length < 1) return;
        const first = targets[0];
        const legacy = splitLargestRemainder(first, shares(alloc).map((s) => ({ ...s, weight: s.amountOre })));
        let already = new Map(legacy.map((r) => [r.goalId, r.amountOre]));
        for (const t of [...targets.slice(1), amount]) {
          if (t <= first) continue;
          const next = reversalSplit(t, shares(alloc), already);
          expect(next.reduce((s, r) => s + r.amountOre, 0n)).toBe(t);
          next.forEach((r, i) => {
            expect(r.amountOre).toBeGreaterThanOrEqual(already.get(r.goalId) ?? 0n);
            expect(r.amountOre).toBeLessThanOrEqual(alloc[i]);
          });
          already = new Map(next.map((r) => [r.goalId, r.amountOre]));
        }
        expect([...already.values()]).toEqual(alloc);
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});

describe.each(dbTargets)("reversal entries in the ledger (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  /** A paid undesignated payment with the given allocation entries, then refunds up to each cumulative total. */
  async function refundInSteps(alloc: bigint[], targets: bigint[]) {
    const goals = [...(await goalIdsBySlug(ctx.db)).values()].sort((a, b) => a.number - b.number);
    const amount = alloc.reduce((s, a) => s + a, 0n);
    const paymentId = await ctx.db.transaction(async (tx) => {
      const [p] = await tx
        .insert(payments)
        .values({ channel: "one_off_gift", status: "paid", amountOre: amount, origin: "demo", paidAt: new Date() })
        .returning();
      await tx.insert(ledgerEntries).values(
        alloc.map((a, i) => ({ goalId: goals[i].id, amountOre: a, channel: "one_off_gift", kind: "allocation", paymentId: p.id, entryKey: `alloc:${p.id}:${goals[i].id}`, author: "test" })),
      );
      return p.id;
    });
    for (const t of targets) {
      await ctx.db.transaction(async (tx) => {
        const [p] = await tx.update(payments).set({ refundedOre: t }).where(eq(payments.id, paymentId)).returning();
        await syncPaymentLedger(tx, p, "test");
      });
    }
    const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, paymentId)).orderBy(asc(ledgerEntries.id));
    return { entries, goals: goals.slice(0, alloc.length) };
  }

  function check(entries: (typeof ledgerEntries.$inferSelect)[], goals: { id: number }[], alloc: bigint[]) {
    for (const e of entries.filter((e) => e.kind === "reversal")) expect(e.amountOre).toBeLessThan(0n);
    goals.forEach((g, i) => {
      const reversed = -entries.filter((e) => e.kind === "reversal" && e.goalId === g.id).reduce((s, e) => s + e.amountOre, 0n);
      expect(reversed).toBeLessThanOrEqual(alloc[i]);
    });
  }

  it("writes no positive reversal entry for the reviewer's example (35 then 36 öre refunded)", async () => {
    const alloc = [1142n, 4187n, 3681n];
    const { entries, goals } = await refundInSteps(alloc, [35n, 36n]);
    check(entries, goals, alloc);
    const reversedOf = (i: number) => -entries.filter((e) => e.kind === "reversal" && e.goalId === goals[i].id).reduce((s, e) => s + e.amountOre, 0n);
    expect([0, 1, 2].map(reversedOf)).toEqual([5n, 16n, 15n]);
  });

  it("keeps every reversal entry ≤ 0 and each goal's reversal ≤ its allocation under random refund sequences", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ alloc, amount, targets }) => {
        const { entries, goals } = await refundInSteps(alloc, targets);
        check(entries, goals, alloc);
        if (targets.at(-1) === amount) {
          goals.forEach((g) => expect(entries.filter((e) => e.goalId === g.id).reduce((s, e) => s + e.amountOre, 0n)).toBe(0n));
        }
      }),
      { numRuns: 15, seed: 7 },
    );
  });
});
