import { channelLabels } from "~/i18n/channels";
import { impactMethodLabels } from "~/i18n/impact";
import { fill, type Locale } from "~/i18n/messages";
import { reportsMessages } from "~/i18n/reports";
import { type ServiceContext } from "~/services/context";
import { pdfText } from "~/services/invoices/invoice-pdf.server";
import { formatOre } from "~/utils/money";
import { effektDraft, formatShare, paragraphs, periodText } from "./effekt";
import { yearlyReport, type YearlyReport } from "./yearly.server";

/**
 * The yearly report as an A4 PDF (issue 14 item 4): the same sections as the page, from the same
 * `yearlyReport`, so the two cannot disagree. Staff only (yearlyReport checks).
 */

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;

export function reportScope(report: YearlyReport, locale: Locale): string {
  return report.goal ? `#${report.goal.number} ${report.goal.title}` : reportsMessages(locale).allGoals;
}

export async function yearlyReportPdf(ctx: ServiceContext, input: { year: unknown; goalSlug?: string | null }): Promise<{ filename: string; content: Uint8Array }> {
  const report = await yearlyReport(ctx, input);
  const content = await renderReportPdf(report, ctx.locale);
  const prefix = ctx.locale === "en" ? "yearly-report" : "arsrapport";
  return { filename: `${prefix}-${report.year}${report.goal ? `-${report.goal.slug}` : ""}.pdf`, content };
}

export async function renderReportPdf(report: YearlyReport, locale: Locale): Promise<Uint8Array> {
  const t = reportsMessages(locale);
  const channels = channelLabels[locale] as Record<string, string>;
  const methods = impactMethodLabels(locale);
  const title = fill(t.reportTitle, { year: report.year, scope: reportScope(report, locale) });
  // Loaded with the first PDF, not at start (renderBankInvoicePdf says why).
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, lang: locale === "en" ? "en-GB" : "sv-SE", info: { Title: pdfText(title) } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });

  const heading = (text: string) => doc.moveDown(1).font("Helvetica-Bold").fontSize(13).text(pdfText(text), MARGIN, doc.y, { width: WIDTH }).moveDown(0.3);
  const para = (text: string, opts: { bold?: boolean; small?: boolean } = {}) =>
    doc
      .font(opts.bold ? "Helvetica-Bold" : "Helvetica")
      .fontSize(opts.small ? 8 : 10)
      .text(pdfText(text), MARGIN, doc.y, { width: WIDTH });
  /** Two columns: a label and a right-aligned value. */
  const row = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(10).text(pdfText(label), MARGIN, y, { width: WIDTH * 0.68 });
    const bottom = doc.y;
    doc.text(pdfText(value), MARGIN + WIDTH * 0.7, y, { width: WIDTH * 0.3, align: "right" });
    doc.y = Math.max(doc.y, bottom) + 2;
  };

  doc.font("Helvetica-Bold").fontSize(18).text(pdfText(title), { width: WIDTH });
  para(t.reportLead, { small: true });

  heading(t.moneyHeading);
  if (report.money.length === 0) para(t.noMoney);
  for (const m of report.money) row(channels[`channel_${m.channel}`] ?? m.channel, formatOre(m.amountOre));
  if (report.money.length) row(t.total, formatOre(report.totalOre), true);
  if (!report.goal && report.moneyPerGoal.length) {
    heading(t.moneyGoalHeading);
    for (const g of report.moneyPerGoal) row(`#${g.goalNumber} ${g.title}`, formatOre(g.amountOre));
  }

  heading(t.partnersHeading);
  if (report.partners.length === 0) para(t.noPartners);
  for (const p of report.partners) row(`${p.organisation} (#${p.goalNumber}, ${p.tier})`, formatOre(p.paidOre));

  heading(t.collectionsHeading);
  if (report.collections.length === 0) para(t.noCollections);
  for (const c of report.collections) row(`${c.title} (#${c.goalNumber}${c.hidden ? `, ${t.hidden}` : ""})`, formatOre(c.amountOre));

  heading(t.impactHeading);
  if (report.impact.length === 0) para(t.noImpact);
  for (const f of report.impact) {
    row(`${f.demo ? "[demo] " : ""}${f.label} (${methods[f.method]}, ${periodText(f.periodStart, f.periodEnd, locale)})`, `${f.value} ${f.unit}`);
  }

  heading(t.shareHeading);
  para(t.shareLead, { small: true });
  if (report.goal) para(t.shareScope, { small: true });
  doc.moveDown(0.3);
  if (!report.costs) para(t.shareMissing);
  else {
    row(t.sharePurpose, formatOre(report.costs.purposeOre));
    row(t.shareFundraising, formatOre(report.costs.fundraisingOre));
    row(t.shareAdministration, formatOre(report.costs.administrationOre));
    row(t.shareTotal, formatOre(report.costs.totalOre), true);
    if (report.costs.purposeBasisPoints === null) para(t.shareZero);
    else {
      para(fill(t.shareValue, { share: formatShare(report.costs.purposeBasisPoints, locale) }), { bold: true });
      para(report.costs.meetsRule ? t.shareMeets : t.shareFails);
    }
    if (report.costs.note) para(report.costs.note, { small: true });
    para(t.shareCaveat, { small: true });
  }

  doc.addPage();
  doc.font("Helvetica-Bold").fontSize(16).text(pdfText(t.effektHeading), { width: WIDTH });
  para(t.effektLead, { small: true });
  for (const section of effektDraft(report, locale)) {
    heading(section.title);
    if (section.fromData.length) {
      para(t.fromData, { bold: true });
      for (const line of section.fromData) para(`• ${line}`);
    }
    doc.moveDown(0.2);
    if (section.staffText) {
      para(t.staffText, { bold: true });
      for (const p of paragraphs(section.staffText)) para(p).moveDown(0.3);
    } else para(`${t.forStaff}: ${section.forStaff}`, { small: true });
  }

  doc.end();
  return done;
}
