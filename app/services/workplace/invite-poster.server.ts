/**
 * The join link's poster (issue 13 item 2): an A4 PDF for the break room or the intranet with the
 * employer's name, the goals offered, a QR code to /workplace/<code> and the address in writing.
 * Public like the link itself: whoever has the code may print it; a rotated or expired code has none.
 */
import QRCode from "qrcode";
import type { Db } from "~db/client.server";
import { fill, type Locale } from "~/i18n/messages";
import { workplacePosterMessages } from "~/i18n/workplace-programme";
import { pdfText } from "~/services/invoices/invoice-pdf.server";
import { formatDate } from "~/utils/dates";
import { programmeByCode, type InviteRefusal } from "./invite.server";

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const CONTENT = A4.width - 2 * MARGIN;

export async function invitePosterPdf(
  db: Db,
  code: string,
  opts: { locale: Locale; appUrl: string; now?: Date },
): Promise<{ ok: true; pdf: Uint8Array; url: string } | { ok: false; reason: InviteRefusal }> {
  const found = await programmeByCode(db, code, opts.now);
  if (!found.ok) return found;
  const t = workplacePosterMessages(opts.locale);
  const en = opts.locale === "en";
  const url = `${opts.appUrl}/workplace/${found.programme.invite!.code}`;
  // A large code with medium error correction still scans from across a room when printed at 8 cm.
  const qr = await QRCode.toBuffer(url, { type: "png", margin: 1, width: 600, errorCorrectionLevel: "M" });

  // Loaded with the first PDF, not at start (renderBankInvoicePdf says why).
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, lang: en ? "en-GB" : "sv-SE", info: { Title: pdfText(`${t.heading} – ${found.organisationName}`) } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });

  doc.fillColor("#1f4e79").font("Helvetica-Bold").fontSize(40).text(pdfText(t.heading), MARGIN, MARGIN, { width: CONTENT, align: "center" });
  doc.moveDown(0.5).fillColor("#000000").font("Helvetica").fontSize(15).text(pdfText(fill(t.intro, { company: found.organisationName })), { width: CONTENT, align: "center" });
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).text(pdfText(t.goalsIntro), { width: CONTENT, align: "center" });
  doc.font("Helvetica").fontSize(13);
  for (const g of found.goals) doc.text(pdfText(`#${g.number} ${en ? g.titleEn : g.titleSv}`), { width: CONTENT, align: "center" });
  const qrSize = 240;
  const qrTop = doc.y + 20;
  doc.image(qr, (A4.width - qrSize) / 2, qrTop, { width: qrSize, height: qrSize });
  doc.y = qrTop + qrSize + 12;
  doc.font("Helvetica-Bold").fontSize(16).text(pdfText(url), MARGIN, doc.y, { width: CONTENT, align: "center", link: url });
  doc.moveDown(0.8).font("Helvetica").fontSize(12).text(pdfText(t.howTo), { width: CONTENT, align: "center" });
  doc.moveDown(0.5).text(pdfText(t.privacy), { width: CONTENT, align: "center" });
  const expiresOn = found.programme.invite!.expiresOn;
  if (expiresOn) doc.moveDown(0.5).text(pdfText(fill(t.validUntil, { date: formatDate(expiresOn, opts.locale) })), { width: CONTENT, align: "center" });
  doc.end();
  return { ok: true, pdf: await done, url };
}
