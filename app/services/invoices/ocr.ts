/**
 * Bankgiro OCR references (../shared/research/formats.md §3.1): digits only, 2–25 long, the last digit a
 * modulus-10 (Luhn) check digit over all the digits before it. We issue references at Bankgirot's
 * "variabel längdkontroll" level: the second-to-last digit is the total length mod 10 and is itself part of
 * the Luhn sum, so a payer's bank can refuse a reference with a digit dropped or added, not only a typo.
 */

export const OCR_MIN_LENGTH = 2;
export const OCR_MAX_LENGTH = 25; // BgMax reserves 25 characters for the reference

/** Why a reference is refused; each has a message in ~/i18n/invoice-formats (ocrMessages). */
export type OcrProblem = "empty" | "not_digits" | "too_short" | "too_long" | "check_digit" | "length_digit";

export type OcrCheck = { ok: true; reference: string } | { ok: false; problem: OcrProblem };

/** Bankgirot's agreement levels we check at: "hard" = check digit only, "length" = check digit and length digit. */
export type OcrLevel = "hard" | "length";

/** Luhn check digit for `digits`: weights 2,1,2,… from the right, digit sums, (10 − sum mod 10) mod 10. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    const product = i % 2 === 0 ? digit * 2 : digit;
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The OCR reference for an invoice number: number + length digit + check digit ("10001" → "1000173").
 * Throws RangeError for anything but a non-negative integer whose reference would fit in 25 digits:
 * invoice numbers come from our own series, so a bad one is a programming error, not user input.
 */
export function buildOcr(invoiceNumber: string | number | bigint): string {
  const base = typeof invoiceNumber === "number" && !Number.isSafeInteger(invoiceNumber) ? "" : String(invoiceNumber);
  if (!/^\d+$/.test(base)) throw new RangeError(`invoice number must be digits, got ${String(invoiceNumber)}`);
  const length = base.length + 2;
  if (length > OCR_MAX_LENGTH) throw new RangeError(`invoice number too long for an OCR reference: ${base}`);
  const withLength = `${base}${length % 10}`;
  return `${withLength}${luhnCheckDigit(withLength)}`;
}

/** Spaces (also no-break ones) are how references are printed and typed in groups; anything else stays and is judged. */
export function normaliseOcr(input: string): string {
  return input.replace(/[\s\u00a0\u202f]/g, "");
}

/**
 * Checks a reference someone typed or a file carried. `level: "length"` (the default) also demands the length
 * digit, as for every reference we issue; "hard" is for references issued elsewhere (Bankgirot's own examples
 * at the check-digit level).
 */
export function checkOcr(input: string, level: OcrLevel = "length"): OcrCheck {
  const reference = normaliseOcr(input);
  if (reference === "") return { ok: false, problem: "empty" };
  if (!/^\d+$/.test(reference)) return { ok: false, problem: "not_digits" };
  if (reference.length < OCR_MIN_LENGTH) return { ok: false, problem: "too_short" };
  if (reference.length > OCR_MAX_LENGTH) return { ok: false, problem: "too_long" };
  // Length first: a dropped or doubled digit usually breaks the Luhn sum too, and "a digit is missing or
  // extra" is the more useful thing to tell the person typing it.
  if (level === "length" && Number(reference.at(-2)) !== reference.length % 10) return { ok: false, problem: "length_digit" };
  if (luhnCheckDigit(reference.slice(0, -1)) !== Number(reference.at(-1))) return { ok: false, problem: "check_digit" };
  return { ok: true, reference };
}
