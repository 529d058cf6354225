import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { encodePc8, sieHeader, sieVoucher, UnbalancedVoucher } from "~/services/exports/sie";
import { readSie } from "./sie-reader";

/**
 * The test reader against the checked example of research/formats.md §2.7 (a copy in
 * tests/fixtures/sie, so a plain clone runs it), and the writer's pieces against the reader.
 */
const fixture = readFileSync(path.join(__dirname, "../fixtures/sie/sie4i-gava-stripe.si"));

describe("SIE reader and writer", () => {
  it("reads the checked example: header, accounts, objects, two balanced vouchers", () => {
    const file = readSie(fixture);
    expect(file.first("#FNAMN")).toEqual(["Stödföreningen Hjälpen"]);
    expect(file.first("#FORMAT")).toEqual(["PC8"]);
    expect(file.all("#KONTO").map((f) => f[0])).toEqual(["1580", "1930", "3993", "6570"]);
    expect(file.vouchers).toHaveLength(2);
    expect(file.vouchers[0].trans).toEqual([
      { account: "1580", objects: [], amountOre: 49_070n },
      { account: "6570", objects: [[6, "ABC123"]], amountOre: 930n },
      { account: "3993", objects: [[6, "ABC123"]], amountOre: -50_000n },
    ]);
    for (const v of file.vouchers) expect(v.trans.reduce((s, t) => s + t.amountOre, 0n)).toBe(0n);
  });

  it("writes what the reader reads back, in CP437 with CRLF; quotes and control characters are escaped", () => {
    const text =
      sieHeader({
        program: "Lokala mål",
        version: "1.0",
        generated: "20260301",
        companyName: 'Föreningen "Hjälp"',
        orgNumber: "8020051952",
        years: [[0, "20260101", "20261231"]],
        accounts: [{ account: "3993", name: "Erhållna gåvor" }],
        dimension: { number: 6, name: "Projekt" },
        objects: [{ id: "1", name: "Ingen hemlöshet" }],
      }) + sieVoucher({ date: "20260302", text: "Rättelse:\ttwo\nlines", lines: [{ account: "3993", objects: [[6, "1"]], amountOre: -1n }, { account: "1930", amountOre: 1n }] });
    const bytes = encodePc8(text);
    const file = readSie(bytes);
    expect(file.first("#FNAMN")).toEqual(['Föreningen "Hjälp"']);
    expect(file.first("#ORGNR")).toEqual(["802005-1952"]);
    expect(file.vouchers[0].text).toBe("Rättelse: two lines");
    expect(file.vouchers[0].trans.map((t) => t.amountOre)).toEqual([-1n, 1n]);
    expect(Buffer.from(bytes).includes(Buffer.from("0.01\r\n"))).toBe(true);
    expect(Buffer.from(bytes).indexOf(0x86)).toBeGreaterThan(0); // å in "mål"
  });

  it("refuses an unbalanced voucher", () => {
    expect(() => sieVoucher({ date: "20260302", text: "x", lines: [{ account: "3993", amountOre: -100n }, { account: "1930", amountOre: 99n }] })).toThrow(UnbalancedVoucher);
  });
});
