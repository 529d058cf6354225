import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, invoiceLines, invoiceNumberSeries, invoices, type Invoice } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { recordAudit } from "~/services/audit/audit.server";
import { enqueueEmailWithAttachments, type EmailAttachment } from "~/services/email/attachments.server";
import { Conflict, Invalid } from "~/services/errors";
import { getCharityBankgiro } from "~/services/settings/charity-bankgiro.server";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { flagOverdueShortfalls } from "~/services/workplace/reconcile.server";
import { invoiceSettingsProblem, renderBankInvoicePdf, type InvoiceSeller } from "./invoice-pdf.server";
import { swedishDate } from "./invoices-input.server";
import { lockInvoice } from "./invoices-payments.server";
import { buildOcr } from "./ocr";
import { issueStripeInvoice } from "./stripe-invoice.server";

/** The one number series for company invoices (a row in invoice_number_series). */
const SERIES = "company_invoices";

/**
 * The next invoice number, taken inside the issuing transaction. `insert … on conflict do update`
 * increments the counter row and locks it until the transaction ends: a second issuer waits, then
 * reads the committed number; a rolled-back issue gives its number back. So the series has no gaps
 * and no duplicates, which a sequence (never rolled back) could not promise.
 */
export async function nextInvoiceNumber(tx: Tx, opts: { named?: boolean } = {}): Promise<bigint> {
  const next = tx
    .insert(invoiceNumberSeries)
    .values({ series: SERIES, lastNumber: 1n })
    .onConflictDoUpdate({ target: invoiceNumberSeries.series, set: { lastNumber: sql`${invoiceNumberSeries.lastNumber} + 1`, updatedAt: new Date() } })
    .returning({ lastNumber: invoiceNumberSeries.lastNumber });
  const [row] = await (opts.named ? next.prepare("next_invoice_number").execute() : next);
  return row.lastNumber;
}

/** The charity as the seller on a bank invoice: its identity from the settings and the bankgiro setting. */
export async function invoiceSeller(db: Db | Tx, opts: { named?: boolean } = {}): Promise<InvoiceSeller> {
  const [identity, bankgiro] = await Promise.all([getCharityIdentity(db, opts), getCharityBankgiro(db, opts)]);
  return { ...identity, bankgiro };
}

/** The invoice's PDF (issued bank invoices only), in the buyer's language. */
export async function renderInvoicePdf(db: Db | Tx, invoice: Invoice, seller?: InvoiceSeller): Promise<EmailAttachment> {
  if (invoice.number === null || invoice.ocrReference === null) throw new Conflict("invoice_not_sent");
  const locale = invoice.locale === "en" ? "en" : "sv";
  const lines = await db
    .select({ text: invoiceLines.text, amountOre: invoiceLines.amountOre, goalSv: goals.titleSv, goalEn: goals.titleEn })
    .from(invoiceLines)
    .leftJoin(goals, eq(goals.id, invoiceLines.goalId))
    .where(eq(invoiceLines.invoiceId, invoice.id))
    .orderBy(asc(invoiceLines.position));
  const content = await renderBankInvoicePdf({
    locale,
    seller: seller ?? (await invoiceSeller(db)),
    buyer: { name: invoice.buyerName, organisationNumber: invoice.buyerOrgNumber, address: invoice.buyerAddress, reference: invoice.buyerReference },
    invoice: { number: invoice.number.toString(), ocr: invoice.ocrReference, issueDate: invoice.issueDate, dueDate: invoice.dueDate },
    lines: lines.map((l) => ({ text: l.text, amountOre: l.amountOre, goal: (locale === "en" ? l.goalEn : l.goalSv) ?? null })),
  });
  return { filename: `${locale === "en" ? "invoice" : "faktura"}-${invoice.number}.pdf`, contentType: "application/pdf", content };
}

/** An issued invoice's PDF by id, for the email worker (a payroll invoice's PDF is made when it is sent). */
export async function invoicePdfById(db: Db | Tx, invoiceId: number): Promise<EmailAttachment> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice) throw new Conflict("invoice_not_sent");
  return renderInvoicePdf(db, invoice);
}

