/**
 * The partner certificate as a PDF (A4, the reader's language), from a certificate's frozen facts only, so
 * the PDF and /verify/<code> can never disagree. The charity's identity is what staff entered in the
 * settings; a setting that is missing is printed as missing, never filled in.
 */
import QRCode from "qrcode";
import type { CertificateFacts } from "~db/schema";
import { fill, type Locale } from "~/i18n/messages";
import { certificateMessages } from "~/i18n/partner-dashboard";
import { certificateImpactLine } from "~/services/impact/impact-lines";
import { impactMessages } from "~/i18n/impact";
import { sdgName } from "~/i18n/sdgs";
import { pdfText } from "~/services/invoices/invoice-pdf.server";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 60;
const CONTENT = A4.width - 2 * MARGIN;

export interface CertificatePdfInput {
  locale: Locale;
  facts: CertificateFacts;
  code: string;
  issuedAt: Date;
  verifyUrl: string;
}

/** A facts-only description of the period ("1 januari 2026 – 31 december 2026"), or "not agreed". */
export function certificatePeriod(facts: CertificateFacts, locale: Locale): string {
  const t = certificateMessages(locale);
  if (!facts.startsOn && !facts.endsOn) return t.periodOpen;
  const date = (d: string | null) => (d ? formatDate(d, locale) : "…");
  return `${date(facts.startsOn)} – ${date(facts.endsOn)}`;
}

/** The goal's impact figures the certificate froze (issue 14), each with how it was obtained; at most 5 so the foot stays clear. */
function printImpact(doc: PDFKit.PDFDocument, facts: CertificateFacts, locale: Locale) {
  const figures = (facts.impact ?? []).slice(0, 5);
  if (figures.length === 0) return;
  const t = impactMessages(locale);
  doc.moveDown(1).font("Helvetica-Bold").fontSize(10).text(pdfText(t.certificateHeading), MARGIN, doc.y, { width: CONTENT });
  doc.font("Helvetica").fontSize(10);
  for (const f of figures) doc.text(pdfText(certificateImpactLine(f, locale)), { width: CONTENT });
}

export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Uint8Array> {
  const { facts, locale } = input;
  const t = certificateMessages(locale);
  const en = locale === "en";
  const tierName = en ? facts.tier.nameEn : facts.tier.nameSv;
  const goalTitle = en ? facts.goal.titleEn : facts.goal.titleSv;
  const charityName = facts.charity.name || t.missingSetting;
  const qr = await QRCode.toBuffer(input.verifyUrl, { type: "png", margin: 1, width: 240, errorCorrectionLevel: "M" });

  // Loaded with the first PDF, not at start (renderBankInvoicePdf says why).
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    lang: en ? "en-GB" : "sv-SE",
    info: { Title: pdfText(`${t.title} ${facts.year} – ${facts.company}`), Author: pdfText(charityName), CreationDate: input.issuedAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });

  doc.rect(MARGIN / 2, MARGIN / 2, A4.width - MARGIN, A4.height - MARGIN).lineWidth(2).stroke("#1f4e79");
  doc.fillColor("#1f4e79").font("Helvetica-Bold").fontSize(28).text(pdfText(`${t.title} ${facts.year}`), MARGIN, MARGIN + 10, { width: CONTENT, align: "center" });
  doc.fillColor("#000000").moveDown(1).font("Helvetica").fontSize(12).text(pdfText(fill(t.intro, { charity: charityName })), { width: CONTENT, align: "center" });
  doc.moveDown(0.5).font("Helvetica-Bold").fontSize(22).text(pdfText(facts.company), { width: CONTENT, align: "center" });
  doc.moveDown(0.5).font("Helvetica").fontSize(12).text(pdfText(fill(t.isPartner, { tier: tierName.toLowerCase() })), { width: CONTENT, align: "center" });
  doc.moveDown(0.3).font("Helvetica-Bold").fontSize(16).text(pdfText(`#${facts.goal.number} ${goalTitle}`), { width: CONTENT, align: "center" });

  doc.moveDown(1.5).fontSize(10);
  const fact = (label: string, value: string) => {
    const y = doc.y;
    doc.font("Helvetica").text(pdfText(label), MARGIN, y, { width: CONTENT * 0.4 });
    const labelBottom = doc.y;
    doc.font("Helvetica-Bold").text(pdfText(value), MARGIN + CONTENT * 0.4, y, { width: CONTENT * 0.6 });
    doc.y = Math.max(doc.y, labelBottom) + 4;
  };
  fact(t.company, facts.company);
  if (facts.orgNumber) fact(t.orgNumber, facts.orgNumber);
  fact(t.goal, `#${facts.goal.number} ${goalTitle}`);
  fact(t.tier, tierName);
  fact(t.year, String(facts.year));
  fact(t.amount, formatOre(BigInt(facts.amountOre)));
  fact(t.period, certificatePeriod(facts, locale));
  doc.font("Helvetica").fontSize(8).fillColor("#444444").text(pdfText(t.amountNote), MARGIN, doc.y, { width: CONTENT });
  doc.fillColor("#000000");

  doc.moveDown(1).font("Helvetica-Bold").fontSize(10).text(pdfText(t.sdgs), MARGIN, doc.y, { width: CONTENT });
  doc.font("Helvetica").fontSize(10);
  if (facts.goal.sdgs.length === 0) doc.text(pdfText(t.noSdgs), { width: CONTENT });
  for (const n of facts.goal.sdgs) doc.text(pdfText(`${n}. ${sdgName(n, locale)}`), { width: CONTENT });
  printImpact(doc, facts, locale);

  doc.moveDown(1).font("Helvetica-Bold").text(pdfText(t.issuedBy), MARGIN, doc.y, { width: CONTENT });
  doc.font("Helvetica");
  doc.text(pdfText(charityName), { width: CONTENT });
  doc.text(pdfText(`${t.charityOrgNumber}: ${facts.charity.organisationNumber || t.missingSetting}`), { width: CONTENT });
  if (facts.charity.address) doc.text(pdfText(facts.charity.address), { width: CONTENT });
  if (facts.charity.website) doc.text(pdfText(facts.charity.website), { width: CONTENT });
  doc.text(pdfText(`${t.issued}: ${formatDate(input.issuedAt, locale)}`), { width: CONTENT });

  // The check, at the foot: the address in full (it must work typed from paper) and as a QR code.
  const footY = A4.height - MARGIN - 110;
  doc.image(qr, MARGIN, footY, { width: 100, height: 100 });
  doc.font("Helvetica-Bold").fontSize(10).text(pdfText(t.verify), MARGIN + 115, footY + 10, { width: CONTENT - 115 });
  doc.font("Helvetica").fontSize(9).text(pdfText(t.verifyText), { width: CONTENT - 115 });
  doc.font("Helvetica").fontSize(9).text(pdfText(input.verifyUrl), { width: CONTENT - 115, link: input.verifyUrl, underline: true });
  doc.text(pdfText(`${t.code}: ${input.code}`), { width: CONTENT - 115 });

  doc.end();
  return done;
}
