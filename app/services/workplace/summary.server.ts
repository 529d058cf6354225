import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { payrollRunLines, payrollRuns, people, workplacePledges } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { fill } from "~/i18n/messages";
import { monthName, workplacePledgeMessages } from "~/i18n/workplace-pledge";
import { requirePerson, requireSystem, type ServiceContext } from "~/services/context";
import { enqueueEmail } from "~/services/email/outbox.server";
import { enqueueJob, registerJobHandler } from "~/services/jobs/jobs.server";
import { pdfText } from "~/services/invoices/invoice-pdf.server";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { env } from "~/utils/env.server";
import { formatOre } from "~/utils/money";
import { deductedLines, type DeductedLine } from "./pledge-read.server";
import { loadProgramme } from "./pledge-rules.server";

/**
 * The employee's yearly summary of workplace giving (issue 13 item 4): payroll months of the year the
 * employer confirmed as deducted, per month and per goal, as a page, a PDF and an email in January.
 * For the employee's own records: it is not a tax statement (the charity reports gifts to
 * Skatteverket itself when that applies, research/domain.md B4).
 */

export interface YearSummary {
  year: number;
  name: string | null;
  /** Öre as strings (loader data is JSON). */
  totalOre: string;
  paidOre: string;
  byGoal: { goalId: number; goalNumber: number; title: string; amountOre: string }[];
  months: (DeductedLine & { organisationName: string })[];
}

async function summaryFor(db: Db, personId: number, year: number, locale: Locale): Promise<YearSummary> {
  const [person] = await db.select({ name: people.name }).from(people).where(eq(people.id, personId));
  const pledges = await db.select({ id: workplacePledges.id, programmeId: workplacePledges.programmeId }).from(workplacePledges).where(eq(workplacePledges.personId, personId));
  const lines = await deductedLines(
    db,
    pledges.map((p) => p.id),
    locale,
    { from: `${year}-01-01`, to: `${year}-12-01` },
  );
  const months: YearSummary["months"] = [];
  for (const pledge of pledges) {
    const programme = await loadProgramme(db, pledge.programmeId);
    for (const line of lines.get(pledge.id) ?? []) months.push({ ...line, organisationName: programme?.organisationName ?? "" });
  }
  months.sort((a, b) => (a.month === b.month ? a.goalNumber - b.goalNumber : a.month < b.month ? -1 : 1));
  const byGoal = new Map<number, { goalId: number; goalNumber: number; title: string; amount: bigint }>();
  let total = 0n;
  let paid = 0n;
  for (const m of months) {
    const amount = BigInt(m.amountOre);
    total += amount;
    if (m.paid) paid += amount;
    const g = byGoal.get(m.goalId) ?? { goalId: m.goalId, goalNumber: m.goalNumber, title: m.goalTitle, amount: 0n };
    g.amount += amount;
    byGoal.set(m.goalId, g);
  }
  return {
    year,
    name: person?.name ?? null,
    totalOre: total.toString(),
    paidOre: paid.toString(),
    byGoal: [...byGoal.values()].sort((a, b) => a.goalNumber - b.goalNumber).map((g) => ({ goalId: g.goalId, goalNumber: g.goalNumber, title: g.title, amountOre: g.amount.toString() })),
    months,
  };
}

/** The signed-in person's own summary for `year`; nobody else's can be asked for. */
export async function myWorkplaceSummary(ctx: ServiceContext, year: number): Promise<YearSummary> {
  const person = requirePerson(ctx);
  return summaryFor(ctx.db, person.personId, year, ctx.locale);
}

