import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBgMax } from "~/services/invoices/bgmax";
import { bgMaxFromPayments, writeBgMax } from "~/services/invoices/bgmax-writer";
import { unmatchedPaymentMessages } from "~/i18n/invoice-formats";
import { bgMaxPaymentKey, matchBgMaxPayments, type MatchResult, type UnmatchedReason } from "~/services/invoices/match";
import { buildOcr } from "~/services/invoices/ocr";

const example = parseBgMax(readFileSync(new URL("../fixtures/bgmax-exempel.txt", import.meta.url)));
const summary = (r: MatchResult<string | number>) => ({
  matched: r.matched.map((p) => [p.invoiceId, p.amountOre]),
  partial: r.partial.map((p) => [p.invoiceId, p.amountOre, p.remainingOre]),
  overpaid: r.overpaid.map((p) => [p.invoiceId, p.amountOre, p.excessOre]),
  unmatched: r.unmatched.map((p) => [p.payment.reference, p.reason]),
  duplicates: r.duplicates.map((p) => p.payment.reference),
});

describe("matching BgMax payments to open invoices", () => {
  it("matches the example file: a full payment, a partial one, and a text reference left for staff", () => {
    const result = matchBgMaxPayments(example, [
      { id: "inv-10001", ocr: "1000173", outstandingOre: 25000n },
      { id: "inv-10002", ocr: "1000272", outstandingOre: 30000n },
      { id: "inv-10003", ocr: buildOcr(10003), outstandingOre: 5000n },
    ]);
    expect(summary(result)).toEqual({
      matched: [["inv-10001", 25000n]],
      partial: [["inv-10002", 10000n, 20000n]],
      overpaid: [],
      unmatched: [["GAVA BRUNNAR", "invalid_reference"]],
      duplicates: [],
    });
    expect(result.matched[0]).toMatchObject({ date: "2026-11-24", payeeBankgiro: "9001231", ocr: "1000173", outstandingBeforeOre: 25000n });
  });

  it("a file generated from invoices is matched; a second import of it pays nothing twice", () => {
    const invoices = [1, 2, 3, 4].map((n) => ({ id: n, ocr: buildOcr(20260000 + n), outstandingOre: 100_000n * BigInt(n) }));
    const file = parseBgMax(
      bgMaxFromPayments("9001231", [
        { ocr: invoices[0].ocr, amountOre: 100_000n, date: "2026-12-01" }, // exact
        { ocr: invoices[1].ocr, amountOre: 50_000n, date: "2026-12-01" }, // partial …
        { ocr: invoices[1].ocr, amountOre: 160_000n, date: "2026-12-02" }, // … then the rest and 100 kr more
        { ocr: invoices[2].ocr, amountOre: 400_000n, date: "2026-12-02" }, // overpaid
        { ocr: buildOcr(99999), amountOre: 700n, date: "2026-12-02" }, // valid OCR, no such invoice
      ]),
    );
    const first = matchBgMaxPayments(file, invoices);
    expect(summary(first)).toEqual({
      matched: [[1, 100_000n]],
      partial: [[2, 50_000n, 150_000n]],
      // The second payment of invoice 2 meets what the first left outstanding (150 000 öre), not the invoice total.
      overpaid: [
        [2, 160_000n, 10_000n],
        [3, 400_000n, 100_000n],
      ],
      unmatched: [[buildOcr(99999), "unknown_reference"]],
      duplicates: [],
    });

    const booked = new Set([...first.matched, ...first.partial, ...first.overpaid, ...first.unmatched].map((p) => p.key));
    expect(booked.size).toBe(5); // every payment has its own key
    const again = matchBgMaxPayments(file, invoices, { alreadyImported: booked });
    expect(summary(again)).toEqual({ matched: [], partial: [], overpaid: [], unmatched: [], duplicates: file.deposits.flatMap((d) => d.payments.map((p) => p.reference)) });
  });

  it("keys are stable across parses and differ between payments", () => {
    const text = bgMaxFromPayments("9001231", [
      { ocr: "1000173", amountOre: 100n, date: "2026-12-01" },
      { ocr: "1000173", amountOre: 100n, date: "2026-12-02" },
    ]);
    const keys = (f: ReturnType<typeof parseBgMax>) => f.deposits.flatMap((d) => d.payments.map((p) => bgMaxPaymentKey(d.payeeBankgiro, d.date, p)));
    expect(keys(parseBgMax(text))).toEqual(keys(parseBgMax(text)));
    expect(new Set(keys(parseBgMax(text))).size).toBe(2);
  });

  it("a payment to an invoice that is already settled is overpaid by all of it", () => {
    const file = parseBgMax(bgMaxFromPayments("9001231", [{ ocr: "1000173", amountOre: 25000n, date: "2026-12-01" }]));
    const result = matchBgMaxPayments(file, [{ id: "a", ocr: "1000173", outstandingOre: 0n }]);
    expect(result.overpaid.map((p) => [p.invoiceId, p.excessOre])).toEqual([["a", 25000n]]);
  });

  it("sends deductions, several references, missing and wrong references to staff", () => {
    const text = writeBgMax({
      payeeBankgiro: "9001231",
      deposits: [
        {
          date: "2026-12-01",
          payments: [
            { ocr: "1000172", amountOre: 1000n }, // wrong check digit
            { reference: "10001 73", amountOre: 25000n }, // our OCR typed as a free-text reference, with a space
            { referenceCode: 5, reference: "1000272", amountOre: 1000n }, // Bankgirot marked it incorrect
            { amountOre: 1000n }, // no reference at all
            { reference: "1000173 1000272", referenceCode: 3, amountOre: 35000n, extraReferences: [{ reference: "1000173" }, { reference: "1000272" }] },
            { kind: "deduction", ocr: "1000272", amountOre: 500n },
          ],
        },
      ],
    });
    const result = matchBgMaxPayments(parseBgMax(text), [
      { id: "a", ocr: "1000173", outstandingOre: 25000n },
      { id: "b", ocr: "1000272", outstandingOre: 10000n },
    ]);
    expect(result.unmatched.map((p) => [p.payment.reference, p.reason])).toEqual([
      ["1000172", "invalid_reference"],
      ["1000272", "invalid_reference"],
      ["", "no_reference"],
      ["1000173 1000272", "multiple_references"],
      ["1000272", "deduction"],
    ]);
    expect(result.matched.map((p) => [p.invoiceId, p.ocr])).toEqual([["a", "1000173"]]);
  });

  it("leaves deposits to another bankgiro for staff when ours is given", () => {
    const invoices = [{ id: "a", ocr: "1000173", outstandingOre: 25000n }];
    expect(matchBgMaxPayments(example, invoices, { payeeBankgiro: "900-1231" }).matched.map((p) => p.invoiceId)).toEqual(["a"]);
    const other = matchBgMaxPayments(example, invoices, { payeeBankgiro: "5050-1055" });
    expect(other.matched).toEqual([]);
    expect(other.unmatched.map((p) => p.reason)).toEqual(["other_payee", "other_payee", "other_payee"]);
  });

  it("has a message for every reason a payment waits for staff, in both languages", () => {
    const reasons: UnmatchedReason[] = ["deduction", "multiple_references", "no_reference", "invalid_reference", "unknown_reference", "other_payee"];
    for (const locale of ["sv", "en"] as const) {
      const texts = reasons.map((r) => unmatchedPaymentMessages(locale)[r]);
      expect(texts.every((t) => t.length > 10)).toBe(true);
      expect(new Set(texts).size).toBe(reasons.length);
    }
  });

  it("refuses two open invoices with one OCR reference (it would pay the wrong one)", () => {
    expect(() =>
      matchBgMaxPayments(example, [
        { id: "a", ocr: "1000173", outstandingOre: 1n },
        { id: "b", ocr: "10001 73", outstandingOre: 1n },
      ]),
    ).toThrow(RangeError);
  });
});
