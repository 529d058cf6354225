import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bgMaxErrorText } from "~/i18n/invoice-formats";
import { Invalid } from "~/services/errors";
import { BgMaxError, parseBgMax, type BgMaxField, type BgMaxProblem } from "~/services/invoices/bgmax";
import { bgMaxFromPayments, encodeBgMax, writeBgMax } from "~/services/invoices/bgmax-writer";
import { buildOcr } from "~/services/invoices/ocr";

// Copy of ../shared/research/examples/bgmax-exempel.txt (formats.md §3.4), so the repo's tests stand alone.
const example = readFileSync(new URL("../fixtures/bgmax-exempel.txt", import.meta.url));
const exampleText = example.toString("latin1");

function refusal(input: string | Uint8Array): BgMaxError {
  try {
    parseBgMax(input);
  } catch (error) {
    if (error instanceof BgMaxError) return error;
    throw error;
  }
  throw new Error("the file was accepted");
}

/** Replaces line `n` (1-based) of a CRLF file; `null` removes it. */
function withLine(text: string, n: number, replace: (line: string) => string | null): string {
  const lines = text.split("\r\n");
  const next = replace(lines[n - 1]);
  if (next === null) lines.splice(n - 1, 1);
  else lines[n - 1] = next;
  return lines.join("\r\n");
}
const put = (line: string, pos: number, value: string) => line.slice(0, pos - 1) + value + line.slice(pos - 1 + value.length);

describe("BgMax: the example file", () => {
  it("parses with its exact opening record, deposit, amounts and references", () => {
    const file = parseBgMax(example);
    expect(file).toMatchObject({ layoutVersion: "01", createdAt: "2026-11-24T06:30:00.123456", test: false });
    expect(file.counts).toEqual({ payments: 3, deductions: 0, extraReferences: 0, deposits: 1 });
    expect(file.deposits).toHaveLength(1);
    const [deposit] = file.deposits;
    expect(deposit).toMatchObject({ payeeBankgiro: "9001231", payeePlusgiro: null, currency: "SEK", date: "2026-11-24", serial: "00001", amountOre: 40000n, depositType: null });
    expect(deposit.payments.map((p) => [p.kind, p.reference, p.referenceCode, p.ocr, p.amountOre, p.channel, p.bgcSerial, p.hasImage])).toEqual([
      ["payment", "1000173", 2, "1000173", 25000n, 1, "000000000001", false],
      ["payment", "1000272", 2, "1000272", 10000n, 1, "000000000002", false],
      ["payment", "GAVA BRUNNAR", 4, null, 5000n, 1, "000000000003", false],
    ]);
    expect(deposit.payments[0].payerName).toBe("Anna Andersson");
    expect(deposit.payments.every((p) => p.senderBankgiro === null)).toBe(true);
  });

  it("reads the same with LF line ends, trailing blanks stripped, as text or as bytes", () => {
    const expected = parseBgMax(example);
    const stripped = exampleText.replace(/ +\r\n/g, "\n");
    expect(parseBgMax(stripped)).toEqual(expected);
    expect(parseBgMax(exampleText)).toEqual(expected);
  });
});