/** The same summary as an A4 PDF in the reader's language. */
export async function myWorkplaceSummaryPdf(ctx: ServiceContext, year: number): Promise<Buffer> {
  const summary = await myWorkplaceSummary(ctx, year);
  const identity = await getCharityIdentity(ctx.db);
  const t = workplacePledgeMessages(ctx.locale);
  // Loaded with the first PDF, not at start (renderBankInvoicePdf says why).
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ size: "A4", margin: 50, lang: ctx.locale === "sv" ? "sv-SE" : "en-GB", info: { Title: pdfText(fill(t.summaryTitle, { year })) } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const left = 50;
  const amountX = 400;
  doc.font("Helvetica-Bold").fontSize(18).text(pdfText(fill(t.summaryTitle, { year })));
  doc.font("Helvetica").fontSize(10).moveDown(0.3);
  if (summary.name) doc.text(pdfText(summary.name));
  doc.text(pdfText(fill(t.summaryLead, { year }))).moveDown();
  if (!summary.months.length) doc.text(pdfText(fill(t.summaryEmpty, { year })));
  else {
    doc.font("Helvetica-Bold").text(pdfText(t.perGoal));
    doc.font("Helvetica");
    for (const g of summary.byGoal) {
      const y = doc.y;
      doc.text(pdfText(g.title), left, y, { width: amountX - left - 10 });
      doc.text(pdfText(formatOre(g.amountOre)), amountX, y, { width: 145, align: "right" });
    }
    const y = doc.y + 4;
    doc.font("Helvetica-Bold").text(pdfText(fill(t.summaryTotal, { year })), left, y, { width: amountX - left - 10 });
    doc.text(pdfText(formatOre(summary.totalOre)), amountX, y, { width: 145, align: "right" });
    doc.moveDown().font("Helvetica-Bold").text(pdfText(t.history), left);
    doc.font("Helvetica").fontSize(9);
    for (const m of summary.months) {
      if (doc.y > 760) doc.addPage();
      const row = doc.y;
      doc.text(pdfText(`${monthName(m.month, ctx.locale)} · ${m.organisationName}`), left, row, { width: 190 });
      doc.text(pdfText(m.goalTitle), 245, row, { width: 150 });
      doc.text(pdfText(formatOre(m.amountOre)), amountX, row, { width: 145, align: "right" });
    }
  }
  doc.moveDown(2).fontSize(8).fillColor("#555555").text(pdfText([identity.name, identity.organisationNumber, identity.website].filter(Boolean).join(" · ")), left);
  doc.end();
  return done;
}

export const WORKPLACE_SUMMARY_JOB = "workplace-summary-january";

/**
 * The January run: each person with deducted months in `year` gets the summary email once (the
 * dedupe key per person and year makes a second run, or a second instance, a no-op).
 */
export async function sendWorkplaceSummaries(ctx: ServiceContext, year: number): Promise<number> {
  requireSystem(ctx);
  const rows = await ctx.db
    .selectDistinct({ personId: workplacePledges.personId, email: people.email })
    .from(payrollRunLines)
    .innerJoin(payrollRuns, eq(payrollRuns.id, payrollRunLines.runId))
    .innerJoin(workplacePledges, eq(workplacePledges.id, payrollRunLines.pledgeId))
    .innerJoin(people, eq(people.id, workplacePledges.personId))
    .where(and(eq(payrollRunLines.kind, "employee"), isNotNull(payrollRuns.confirmedAt), inArray(payrollRuns.month, months(year))))
    .orderBy(asc(workplacePledges.personId));
  let sent = 0;
  for (const row of rows) {
    const summary = await summaryFor(ctx.db, row.personId, year, ctx.locale);
    if (summary.totalOre === "0") continue;
    await enqueueEmail(ctx.db, {
      to: row.email,
      template: "workplace-summary",
      locale: ctx.locale,
      props: { name: summary.name, year, totalOre: summary.totalOre, goals: summary.byGoal.map((g) => ({ title: g.title, amountOre: g.amountOre })), summaryUrl: `${env().appUrl}/workplace/summary/${year}` },
      dedupeKey: `workplace-summary:${year}:${row.personId}`,
    });
    sent++;
  }
  return sent;
}

function months(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}-01`);
}

/**
 * The next January run after `after`: 10 January 06:00 UTC (the employer has confirmed December's
 * list by then as a rule; a later confirmation is still on the page and in the PDF). Key per year.
 */
export function nextJanuaryRun(after: Date): { runAt: Date; dedupeKey: string } {
  let runAt = new Date(Date.UTC(after.getUTCFullYear(), 0, 10, 6));
  if (runAt.getTime() <= after.getTime()) runAt = new Date(Date.UTC(after.getUTCFullYear() + 1, 0, 10, 6));
  return { runAt, dedupeKey: `yearly:${runAt.getUTCFullYear()}` };
}

/** Registers the January summary (the one job mechanism, docs/decisions/0005) and queues its first run. */
export async function registerWorkplaceSummaryJobs(db: Db, clock: () => Date = () => new Date()): Promise<void> {
  registerJobHandler(WORKPLACE_SUMMARY_JOB, async ({ ctx, job }) => {
    // The run at 10 January 2027 sums 2026: the year before the one it is due in.
    await sendWorkplaceSummaries(ctx, job.runAt.getUTCFullYear() - 1);
    return { next: { kind: WORKPLACE_SUMMARY_JOB, ...nextJanuaryRun(clock()) } };
  });
  await enqueueJob(db, { kind: WORKPLACE_SUMMARY_JOB, ...nextJanuaryRun(clock()) });
}
