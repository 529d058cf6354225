/**
 * Payroll months and the terms in force, pure (no database): shared by the pledge services, the
 * payroll run (through `pledgeTermsForMonth`) and the pages. A month is its first day, "2026-12-01".
 */

/** The payroll month a moment falls in, in Swedish time (salaries are paid by the Swedish calendar). */
export function monthOf(moment: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit" }).formatToParts(moment);
  const year = parts.find((p) => p.type === "year")!.value;
  const month = parts.find((p) => p.type === "month")!.value;
  return `${year}-${month}-01`;
}

/** `n` months after `month` (negative: before): addMonths("2026-12-01", 1) → "2027-01-01". */
export function addMonths(month: string, n: number): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const y = year + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(y).padStart(4, "0")}-${String(mm + 1).padStart(2, "0")}-01`;
}

/** The months from `first` to `last`, both included. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** How far ahead a pledge or a change may start: a year is plenty, further is a typing mistake. */
export const MONTHS_AHEAD = 12;

/** The months a form offers, from the first one still open to `MONTHS_AHEAD` later. */
export function monthChoices(firstOpen: string): string[] {
  return monthsBetween(firstOpen, addMonths(firstOpen, MONTHS_AHEAD));
}

export type TermsState = "active" | "paused" | "stopped";

/** A row of a pledge's terms as far as "which is in force" goes. */
export interface DatedTerms {
  fromMonth: string;
}

/**
 * The terms in force for `month`: the row with the latest `fromMonth` on or before it (a change for
 * the same month replaced the earlier row, so there is at most one per month). Null before the first.
 * Example: rows from 2026-10 (100 kr), 2027-01 (paused); 2026-12 → the 100 kr row; 2027-02 → paused.
 */
export function termsInForce<T extends DatedTerms>(rows: readonly T[], month: string): T | null {
  let best: T | null = null;
  for (const row of rows) if (row.fromMonth <= month && (!best || row.fromMonth > best.fromMonth)) best = row;
  return best;
}

/**
 * Splits öre over goals by whole percent, exactly: each goal gets its floor, and the öre left over
 * go one each to the largest remainders (ties to the goal listed first), so the parts always add up.
 * Example: 100 öre over 33/33/34 % → 33 + 33 + 34; 10 öre over 50/50 → 5 + 5; 1 öre over 50/50 → 1 + 0.
 */
export function splitOre(amountOre: bigint, goals: readonly { goalId: number; percent: number }[]): { goalId: number; amountOre: bigint }[] {
  const parts = goals.map((g, index) => {
    const exact = amountOre * BigInt(g.percent);
    return { goalId: g.goalId, index, amountOre: exact / 100n, remainder: exact % 100n };
  });
  let left = amountOre - parts.reduce((sum, p) => sum + p.amountOre, 0n);
  const byRemainder = [...parts].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const part of byRemainder) {
    if (left <= 0n) break;
    part.amountOre += 1n;
    left -= 1n;
  }
  return parts.map((p) => ({ goalId: p.goalId, amountOre: p.amountOre }));
}