describe("BgMax: generated files", () => {
  it("a file generated from invoices' OCR references round-trips, one deposit per day", () => {
    const payments = [
      { ocr: buildOcr(1), amountOre: 125_050n, date: "2026-12-02" },
      { ocr: buildOcr(2), amountOre: 99n, date: "2026-12-01" },
      { ocr: buildOcr(20261234), amountOre: 1_000_000_00n, date: "2026-12-02" },
    ];
    const file = parseBgMax(encodeBgMax(bgMaxFromPayments("9001231", payments)));
    expect(file.test).toBe(false);
    expect(file.deposits.map((d) => [d.date, d.payeeBankgiro, d.amountOre])).toEqual([
      ["2026-12-01", "9001231", 99n],
      ["2026-12-02", "9001231", 125_050n + 1_000_000_00n],
    ]);
    const back = file.deposits.flatMap((d) => d.payments.map((p) => ({ ocr: p.ocr, amountOre: p.amountOre, date: d.date })));
    expect(back).toEqual([payments[1], payments[0], payments[2]]);
    const serials = file.deposits.flatMap((d) => d.payments.map((p) => p.bgcSerial));
    expect(new Set(serials).size).toBe(3);
  });

  it("deductions lower the deposit, extra references break a payment down, names keep å ä ö in Latin-1", () => {
    const text = writeBgMax({
      payeeBankgiro: "9912346",
      test: true,
      deposits: [
        {
          date: "2026-11-30",
          payments: [
            { ocr: "655969", amountOre: 100000n, payerName: "Kalles Plåt AB", information: ["Gåva till läxhjälpen"] },
            { kind: "deduction", reference: "89853", referenceCode: 3, amountOre: 50000n, deductionCode: "0" },
            { reference: "657866 658765", referenceCode: 3, amountOre: 140000n, extraReferences: [{ reference: "657866" }, { reference: "658765" }] },
          ],
        },
      ],
    });
    const bytes = encodeBgMax(text);
    expect(bytes.length).toBe(text.length); // one byte per character: Latin-1, not UTF-8
    for (const input of [bytes, new TextEncoder().encode(text)]) {
      const file = parseBgMax(input); // as sent (Latin-1), and as re-saved by an editor (UTF-8)
      expect(file.test).toBe(true);
      expect(file.counts).toEqual({ payments: 2, deductions: 1, extraReferences: 2, deposits: 1 });
      const [deposit] = file.deposits;
      expect(deposit.amountOre).toBe(100000n - 50000n + 140000n);
      expect(deposit.payments.map((p) => p.kind)).toEqual(["payment", "deduction", "payment"]);
      expect(deposit.payments[0]).toMatchObject({ payerName: "Kalles Plåt AB", information: ["Gåva till läxhjälpen"] });
      expect(deposit.payments[1]).toMatchObject({ deductionCode: "0", ocr: null });
      expect(deposit.payments[2].extraReferences.map((e) => [e.reference, e.referenceCode, e.negative])).toEqual([
        ["657866", 2, false],
        ["658765", 2, false],
      ]);
    }
  });

  it("reads the payer's address and organisation number records", () => {
    const base = bgMaxFromPayments("9001231", [{ ocr: "1000173", amountOre: 100n, date: "2026-11-24" }]);
    const extra = ["27Storgatan 2".padEnd(37) + "12345", "28Storåker".padEnd(37) + "Sverige".padEnd(35) + "SE", "29005500001234"];
    const text = withLine(base, 3, (l) => [l, ...extra].join("\r\n"));
    const [payment] = parseBgMax(text).deposits[0].payments;
    expect(payment.address).toEqual({ street: "Storgatan 2", postcode: "12345", city: "Storåker", country: "Sverige", countryCode: "SE" });
    expect(payment.payerId).toBe("005500001234");
  });

  it("skips record types it does not know, as Bankgirot asks", () => {
    const text = withLine(exampleText, 4, (l) => `${l}\r\n99${"X".repeat(78)}`);
    expect(parseBgMax(text).deposits[0].payments.map((p) => p.amountOre)).toEqual([25000n, 10000n, 5000n]);
  });
});

