import { describe, expect, it } from "vitest";
import { ocrMessages } from "~/i18n/invoice-formats";
import { buildOcr, checkOcr, luhnCheckDigit, type OcrProblem } from "~/services/invoices/ocr";

// Vectors from ../shared/research/formats.md §3.1: our own construction, the references in Bankgirot's example
// BgMax file, and the test vectors of the Bankgirot-derived generator.
const built: Array<[string, string]> = [
  ["10001", "1000173"],
  ["10002", "1000272"],
];
const published = ["655969", "657866", "658765", "657767", "657965", "650861", "659763", "658260", "658369", "658468", "1636976", "18108401345678778"];

describe("OCR reference: building", () => {
  it.each(built)("invoice %s → %s (length digit, then Luhn over it)", (invoice, ocr) => {
    expect(buildOcr(invoice)).toBe(ocr);
    expect(buildOcr(Number(invoice))).toBe(ocr);
    expect(buildOcr(BigInt(invoice))).toBe(ocr);
  });

  it("puts total length mod 10 in the second-to-last place, for lengths that wrap past 10 and 20", () => {
    expect(buildOcr("1")).toMatch(/^13\d$/);
    expect(buildOcr("12345678")).toMatch(/^123456780\d$/); // 10 digits → length digit 0
    expect(buildOcr("1".repeat(12))).toMatch(/^1{12}4\d$/); // 14 digits → 4
    expect(buildOcr("9".repeat(23))).toHaveLength(25);
  });

  it("every built reference passes its own check, at both levels", () => {
    for (let n = 1; n < 3000; n += 7) {
      const ocr = buildOcr(n);
      expect(checkOcr(ocr)).toEqual({ ok: true, reference: ocr });
      expect(checkOcr(ocr, "hard").ok).toBe(true);
    }
  });

  it("refuses what cannot become a reference", () => {
    expect(() => buildOcr("")).toThrow(RangeError);
    expect(() => buildOcr("12a")).toThrow(RangeError);
    expect(() => buildOcr(-5)).toThrow(RangeError);
    expect(() => buildOcr(1.5)).toThrow(RangeError);
    expect(() => buildOcr("9".repeat(24))).toThrow(RangeError); // 26 digits
  });
});

describe("OCR reference: checking", () => {
  it.each(published)("Bankgirot's published reference %s is valid, with its length digit", (ocr) => {
    expect(checkOcr(ocr)).toEqual({ ok: true, reference: ocr });
  });

  it("computes the Luhn digit like personnummer (weights 2,1,… from the right)", () => {
    expect(luhnCheckDigit("811228987")).toBe(4); // 811228-9874, Skatteverket's example
    expect(luhnCheckDigit("10001" + "7")).toBe(3);
  });

  const invalid: Array<[string, OcrProblem, string]> = [
    ["", "empty", "nothing"],
    ["   ", "empty", "only blanks"],
    ["1000-173", "not_digits", "a hyphen"],
    ["10O0173", "not_digits", "a letter O for a zero"],
    ["１０００１７３", "not_digits", "full-width digits"],
    ["7", "too_short", "one digit"],
    ["1".repeat(26), "too_long", "26 digits"],
    ["1000174", "check_digit", "last digit changed"],
    ["1001073", "check_digit", "two digits swapped in the body"],
    ["100173", "length_digit", "a digit dropped"],
    ["10000173", "length_digit", "a digit added"],
  ];
  it.each(invalid)("%j is refused as %s (%s)", (input, problem) => {
    expect(checkOcr(input)).toEqual({ ok: false, problem });
  });

  it("a reference without a length digit passes the hard level only", () => {
    const base = "12345"; // check digit 5 → "123455": length 6, but the second-to-last digit is 5
    const ocr = `${base}${luhnCheckDigit(base)}`;
    expect(checkOcr(ocr, "hard")).toEqual({ ok: true, reference: ocr });
    expect(checkOcr(ocr)).toEqual({ ok: false, problem: "length_digit" });
  });

  it("accepts references typed in groups", () => {
    expect(checkOcr(" 10001 73 ")).toEqual({ ok: true, reference: "1000173" });
    expect(checkOcr("10001\u00a073")).toEqual({ ok: true, reference: "1000173" });
  });

  it("has a message for every problem in both languages", () => {
    for (const [, problem] of invalid) {
      expect(ocrMessages("sv")[problem]).toMatch(/OCR/);
      expect(ocrMessages("en")[problem]).toMatch(/OCR/);
    }
  });
});
