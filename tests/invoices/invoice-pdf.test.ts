import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { invoiceSettingsErrorText } from "~/i18n/invoice-formats";
import { Invalid } from "~/services/errors";
import { formatBankgiro, InvoicePdfError, renderBankInvoicePdf, type BankInvoicePdfInput } from "~/services/invoices/invoice-pdf.server";
import { buildOcr } from "~/services/invoices/ocr";

// Read the text back with Mozilla's PDF.js (a dev dependency, pure JS): CI's machine need not have poppler.
const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts/");
async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : "")).join(""));
  }
  await doc.destroy();
  // formatOre's no-break spaces come back as such; compare with plain spaces.
  return pages.join("\n").replace(/\u00a0/g, " ");
}

// Made-up identity: the test must not print facts about the real charity.
const seller = {
  name: "Stödföreningen Hjälpen",
  organisationNumber: "802005-1952",
  address: "Storgatan 1, 722 11 Västerås",
  bankgiro: "900-1231",
  email: "faktura@example.se",
};
const input = (over: Partial<BankInvoicePdfInput> = {}): BankInvoicePdfInput => ({
  locale: "sv",
  seller,
  buyer: { name: "Åkeri Öberg & Söner AB", organisationNumber: "556677-8899", address: "Industrigatan 4\n721 30 Västerås", reference: "PO-4711 / Märta" },
  invoice: { number: "10001", ocr: buildOcr(10001), issueDate: "2026-11-24T12:00:00Z", dueDate: "2026-12-24T12:00:00Z" },
  lines: [
    { text: "Huvudpartner 2027, första halvåret", goal: "Läxhjälp för barn", amountOre: 2_500_000n },
    { text: "Julinsamling, företagets gåva", goal: "Mat för dagen", amountOre: 123_450n },
  ],
  ...over,
});

describe("bank invoice PDF", () => {
  it("carries the OCR reference, the total, the bankgiro number and the payment instruction, in Swedish with å ä ö", async () => {
    const pdf = await renderBankInvoicePdf(input());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(pdf);
    expect(text).toContain("1000173");
    expect(text).toContain("26 234,50 kr"); // 25 000 + 1 234,50
    expect(text).toContain("900-1231");
    expect(text).toContain("Betala till bankgiro 900-1231 med OCR-nummer 1000173 senast 24 december 2026");
    expect(text).toMatch(/FÖRFALLODATUM\s+24 december 2026/); // the due date on one line in its cell
    for (const words of ["Faktura", "Förfallodatum", "Stödföreningen Hjälpen", "802005-1952", "Åkeri Öberg & Söner AB", "556677-8899", "PO-4711 / Märta", "Läxhjälp för barn", "Huvudpartner 2027, första halvåret", "25 000 kr", "1 234,50 kr", "24 november 2026"]) {
      expect(text).toContain(words);
    }
  });

  it("is in English for a buyer who reads English", async () => {
    const text = await pdfText(await renderBankInvoicePdf(input({ locale: "en" })));
    expect(text).toContain("Invoice");
    expect(text).toContain("Pay to bankgiro 900-1231 with OCR reference 1000173 by 24 December 2026");
    expect(text).not.toContain("Förfallodatum");
  });

  it("folds letters Helvetica cannot print instead of printing garbage", async () => {
    const text = await pdfText(await renderBankInvoicePdf(input({ buyer: { name: "Łódź Trading Sp. z o.o." } })));
    expect(text).toContain("Lódz Trading Sp. z o.o."); // ó is in WinAnsi and stays; Ł and ź are not
    expect(text).not.toContain("?");
  });

  it("flows many lines onto a second page and still ends with the payment box", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ text: `Rad ${i + 1}`, goal: null, amountOre: 10_000n }));
    const text = await pdfText(await renderBankInvoicePdf(input({ lines })));
    expect(text).toContain("Rad 60");
    expect(text).toContain("6 000 kr");
    expect(text.lastIndexOf("Rad 60")).toBeLessThan(text.lastIndexOf("Betala till bankgiro"));
  });

  it("refuses without a bankgiro number, naming the missing settings, and never invents one", async () => {
    const refused = await renderBankInvoicePdf(input({ seller: { ...seller, bankgiro: "" } })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvoicePdfError);
    expect(refused).toBeInstanceOf(Invalid);
    expect(refused).toMatchObject({ status: 400, problem: "missing_settings", settings: ["bankgiro"], fieldErrors: { bankgiro: "required" } });

    const several = await renderBankInvoicePdf(input({ seller: { name: "Stödföreningen Hjälpen", email: "a@example.se" } })).catch((e: InvoicePdfError) => e);
    expect(several).toMatchObject({ problem: "missing_settings", settings: ["organisationNumber", "address", "bankgiro"] });
    expect(invoiceSettingsErrorText(several as InvoicePdfError, "sv")).toBe(
      "Fakturan kan inte skapas förrän organisationens inställningar är ifyllda: organisationsnummer, postadress, bankgironummer.",
    );
    expect(invoiceSettingsErrorText(several as InvoicePdfError, "en")).toContain("organisation number, postal address, bankgiro number");
  });

  it("refuses a bankgiro number that fails its check digit", async () => {
    expect(formatBankgiro("9001231")).toBe("900-1231");
    expect(formatBankgiro("5050-1055")).toBe("5050-1055");
    expect(formatBankgiro("900-1232")).toBeNull();
    expect(formatBankgiro("12345")).toBeNull();
    await expect(renderBankInvoicePdf(input({ seller: { ...seller, bankgiro: "900-1232" } }))).rejects.toMatchObject({ problem: "invalid_settings", settings: ["bankgiro"] });
  });

  it("refuses an invoice whose OCR reference is not valid (it would send the money nowhere)", async () => {
    await expect(renderBankInvoicePdf(input({ invoice: { ...input().invoice, ocr: "1000174" } }))).rejects.toThrow(RangeError);
  });
});
