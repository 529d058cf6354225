import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parsePercent } from "~/services/ledger/allocation.server";
import { splitLargestRemainder } from "~/services/ledger/split";

const five = (w: bigint[]) => w.map((weight, i) => ({ goalId: 100 + i, goalNumber: i + 1, weight }));

describe("largest-remainder split", () => {
  it("splits equally and gives spare öre to the lowest goal numbers", () => {
    expect(splitLargestRemainder(100n, five([1n, 1n, 1n, 1n, 1n])).map((s) => s.amountOre)).toEqual([20n, 20n, 20n, 20n, 20n]);
    expect(splitLargestRemainder(101n, five([1n, 1n, 1n, 1n, 1n])).map((s) => s.amountOre)).toEqual([21n, 20n, 20n, 20n, 20n]);
    expect(splitLargestRemainder(103n, five([1n, 1n, 1n, 1n, 1n])).map((s) => s.amountOre)).toEqual([21n, 21n, 21n, 20n, 20n]);
  });

  it("gives the spare öre to the largest remainder first", () => {
    const three = [3333n, 3333n, 3334n].map((weight, i) => ({ goalId: i + 1, goalNumber: i + 1, weight }));
    expect(splitLargestRemainder(10n, three).map((s) => s.amountOre)).toEqual([3n, 3n, 4n]);
  });

  it("leaves out goals with a zero share", () => {
    const out = splitLargestRemainder(999n, five([5000n, 0n, 5000n, 0n, 0n]));
    expect(out.map((s) => [s.goalNumber, s.amountOre])).toEqual([
      [1, 500n],
      [3, 499n],
    ]);
  });

  it("always sums to the total and never exceeds a part's exact share by a whole öre", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 6 }), (total, ws) => {
        fc.pre(ws.some((w) => w > 0));
        const parts = ws.map((w, i) => ({ goalId: i + 1, goalNumber: i + 1, weight: BigInt(w) }));
        const out = splitLargestRemainder(total, parts);
        expect(out.reduce((s, p) => s + p.amountOre, 0n)).toBe(total);
        const sumW = parts.reduce((s, p) => s + p.weight, 0n);
        for (const p of out) {
          const w = parts.find((x) => x.goalId === p.goalId)!.weight;
          // amount ∈ {floor(exact), floor(exact) + 1}
          expect(p.amountOre - (total * w) / sumW).toBeGreaterThanOrEqual(0n);
          expect(p.amountOre - (total * w) / sumW).toBeLessThanOrEqual(1n);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe("percent input", () => {
  it("reads Swedish and English decimals as basis points", () => {
    expect(parsePercent("20")).toBe(2000);
    expect(parsePercent("12,5")).toBe(1250);
    expect(parsePercent("33.33 %")).toBe(3333);
    expect(parsePercent("100")).toBe(10000);
    expect(parsePercent("100,01")).toBeNull();
    expect(parsePercent("-5")).toBeNull();
    expect(parsePercent("abc")).toBeNull();
  });
});
