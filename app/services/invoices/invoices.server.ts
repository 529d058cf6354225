import { eq, inArray } from "drizzle-orm";
import { goals, invoiceLines, invoices, organisations, type Invoice } from "~db/schema";
import { authorOf, personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { recordAudit } from "~/services/audit/audit.server";
import { Conflict, Invalid, ServiceError } from "~/services/errors";
import { parseDraft, parsePaymentForm, swedishDate, type DraftInput, type PaymentFormInput } from "./invoices-input.server";
import { lockInvoice, registerInvoicePayment, reverseInvoicePayments, type RegisteredInvoicePayment } from "./invoices-payments.server";
import { releaseCarried } from "~/services/workplace/reconcile-shortfall.server";

/**
 * Company invoices (issue 9 item 3): staff make a draft for an organisation, issue it (number from the
 * gap-free series, OCR reference, the PDF emailed through the outbox), record money received, void an
 * unpaid one or credit a paid one. Every function takes the ServiceContext first and checks the actor
 * itself: staff only, except reading, where a contact of the organisation sees its own invoices
 * (invoices-read.server.ts). Money goes to the ledger only through the payments core
 * (invoices-payments.server.ts). Docs: docs/invoices.md.
 */

export { issueInvoice, refreshOverdueInvoices, renderInvoicePdf, sendInvoiceReminder, sendOverdueReminders, assignNumber, nextInvoiceNumber, invoiceSeller } from "./invoices-send.server";
export { registerInvoicePayment, openInvoicesForMatching, reverseInvoicePayments, lockInvoice, shareOverLines, type InvoicePaymentFacts, type RegisteredInvoicePayment } from "./invoices-payments.server";
export { getInvoice, listInvoices, invoiceFormOptions, invoicePdfFor, type InvoiceFilters } from "./invoices-read.server";
export type { DraftInput, PaymentFormInput } from "./invoices-input.server";

/**
 * A draft with its lines. The buyer's details are what staff typed (the form starts from the
 * organisation's); the total is the sum of the lines (a total typed to check it must match). Every
 * field is checked before anything is written.
 */
export async function createInvoiceDraft(ctx: ServiceContext, input: DraftInput): Promise<Invoice> {
  const actor = requireStaffActor(ctx);
  const draft = parseDraft(input);
  return ctx.db.transaction(async (tx) => {
    const [organisation] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, draft.organisationId));
    const errors: Record<string, string> = {};
    if (!organisation) errors.organisationId = "unknown_organisation";
    const goalIds = [...new Set(draft.lines.map((l) => l.goalId).filter((id): id is number => id !== null))];
    const known = new Set(goalIds.length ? (await tx.select({ id: goals.id }).from(goals).where(inArray(goals.id, goalIds))).map((g) => g.id) : []);
    draft.lines.forEach((line, i) => {
      if (line.goalId !== null && !known.has(line.goalId)) errors[`lines[${i}].goal`] = "unknown_goal";
    });
    if (Object.keys(errors).length) throw new Invalid("invalid_invoice", errors);
    const [invoice] = await tx
      .insert(invoices)
      .values({
        organisationId: draft.organisationId,
        issueDate: draft.issueDate,
        dueDate: draft.dueDate,
        buyerName: draft.buyerName,
        buyerOrgNumber: draft.buyerOrgNumber,
        buyerAddress: draft.buyerAddress,
        buyerEmail: draft.buyerEmail,
        buyerReference: draft.buyerReference,
        locale: draft.locale,
        delivery: draft.delivery,
        channel: draft.channel,
        totalOre: draft.totalOre,
        createdBy: actor.personId,
      })
      .returning();
    await tx.insert(invoiceLines).values(draft.lines.map((line, i) => ({ invoiceId: invoice.id, position: i + 1, text: line.text, amountOre: line.amountOre, goalId: line.goalId })));
    return invoice;
  });
}

/** A refusal shown next to the amount field (the payment form's main field), with the status code. */
function refusedPayment(status: 409, code: string): ServiceError {
  return new ServiceError(status, code, { amount: code });
}

