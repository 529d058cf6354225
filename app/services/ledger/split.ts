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
