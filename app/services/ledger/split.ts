/**
 * Pure money arithmetic for the ledger. No floats: every share is computed in integer öre.
 *
 * Rule (docs/decisions/0004-ledger-allocation-and-rounding.md): largest remainder. Each part gets
 * floor(total × weight / Σweights); the öre left over go one each to the parts with the largest
 * remainders (total × weight mod Σweights), ties to the lowest goal number.
 *
 * Worked example: 100 öre split equally over five goals → 20 each, nothing left over.
 * 101 öre over five equal goals → 20 each (remainder 1 each), the one spare öre goes to goal #1:
 * 21, 20, 20, 20, 20. 10 öre at 33.33/33.33/33.34 % → exact shares 3.333, 3.333, 3.334 →
 * floors 3, 3, 3, spare öre to the largest remainder (the third goal): 3, 3, 4.
 */
export interface Weighted {
  goalId: number;
  /** Goal number 1–5: breaks ties in the remainder rule. */
  goalNumber: number;
  weight: bigint;
}

export interface Share {
  goalId: number;
  goalNumber: number;
  amountOre: bigint;
}

export function splitLargestRemainder(total: bigint, parts: Weighted[]): Share[] {
  if (total < 0n) throw new RangeError("cannot split a negative amount");
  const weighted = parts.filter((p) => p.weight > 0n);
  const sumWeights = weighted.reduce((s, p) => s + p.weight, 0n);
  if (sumWeights === 0n) throw new RangeError("no positive weights to split over");
  const rows = weighted.map((p) => ({
    goalId: p.goalId,
    goalNumber: p.goalNumber,
    amountOre: (total * p.weight) / sumWeights,
    remainder: (total * p.weight) % sumWeights,
  }));
  let left = total - rows.reduce((s, r) => s + r.amountOre, 0n);
  const order = [...rows].sort((a, b) => (a.remainder === b.remainder ? a.goalNumber - b.goalNumber : a.remainder > b.remainder ? -1 : 1));
  for (const row of order) {
    if (left === 0n) break;
    row.amountOre += 1n;
    left -= 1n;
  }
  return rows
    .map(({ goalId, goalNumber, amountOre }) => ({ goalId, goalNumber, amountOre }))
    .sort((a, b) => a.goalNumber - b.goalNumber);
}

/**
 * The cumulative reversal of a payment per goal (docs/decisions/0004, "Reversals"): Sainte-Laguë
 * (Webster) apportionment of `total` öre over the goals' original allocations. The öre are handed
 * out one at a time, each to the goal with the largest a / (r + ½) — a its allocation, r what it
 * has so far — ties to the lowest goal number. So the split of R + 1 öre is the split of R plus one
 * öre: a goal's cumulative reversal never shrinks as the refunded total grows (largest remainder can
 * shrink it: the Alabama paradox), it never passes the goal's allocation, and for the whole amount
 * each goal gets exactly its allocation. The result depends only on the total, not on the steps.
 *
 * Worked example: allocations 1142/4187/3681 öre. Largest remainder gives 35 öre → 5/16/14 and
 * 36 öre → 4/17/15 (goal 1 would get 1 öre back); this split gives 35 → 4/16/15, 36 → 5/16/15.
 *
 * Computed without walking every öre: all öre whose priority a / (k + ½) is above the divisor
 * A / (total − n) are given at once (fewer than `total` of them), then the rest one at a time.
 */
export function splitMonotone(total: bigint, parts: Weighted[]): Share[] {
  if (total < 0n) throw new RangeError("cannot split a negative amount");
  const weighted = parts.filter((p) => p.weight > 0n);
  const sum = weighted.reduce((s, p) => s + p.weight, 0n);
  if (sum === 0n) throw new RangeError("no positive weights to split over");
  if (total > sum) throw new RangeError("cannot reverse more than was allocated");
  const n = BigInt(weighted.length);
  const rows = weighted.map((p) => {
    // Öre k = 0, 1, … of this goal with (2k + 1)·sum < 2·weight·(total − n): odd m = 2k + 1 ≤ ⌊(X − 1) / sum⌋.
    const x = 2n * p.weight * (total - n);
    const amountOre = x > 0n ? ((x - 1n) / sum + 1n) / 2n : 0n;
    return { goalId: p.goalId, goalNumber: p.goalNumber, weight: p.weight, amountOre };
  });
  let given = rows.reduce((s, r) => s + r.amountOre, 0n);
  while (given < total) {
    let best = rows[0];
    for (const r of rows.slice(1)) {
      // r's next öre has priority weight / (amount + ½); compare cross-multiplied, ties to the lower number.
      const a = r.weight * (2n * best.amountOre + 1n);
      const b = best.weight * (2n * r.amountOre + 1n);
      if (a > b || (a === b && r.goalNumber < best.goalNumber)) best = r;
    }
    best.amountOre += 1n;
    given += 1n;
  }
  return rows.map(({ goalId, goalNumber, amountOre }) => ({ goalId, goalNumber, amountOre })).sort((a, b) => a.goalNumber - b.goalNumber);
}

/**
 * What each goal's cumulative reversal becomes when a payment's reversed total reaches `total`,
 * given what is already reversed per goal: the splitMonotone split, except that no goal ever gets
 * money back. Reversals written under an earlier rule (largest remainder) can be an öre above this
 * split on some goal; that goal keeps its amount and the öre too many are taken off the goals being
 * raised, the öre of lowest priority first (ties: highest goal number). Each result is ≥ what is
 * already reversed and ≤ the goal's allocation, and they sum to `total`.
 */
export function reversalSplit(total: bigint, original: Share[], already: Map<number, bigint>): Share[] {
  const ideal = splitMonotone(
    total,
    original.map((s) => ({ goalId: s.goalId, goalNumber: s.goalNumber, weight: s.amountOre })),
  );
  const alloc = new Map(original.map((s) => [s.goalId, s.amountOre]));
  const rows = ideal.map((s) => {
    const had = already.get(s.goalId) ?? 0n;
    return { ...s, had, amountOre: s.amountOre > had ? s.amountOre : had };
  });
  let given = rows.reduce((s, r) => s + r.amountOre, 0n);
  while (given > total) {
    let worst: (typeof rows)[number] | null = null;
    for (const r of rows) {
      if (r.amountOre <= r.had) continue;
      if (!worst) {
        worst = r;
        continue;
      }
      // The last öre's priority: allocation / (amount − ½); take from the lowest.
      const a = (alloc.get(r.goalId) ?? 0n) * (2n * worst.amountOre - 1n);
      const b = (alloc.get(worst.goalId) ?? 0n) * (2n * r.amountOre - 1n);
      if (a < b || (a === b && r.goalNumber > worst.goalNumber)) worst = r;
    }
    if (!worst) throw new RangeError("already reversed more than the total");
    worst.amountOre -= 1n;
    given -= 1n;
  }
  return rows.map(({ goalId, goalNumber, amountOre }) => ({ goalId, goalNumber, amountOre }));
}