export function invoiceEmailProps(invoice: Pick<Invoice, "number" | "buyerName" | "totalOre" | "paidOre" | "carriedOre" | "dueDate" | "ocrReference" | "buyerReference">, seller: InvoiceSeller) {
  return {
    number: String(invoice.number),
    buyerName: invoice.buyerName,
    totalOre: invoice.totalOre.toString(),
    outstandingOre: (invoice.totalOre > invoice.paidOre + invoice.carriedOre ? invoice.totalOre - invoice.paidOre - invoice.carriedOre : 0n).toString(),
    dueDate: invoice.dueDate,
    ocr: invoice.ocrReference ?? "",
    bankgiro: seller.bankgiro ?? "",
    reference: invoice.buyerReference,
    sellerName: seller.name ?? "",
  };
}

/**
 * Issues a draft: the next number from the series, its OCR reference (ocr.ts), status sent. A bank
 * invoice is rendered as a PDF and emailed to the buyer's invoice address through the outbox, with
 * the PDF attached, all in one transaction: an invoice is never numbered without being sent, and a
 * failure (the charity's settings missing) leaves the draft and the series as they were. Refused
 * before anything is written when the bankgiro number or another setting the PDF needs is missing.
 * A draft with delivery 'stripe' is issued by issueStripeInvoice instead, so staff have one action.
 */
export async function issueInvoice(ctx: ServiceContext, invoiceId: number): Promise<Invoice> {
  const actor = requireStaffActor(ctx);
  const issued = await ctx.db.transaction(async (tx) => {
    const draft = await lockInvoice(tx, invoiceId);
    if (draft.status !== "draft") throw new Conflict("invoice_not_draft");
    // Stripe Invoicing is numbered and sent by the Stripe invoice module, which asks Stripe outside
    // any transaction: hand over once this lock is released.
    if (draft.delivery === "stripe") return null;
    const seller = await invoiceSeller(tx);
    const problem = invoiceSettingsProblem(seller);
    if (problem) throw problem;
    const invoice = await assignNumber(tx, draft);
    const pdf = await renderInvoicePdf(tx, invoice, seller);
    await enqueueEmailWithAttachments(
      tx,
      { to: invoice.buyerEmail, template: "company-invoice", locale: invoice.locale === "en" ? "en" : "sv", props: invoiceEmailProps(invoice, seller), dedupeKey: `company-invoice:${invoice.id}` },
      [pdf],
    );
    await recordAudit(tx, { actorPersonId: actor.personId, action: "invoice_issued", organisationId: invoice.organisationId, details: { invoiceId: invoice.id, number: String(invoice.number) } });
    return invoice;
  });
  if (issued) return issued;
  await issueStripeInvoice(ctx, invoiceId);
  const [invoice] = await ctx.db.select().from(invoices).where(eq(invoices.id, invoiceId));
  return invoice;
}

/**
 * Number, OCR reference and status `sent` for a locked draft, inside the caller's transaction (also
 * for the Stripe invoice delivery, which sends through Stripe instead of the outbox).
 */
export async function assignNumber(tx: Tx, draft: Invoice, now = new Date()): Promise<Invoice> {
  if (draft.status !== "draft") throw new Conflict("invoice_not_draft");
  const [invoice] = await tx
    .update(invoices)
    .set({ ...(await issuedFields(tx, now)), updatedAt: now })
    .where(eq(invoices.id, draft.id))
    .returning();
  return invoice;
}

/**
 * What issuing sets (the next number, its OCR reference, status `sent`), for a caller that inserts an
 * invoice already issued in one statement (a payroll run's invoice: one round trip fewer per employer).
 */
export async function issuedFields(tx: Tx, now: Date, opts: { named?: boolean } = {}) {
  const number = await nextInvoiceNumber(tx, opts);
  return { number, ocrReference: buildOcr(number), status: "sent" as const, sentAt: now };
}

/**
 * Sent (or partly paid) invoices whose due date has passed become `overdue`. Run by the list and by
 * the daily reminder job; idempotent. Returns how many changed.
 */
