/**
 * The bank invoice as a PDF (A4, the buyer's language): the charity's identity from the settings, the buyer,
 * lines and total, and the Bankgiro payment instruction with the OCR reference. Nothing about the charity is
 * ever filled in here: a setting the invoice needs and does not have refuses the whole invoice.
 */
import { fill, type Locale } from "~/i18n/messages";
import { invoicePdfMessages } from "~/i18n/invoice-formats";
import { Invalid } from "~/services/errors";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { checkOcr, luhnCheckDigit } from "./ocr";

export type InvoiceSeller = {
  name?: string | null;
  organisationNumber?: string | null;
  address?: string | null;
  bankgiro?: string | null;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
};

/** What a bank invoice cannot go out without: who to pay, and who is asking (name, address, organisationsnummer). */
export const requiredInvoiceSettings = ["name", "organisationNumber", "address", "bankgiro"] as const;
export type InvoiceSetting = (typeof requiredInvoiceSettings)[number];

export type InvoicePdfProblem = "missing_settings" | "invalid_settings";

/** Refused: `settings` names what staff must fill in (or correct) under the charity's settings first. */
export class InvoicePdfError extends Invalid {
  constructor(
    public problem: InvoicePdfProblem,
    public settings: InvoiceSetting[],
  ) {
    super(`invoice_${problem}`, Object.fromEntries(settings.map((s) => [s, problem === "missing_settings" ? "required" : "invalid"])));
    this.name = "InvoicePdfError";
  }
}

export type BankInvoicePdfInput = {
  /** The buyer's language. */
  locale: Locale;
  seller: InvoiceSeller;
  buyer: { name: string; organisationNumber?: string | null; address?: string | null; reference?: string | null };
  invoice: { number: string; ocr: string; issueDate: Date | string; dueDate: Date | string };
  lines: ReadonlyArray<{ text: string; goal?: string | null; amountOre: bigint }>;
};

/** Bankgiro numbers are 7 or 8 digits with a Luhn check digit, printed NNN-NNNN or NNNN-NNNN; null if not one. */
export function formatBankgiro(value: string): string | null {
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d{7,8}$/.test(digits) || luhnCheckDigit(digits.slice(0, -1)) !== Number(digits.at(-1))) return null;
  return `${digits.slice(0, -4)}-${digits.slice(-4)}`;
}

/** Which required settings are empty, then which are filled in wrongly: for the invoices page to warn before issuing. */
export function invoiceSettingsProblem(seller: InvoiceSeller): InvoicePdfError | null {
  const missing = requiredInvoiceSettings.filter((key) => !seller[key]?.trim());
  if (missing.length > 0) return new InvoicePdfError("missing_settings", missing);
  if (formatBankgiro(seller.bankgiro ?? "") === null) return new InvoicePdfError("invalid_settings", ["bankgiro"]);
  return null;
}

// The built-in Helvetica speaks WinAnsi (Windows-1252): å ä ö é ü and the Nordic letters are in it. Anything
// else (a Polish ł in a buyer's name, U+2212 minus) would print as garbage, so it is folded to a plain letter.
const WIN_ANSI_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
// Letters with a stroke have no decomposition to fold by.
const STROKED: Record<string, string> = { Ł: "L", ł: "l", Đ: "D", đ: "d", ı: "i", Ħ: "H", ħ: "h" };
export function pdfText(value: string): string {
  let out = "";
  for (const ch of value.replace(/\u2212/g, "-").normalize("NFC")) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.includes(ch)) out += ch;
    else if (ch === "\n") out += ch;
    else out += (STROKED[ch] ?? ch).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]/g, "?");
  }
  return out;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const RIGHT = A4.width - MARGIN;
const CONTENT = RIGHT - MARGIN;
const AMOUNT_WIDTH = 110;
const GOAL_WIDTH = 150;

