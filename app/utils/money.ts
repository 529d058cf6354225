/**
 * Money is integer öre everywhere (DESIGN.md). This is the one module that converts and formats it.
 * Worked example: 123450n öre → "1 234,50 kr"; 25000n öre → "250 kr".
 */
export type Ore = bigint;

const NBSP = "\u00a0";

export function toOre(value: bigint | number | string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new RangeError(`öre must be an integer, got ${value}`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`öre must be an integer, got ${value}`);
  return BigInt(value);
}

/** Parses a kronor amount typed by a person ("250", "1 234,50", "99.5") into öre; null when not a valid amount. */
export function parseKronor(input: string): bigint | null {
  const cleaned = input.replace(/[\s\u00a0\u202f]/g, "").replace(/kr$/i, "").replace(",", ".");
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const kronor = BigInt(match[1]);
  const ore = BigInt((match[2] ?? "").padEnd(2, "0"));
  return kronor * 100n + ore;
}

/** Öre as kronor to put back in a form field, the way people type it: 15000000n → "150000", 12350n → "123,50". */
export function oreToKronorText(value: bigint | number | string): string {
  const ore = toOre(value);
  const rest = ore % 100n;
  return `${ore / 100n}${rest === 0n ? "" : `,${(rest < 0n ? -rest : rest).toString().padStart(2, "0")}`}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/** "1 234 kr" for whole kronor, "1 234,50 kr" otherwise (no-break spaces, so it never wraps). */
export function formatOre(value: bigint | number | string): string {
  const ore = toOre(value);
  const negative = ore < 0n;
  const abs = negative ? -ore : ore;
  const kronor = groupThousands((abs / 100n).toString());
  const rest = abs % 100n;
  const body = rest === 0n ? kronor : `${kronor},${rest.toString().padStart(2, "0")}`;
  return `${negative ? "−" : ""}${body}${NBSP}kr`;
}

/** Share of a target, 0–100, for progress bars; null without a target. */
export function percentOf(raised: bigint | number | string, target: bigint | number | string | null | undefined): number | null {
  if (target === null || target === undefined) return null;
  const t = toOre(target);
  if (t <= 0n) return null;
  const r = toOre(raised);
  const pct = Number((r * 1000n) / t) / 10;
  return Math.max(0, Math.min(100, pct));
}