describe("BgMax: a broken file is refused whole, naming the line", () => {
  const cases: Array<[string, string | Uint8Array, BgMaxProblem, number, BgMaxField?]> = [
    ["an empty file", "", "empty", 1],
    ["only blank lines", "\r\n\r\n", "empty", 1],
    ["a CSV export", "Datum;Belopp;Referens\r\n2026-11-24;250,00;1000173\r\n", "not_bgmax", 1, "transactionCode"],
    ["another layout in TK01", withLine(exampleText, 1, (l) => put(l, 3, "BGMIN")), "not_bgmax", 1, "layoutName"],
    ["no opening record", withLine(exampleText, 1, () => null), "not_bgmax", 1, "layoutName"],
    ["layout version 02", withLine(exampleText, 1, (l) => put(l, 23, "02")), "layout_version", 1, "layoutVersion"],
    ["a test mark that is neither T nor P", withLine(exampleText, 1, (l) => put(l, 45, "X")), "bad_field", 1, "testMark"],
    ["a record of 81 characters", withLine(exampleText, 3, (l) => `${l}0`), "record_too_long", 3],
    ["a payment cut short", withLine(exampleText, 3, (l) => l.slice(0, 60)), "record_too_short", 3],
    ["a tab instead of blanks", withLine(exampleText, 3, (l) => l.replace("          ", "\t")), "bad_character", 3],
    ["an amount with a letter", withLine(exampleText, 3, (l) => put(l, 50, "A")), "bad_field", 3, "amount"],
    ["reference code 7", withLine(exampleText, 3, (l) => put(l, 56, "7")), "bad_field", 3, "referenceCode"],
    ["payment channel 9", withLine(exampleText, 3, (l) => put(l, 57, "9")), "bad_field", 3, "channel"],
    ["31 November", withLine(exampleText, 7, (l) => put(l, 38, "20261131")), "bad_field", 7, "date"],
    ["a foreign currency in the opening", withLine(exampleText, 2, (l) => put(l, 23, "EUR")), "currency", 2],
    ["a foreign currency in the deposit", withLine(exampleText, 7, (l) => put(l, 69, "EUR")), "currency", 7],
    ["a deposit amount that does not add up", withLine(exampleText, 7, (l) => put(l, 51, "000000000000040001")), "deposit_sum", 7, "amount"],
    ["a payment amount that does not add up", withLine(exampleText, 3, (l) => put(l, 38, "000000000000025100")), "deposit_sum", 7, "amount"],
    ["a deposit count that does not match", withLine(exampleText, 7, (l) => put(l, 72, "00000004")), "deposit_count", 7, "paymentCount"],
    ["a payment dropped", withLine(exampleText, 5, () => null), "deposit_count", 6, "paymentCount"],
    ["a closing payment count that does not match", withLine(exampleText, 8, (l) => put(l, 3, "00000004")), "end_count", 8, "payments"],
    ["a closing deposit count that does not match", withLine(exampleText, 8, (l) => put(l, 27, "00000002")), "end_count", 8, "deposits"],
    ["no closing record", withLine(exampleText, 8, () => null), "missing_end", 7],
    ["no deposit record", withLine(exampleText, 7, () => null), "deposit_not_closed", 2],
    ["a payment outside a deposit", withLine(exampleText, 2, () => null), "unexpected_record", 2],
    ["a name record before any payment", withLine(exampleText, 2, (l) => `${l}\r\n26Någon`), "unexpected_record", 3],
    ["a second opening record", withLine(exampleText, 2, (l) => `${exampleText.split("\r\n")[0]}\r\n${l}`), "unexpected_record", 2],
    ["records after the closing record", `${exampleText}${exampleText.split("\r\n")[2]}\r\n`, "unexpected_record", 9],
  ];

  it.each(cases)("%s", (_, input, problem, line, field) => {
    const error = refusal(input);
    expect({ problem: error.problem, line: error.line, field: error.field }).toEqual({ problem, line, field });
  });

  it("is a 400 with the problem as the file field's error, and reads as a sentence in both languages", () => {
    const error = refusal(withLine(exampleText, 2, (l) => put(l, 23, "EUR")));
    expect(error).toBeInstanceOf(Invalid);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({ file: "currency" });
    expect(bgMaxErrorText(error, "sv")).toBe("Rad 2: valutan är inte SEK. Vi tar bara emot betalningar i kronor.");
    expect(bgMaxErrorText(error, "en")).toBe("Line 2: the currency is not SEK. We only accept payments in kronor.");
    const count = refusal(withLine(exampleText, 8, (l) => put(l, 3, "00000009")));
    expect(bgMaxErrorText(count, "sv")).toContain("betalningsposter");
    expect(bgMaxErrorText(count, "en")).toContain("payment records");
  });
});