export async function refreshOverdueInvoices(db: Db | Tx, now = new Date()): Promise<number> {
  const rows = await db
    .update(invoices)
    .set({ status: "overdue", updatedAt: now })
    .where(and(inArray(invoices.status, ["sent", "partly_paid"]), lt(invoices.dueDate, swedishDate(now))))
    .returning({ id: invoices.id });
  // Payroll invoices under `ask_staff` that fall due paid only in part are flagged for staff now (issue 13).
  await flagOverdueShortfalls(db, rows.map((r) => r.id));
  return rows.length;
}

/**
 * Staff send a reminder for an overdue invoice: an email to the invoice address with what is left to
 * pay (and the PDF again, for a bank invoice). At most one per invoice per day (the outbox's dedupe
 * key), so a double click or a job running twice sends one. `queued` is false when today's was
 * already sent.
 */
export async function sendInvoiceReminder(ctx: ServiceContext, invoiceId: number, now = new Date()): Promise<{ queued: boolean; invoice: Invoice }> {
  if (ctx.actor.kind !== "system") requireStaffActor(ctx);
  return ctx.db.transaction(async (tx) => {
    await refreshOverdueInvoices(tx, now);
    const invoice = await lockInvoice(tx, invoiceId);
    if (invoice.status !== "overdue") throw new Conflict("not_overdue");
    return remind(tx, invoice, now);
  });
}

async function remind(tx: Tx, invoice: Invoice, now: Date): Promise<{ queued: boolean; invoice: Invoice }> {
  // Stripe sends its own reminders for the invoices it delivers; ours say where to pay by bankgiro.
  if (invoice.delivery !== "bank") throw new Conflict("reminder_bank_only");
  const seller = await invoiceSeller(tx);
  const problem = invoiceSettingsProblem(seller);
  if (problem) throw problem;
  const attachments = [await renderInvoicePdf(tx, invoice, seller)];
  const day = swedishDate(now);
  const id = await enqueueEmailWithAttachments(
    tx,
    {
      to: invoice.buyerEmail,
      template: "company-invoice-reminder",
      locale: invoice.locale === "en" ? "en" : "sv",
      props: invoiceEmailProps(invoice, seller),
      dedupeKey: `company-invoice-reminder:${invoice.id}:${day}`,
    },
    attachments,
  );
  if (id === null) return { queued: false, invoice };
  const [updated] = await tx.update(invoices).set({ lastReminderAt: now, updatedAt: now }).where(eq(invoices.id, invoice.id)).returning();
  return { queued: true, invoice: updated };
}

/**
 * The daily job: every overdue bank invoice not reminded in the last week gets a reminder (bank invoices only while the charity's
 * invoice settings are complete: without them nothing can say where to pay). The system or staff.
 */
export async function sendOverdueReminders(ctx: ServiceContext, now = new Date()): Promise<{ reminded: number }> {
  if (ctx.actor.kind !== "system") requireStaffActor(ctx);
  await refreshOverdueInvoices(ctx.db, now);
  const due = await ctx.db
    .select({ id: invoices.id })
    .from(invoices)
    // A week between automatic reminders: a buyer is not written to every day (staff can send one any day).
    .where(and(eq(invoices.status, "overdue"), eq(invoices.delivery, "bank"), or(isNull(invoices.lastReminderAt), lt(invoices.lastReminderAt, new Date(now.getTime() - 7 * 86_400_000)))))
    .orderBy(asc(invoices.id));
  let reminded = 0;
  for (const { id } of due) {
    const done = await ctx.db
      .transaction(async (tx) => {
        const invoice = await lockInvoice(tx, id);
        if (invoice.status !== "overdue") return false;
        return (await remind(tx, invoice, now)).queued;
      })
      // Settings missing: no reminder can say where to pay; staff see the warning on the invoices page.
      .catch((error) => {
        if (error instanceof Invalid) return false;
        throw error;
      });
    if (done) reminded++;
  }
  return { reminded };
}