/** Renders the invoice, or throws InvoicePdfError when a required setting is missing or wrong. */
export async function renderBankInvoicePdf(input: BankInvoicePdfInput): Promise<Buffer> {
  const problem = invoiceSettingsProblem(input.seller);
  if (problem) throw problem;
  const ocr = checkOcr(input.invoice.ocr);
  if (!ocr.ok) throw new RangeError(`invoice ${input.invoice.number} has an OCR reference that is not valid (${ocr.problem})`);
  if (input.lines.length === 0) throw new RangeError(`invoice ${input.invoice.number} has no lines`);

  const t = invoicePdfMessages(input.locale);
  const seller = input.seller as Required<{ [K in keyof InvoiceSeller]: string }>;
  const bankgiro = formatBankgiro(seller.bankgiro) as string;
  const total = input.lines.reduce((sum, line) => sum + line.amountOre, 0n);
  const money = (ore: bigint) => pdfText(formatOre(ore));
  const date = (value: Date | string) => formatDate(value, input.locale);

  // pdfkit is loaded with the first PDF a process makes, not when the server starts: loading it costs
  // about 0.3 CPU-s, paid by every start (a test run starts about 44 servers), and few requests make a PDF.
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    lang: input.locale === "sv" ? "sv-SE" : "en-GB",
    info: { Title: pdfText(`${t.title} ${input.invoice.number}`), Author: pdfText(seller.name), CreationDate: new Date(input.invoice.issueDate) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  // Seller, top left; invoice facts, top right.
  doc.font("Helvetica-Bold").fontSize(16).text(pdfText(seller.name), MARGIN, MARGIN, { width: CONTENT / 2 });
  doc.font("Helvetica").fontSize(9).text(pdfText(seller.address), { width: CONTENT / 2 });
  doc.text(pdfText(`${t.orgNumber}: ${seller.organisationNumber}`));
  if (seller.email) doc.text(pdfText(seller.email));
  const sellerBottom = doc.y;

  const factsX = MARGIN + CONTENT / 2 + 20;
  const factsWidth = RIGHT - factsX;
  doc.font("Helvetica-Bold").fontSize(20).text(pdfText(t.title), factsX, MARGIN, { width: factsWidth, align: "right" });
  doc.moveDown(0.3).fontSize(9);
  const fact = (label: string, value: string) => {
    const y = doc.y;
    doc.font("Helvetica").text(pdfText(label), factsX, y, { width: factsWidth / 2 });
    doc.font("Helvetica-Bold").text(pdfText(value), factsX + factsWidth / 2, y, { width: factsWidth / 2, align: "right" });
  };
  fact(t.invoiceNumber, input.invoice.number);
  fact(t.issueDate, date(input.invoice.issueDate));
  fact(t.dueDate, date(input.invoice.dueDate));
  fact(t.ocr, ocr.reference);

  // Buyer.
  let y = Math.max(sellerBottom, doc.y) + 24;
  doc.font("Helvetica").fontSize(8).fillColor("#555555").text(pdfText(t.billTo.toUpperCase()), MARGIN, y);
  doc.fillColor("#000000").font("Helvetica-Bold").fontSize(11).text(pdfText(input.buyer.name), { width: CONTENT / 2 });
  doc.font("Helvetica").fontSize(9);
  if (input.buyer.address) doc.text(pdfText(input.buyer.address), { width: CONTENT / 2 });
  if (input.buyer.organisationNumber) doc.text(pdfText(`${t.orgNumber}: ${input.buyer.organisationNumber}`));
  if (input.buyer.reference) doc.text(pdfText(`${t.yourReference}: ${input.buyer.reference}`), { width: CONTENT / 2 });

  // Lines.
  y = doc.y + 24;
  const tableHeader = () => {
    doc.font("Helvetica-Bold").fontSize(9);
    doc.text(pdfText(t.description), MARGIN, y, { width: CONTENT - GOAL_WIDTH - AMOUNT_WIDTH });
    doc.text(pdfText(t.goal), RIGHT - GOAL_WIDTH - AMOUNT_WIDTH, y, { width: GOAL_WIDTH });
    doc.text(pdfText(t.amount), RIGHT - AMOUNT_WIDTH, y, { width: AMOUNT_WIDTH, align: "right" });
    y = doc.y + 4;
    doc.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(0.5).stroke();
    y += 6;
  };
  tableHeader();
  doc.font("Helvetica").fontSize(9);
  for (const line of input.lines) {
    const textWidth = CONTENT - GOAL_WIDTH - AMOUNT_WIDTH - 10;
    const height = Math.max(doc.heightOfString(pdfText(line.text), { width: textWidth }), doc.heightOfString(pdfText(line.goal ?? ""), { width: GOAL_WIDTH - 10 }));
    if (y + height > A4.height - MARGIN - 200) {
      doc.addPage();
      y = MARGIN;
      tableHeader();
      doc.font("Helvetica").fontSize(9);
    }
    doc.text(pdfText(line.text), MARGIN, y, { width: textWidth });
    doc.text(pdfText(line.goal ?? ""), RIGHT - GOAL_WIDTH - AMOUNT_WIDTH, y, { width: GOAL_WIDTH - 10 });
    doc.text(money(line.amountOre), RIGHT - AMOUNT_WIDTH, y, { width: AMOUNT_WIDTH, align: "right" });
    y += height + 6;
  }
  doc.moveTo(MARGIN, y).lineTo(RIGHT, y).lineWidth(0.5).stroke();
  y += 8;
  doc.font("Helvetica-Bold").fontSize(11);
  doc.text(pdfText(t.total), MARGIN, y, { width: CONTENT - AMOUNT_WIDTH });
  doc.text(money(total), RIGHT - AMOUNT_WIDTH, y, { width: AMOUNT_WIDTH, align: "right" });

  // The payment box: what the payer types into the bank, large and together.
  y = doc.y + 28;
  const boxHeight = 96;
  doc.rect(MARGIN, y, CONTENT, boxHeight).lineWidth(1.5).stroke();
  const cell = (label: string, value: string, column: number) => {
    const width = CONTENT / 4;
    const x = MARGIN + 12 + column * width;
    doc.font("Helvetica").fontSize(8).text(pdfText(label.toUpperCase()), x, y + 12, { width: width - 12 });
    // Shrink rather than wrap: a long date in English or a 25-digit OCR must stay on one line in its cell.
    let size = column === 1 ? 15 : 13;
    doc.font("Helvetica-Bold");
    while (size > 7 && doc.fontSize(size).widthOfString(pdfText(value)) > width - 14) size -= 0.5;
    doc.text(pdfText(value), x, y + 26, { width: width - 12, lineBreak: false });
  };
  cell(t.bankgiro, bankgiro, 0);
  cell(t.ocr, ocr.reference, 1);
  cell(t.amountToPay, formatOre(total), 2);
  cell(t.dueDate, date(input.invoice.dueDate), 3);
  doc.font("Helvetica").fontSize(10).text(
    pdfText(fill(t.instruction, { bankgiro, ocr: ocr.reference, amount: formatOre(total), due: date(input.invoice.dueDate) })),
    MARGIN + 12,
    y + 62,
    { width: CONTENT - 24 },
  );

  // Footer: the identity once more, where accounts payable look for it.
  const footer = [seller.name, `${t.orgNumber} ${seller.organisationNumber}`, `${t.bankgiro} ${bankgiro}`, seller.email, seller.website].filter(Boolean).join("  ·  ");
  doc.font("Helvetica").fontSize(8).fillColor("#555555").text(pdfText(footer), MARGIN, A4.height - MARGIN - 20, { width: CONTENT, align: "center", lineBreak: false });
  doc.end();
  return done;
}