/**
 * Staff record money that reached the bank account for an invoice: the day it arrived, the amount,
 * the bank's reference (and the OCR reference on the payment, which must be this invoice's). Less
 * than what is left makes it partly paid, more is booked and flagged as an overpayment (see
 * registerInvoicePayment). A draft, void or credited invoice is refused, nothing written.
 */
export async function markInvoicePaid(ctx: ServiceContext, invoiceId: number, input: PaymentFormInput, now = new Date()): Promise<RegisteredInvoicePayment> {
  const actor = requireStaffActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (invoice.status === "draft") throw refusedPayment(409, "invoice_not_sent");
    if (invoice.status === "void") throw refusedPayment(409, "invoice_void");
    if (invoice.status === "credited") throw refusedPayment(409, "invoice_credited");
    const payment = parsePaymentForm(input, invoice.ocrReference, swedishDate(now));
    // Midday UTC is the same calendar day in Sweden, summer or winter.
    const paidAt = new Date(`${payment.paidOn}T12:00:00Z`);
    const registered = await registerInvoicePayment(tx, invoice.id, {
      amountOre: payment.amountOre,
      paidAt,
      reference: payment.reference,
      author: authorOf(actor),
      method: "bank_transfer",
      origin: "bank",
      now,
    });
    await recordAudit(tx, {
      actorPersonId: actor.personId,
      action: "invoice_payment_marked",
      organisationId: invoice.organisationId,
      details: { invoiceId: invoice.id, number: invoice.number?.toString() ?? null, amountOre: payment.amountOre.toString(), paidOn: payment.paidOn, reference: payment.reference },
    });
    return registered;
  });
}

function requireConfirmation(input: { confirm?: unknown }): void {
  if (input.confirm !== "yes") throw new Invalid("confirmation_required", { confirm: "confirmation_required" });
}

/**
 * Voids an invoice that has received nothing (a draft, or a sent one). Its number stays used: a
 * voided invoice is kept, so the series still has no gaps. An invoice with money is credited instead.
 */
export async function voidInvoice(ctx: ServiceContext, invoiceId: number, input: { confirm?: unknown }): Promise<Invoice> {
  const actor = requireStaffActor(ctx);
  requireConfirmation(input);
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (invoice.paidOre > 0n || !["draft", "sent", "overdue"].includes(invoice.status)) throw new Conflict("not_voidable");
    const now = new Date();
    const [updated] = await tx.update(invoices).set({ status: "void", voidedAt: now, updatedAt: now }).where(eq(invoices.id, invoice.id)).returning();
    // A payroll invoice that carried earlier months' shortfalls gives them back to those invoices.
    await releaseCarried(tx, invoice, now);
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "invoice_voided", organisationId: invoice.organisationId, details: { invoiceId: invoice.id, number: invoice.number?.toString() ?? null } });
    return updated;
  });
}

/**
 * Credits an invoice that has received money (paid, partly paid, or overdue with a part paid): every
 * payment it made is reversed in full through the core (reason credit_note), so each goal loses
 * exactly what the invoice gave it, and the invoice is `credited`. Paying the money back to the buyer
 * is a bank transfer staff make outside the platform.
 */
export async function creditInvoice(ctx: ServiceContext, invoiceId: number, input: { confirm?: unknown }): Promise<Invoice> {
  const actor = requireStaffActor(ctx);
  requireConfirmation(input);
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId);
    if (invoice.paidOre === 0n || !["paid", "partly_paid", "overdue"].includes(invoice.status)) throw new Conflict("not_creditable");
    await reverseInvoicePayments(tx, invoice, authorOf(actor));
    const now = new Date();
    const [updated] = await tx.update(invoices).set({ status: "credited", creditedAt: now, updatedAt: now }).where(eq(invoices.id, invoice.id)).returning();
    await releaseCarried(tx, invoice, now);
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "invoice_credited",
      organisationId: invoice.organisationId,
      details: { invoiceId: invoice.id, number: invoice.number?.toString() ?? null, paidOre: invoice.paidOre.toString() },
    });
    return updated;
  });
}
