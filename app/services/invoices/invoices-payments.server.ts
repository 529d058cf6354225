import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { invoiceLines, invoices, paymentAnomalies, payments, type Invoice, type InvoiceLine, type Payment, type PaymentChannel, type PaymentMethod, type PaymentOrigin } from "~db/schema";
import { Conflict, NotFound } from "~/services/errors";
import { splitLargestRemainder } from "~/services/ledger/split";
import { markPaymentPaid, recordPayment, reversePayment } from "~/services/payments/core.server";
import { onPartnerFeePaid } from "~/services/partners/signup-fee.server";
import { flagOverdueShortfalls, registerPayrollInvoicePayment } from "~/services/workplace/reconcile.server";
import { swedishDate } from "./invoices-input.server";
import type { OpenInvoice } from "./match";

/**
 * Money for a company invoice, through the payments core (docs/payments.md, iface): every line of the
 * invoice becomes one payment (the invoice's channel, the line's goal or undesignated, sources
 * company_invoice_id + company_invoice_line_id), so the ledger sees each line's designation. These run
 * INSIDE the caller's transaction; the caller has checked access (staff, the BgMax import, Stripe's
 * invoice.paid), and the invoice row is locked here first so two payments of one invoice queue up.
 */

export interface InvoicePaymentFacts {
  amountOre: bigint;
  paidAt: Date;
  /** The bank's or provider's reference (bank transfer reference, BgMax key, Stripe invoice id). */
  reference?: string | null;
  /** Who posts: `staff:<email>`, `bgmax:<file>`, `stripe:<event>`. */
  author: string;
  method: PaymentMethod;
  /** Default: `bank` for money to the bank account, `app` for a Stripe invoice the app created. */
  origin?: PaymentOrigin;
  /** When it is registered (default: the clock): an invoice still short whose due date is before this day is overdue. */
  now?: Date;
}

export interface RegisteredInvoicePayment {
  invoice: Invoice;
  payments: Payment[];
  /** How much more than the total the invoice has now received (0 when not overpaid). */
  overpaidOre: bigint;
}

/** The invoice row, locked for the rest of the transaction. */
export async function lockInvoice(tx: Tx, invoiceId: number): Promise<Invoice> {
  const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for("update");
  if (!invoice) throw new NotFound("invoice_not_found");
  return invoice;
}

/** What each line has received so far (paid payments, before any reversal). */
async function paidPerLine(tx: Tx, invoiceId: number): Promise<Map<number, bigint>> {
  const rows = await tx
    .select({ lineId: payments.companyInvoiceLineId, paid: sql<string>`sum(${payments.amountOre})` })
    .from(payments)
    .where(and(eq(payments.companyInvoiceId, invoiceId), eq(payments.status, "paid")))
    .groupBy(payments.companyInvoiceLineId);
  return new Map(rows.filter((r) => r.lineId !== null).map((r) => [r.lineId as number, BigInt(r.paid)]));
}

/**
 * How one receipt of `amount` is shared over the lines, largest remainder (app/services/ledger/split.ts):
 * first what each line still lacks, pro rata of that, so an invoice paid in parts ends with every line at
 * exactly its amount; anything beyond the total (an overpayment) pro rata of the line amounts.
 *
 * Worked example: lines 600 + 400 kr. A payment of 500 kr → 300 + 200. A second of 500 kr → the lines
 * lack 300 + 200 → 300 + 200; each line has its amount. A third of 10 kr (overpaid) → 6 + 4.
 */
export function shareOverLines(amountOre: bigint, lines: Pick<InvoiceLine, "id" | "position" | "amountOre">[], paid: Map<number, bigint>): Map<number, bigint> {
  const out = new Map<number, bigint>(lines.map((l) => [l.id, 0n]));
  const lacking = lines.map((l) => ({ goalId: l.id, goalNumber: l.position, weight: l.amountOre > (paid.get(l.id) ?? 0n) ? l.amountOre - (paid.get(l.id) ?? 0n) : 0n }));
  const lackingTotal = lacking.reduce((s, l) => s + l.weight, 0n);
  const fill = amountOre < lackingTotal ? amountOre : lackingTotal;
  if (fill > 0n) for (const s of splitLargestRemainder(fill, lacking)) out.set(s.goalId, (out.get(s.goalId) ?? 0n) + s.amountOre);
  const excess = amountOre - fill;
  if (excess > 0n) {
    const byAmount = lines.map((l) => ({ goalId: l.id, goalNumber: l.position, weight: l.amountOre }));
    for (const s of splitLargestRemainder(excess, byAmount)) out.set(s.goalId, (out.get(s.goalId) ?? 0n) + s.amountOre);
  }
  return out;
}

/**
 * Money received for an invoice: one paid payment per line (pro rata, shareOverLines), the ledger
 * posted through the core, and the invoice's paid amount and status brought up to date (partly_paid
 * below the total, overdue instead when its due date has passed, paid at or above it). More than the total is booked too (it is real money) and
 * flagged for staff as a payment anomaly `invoice_overpaid`. Refused (Conflict, nothing written): a
 * draft (never sent), a void or credited invoice.
 */
export async function registerInvoicePayment(tx: Tx, invoiceId: number, facts: InvoicePaymentFacts): Promise<RegisteredInvoicePayment> {
  const invoice = await lockInvoice(tx, invoiceId);
  if (invoice.status === "draft") throw new Conflict("invoice_not_sent");
  if (invoice.status === "void") throw new Conflict("invoice_void");
  if (invoice.status === "credited") throw new Conflict("invoice_credited");
  if (facts.amountOre <= 0n) throw new Conflict("amount_not_positive");
  const origin = facts.origin ?? (facts.method === "stripe_invoice" ? "app" : "bank");
  // A payroll run's invoice (issue 13): one payment per run line (employee or match), not per invoice line.
  const payroll = invoice.payrollRunId !== null;
  const booked: Payment[] = payroll ? await registerPayrollInvoicePayment(tx, invoice, { ...facts, origin }) : [];
  const lines = payroll ? [] : await tx.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position));
  const shares = payroll ? new Map<number, bigint>() : shareOverLines(facts.amountOre, lines, await paidPerLine(tx, invoiceId));
  for (const line of lines) {
    const amountOre = shares.get(line.id) ?? 0n;
    if (amountOre === 0n) continue;
    const pending = await recordPayment(tx, {
      channel: invoice.channel as PaymentChannel,
      amountOre,
      goalId: line.goalId,
      origin,
      method: facts.method,
      payer: { name: invoice.buyerName, email: invoice.buyerEmail, organisationId: invoice.organisationId, locale: invoice.locale === "en" ? "en" : "sv" },
      source: { companyInvoiceId: invoice.id, companyInvoiceLineId: line.id, partnershipId: invoice.partnershipId },
      reference: facts.reference ?? null,
    });
    booked.push(await markPaymentPaid(tx, pending, { paidAt: facts.paidAt, reference: facts.reference ?? null, method: facts.method, author: facts.author }));
  }
  const paidOre = invoice.paidOre + facts.amountOre;
  // A payroll invoice whose shortfall was carried onto a later one (status carried) owes total − carried.
  const owedOre = invoice.totalOre - invoice.carriedOre;
  const settled = paidOre >= owedOre;
  const now = facts.now ?? new Date();
  const status = invoice.status === "carried" ? "carried" : settled ? "paid" : invoice.dueDate < swedishDate(now) ? "overdue" : "partly_paid";
  const [updated] = await tx
    .update(invoices)
    .set({ paidOre, status, paidAt: settled && status !== "carried" ? (invoice.paidAt ?? facts.paidAt) : null, updatedAt: now })
    .where(eq(invoices.id, invoice.id))
    .returning();
  const overpaidOre = paidOre > owedOre ? paidOre - owedOre : 0n;
  if (overpaidOre > 0n) {
    await tx
      .insert(paymentAnomalies)
      .values({
        paymentId: booked[0]?.id ?? null,
        kind: "invoice_overpaid",
        // Per invoice and cumulative amount: each further overpayment is flagged once.
        objectId: `invoice:${invoice.id}:${paidOre}`,
        details: { invoiceId: invoice.id, number: invoice.number?.toString() ?? null, totalOre: invoice.totalOre.toString(), paidOre: paidOre.toString(), excessOre: overpaidOre.toString(), reference: facts.reference ?? null, ...(invoice.carriedOre > 0n ? { carriedOre: invoice.carriedOre.toString() } : {}) },
      })
      .onConflictDoNothing();
  }
  // Falling due here rather than in the daily refresh (refreshOverdueInvoices) flags a payroll shortfall the same way.
  if (status === "overdue" && invoice.status !== "overdue") await flagOverdueShortfalls(tx, [invoice.id]);
  if (invoice.partnershipId !== null) await onPartnerFeePaid(tx, invoice.partnershipId, { author: facts.author });
  return { invoice: updated, payments: booked, overpaidOre };
}

/**
 * Takes back everything an invoice received: each of its paid payments is reversed by what is left of
 * it, through the core's reversePayment (reason credit_note), so every goal gets back exactly what the
 * invoice gave it. The caller holds the invoice row locked and sets the invoice's status.
 */
export async function reverseInvoicePayments(tx: Tx, invoice: Invoice, author: string): Promise<Payment[]> {
  const rows = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.companyInvoiceId, invoice.id), inArray(payments.status, ["paid", "held"])))
    .orderBy(asc(payments.id))
    .for("update");
  const reversed: Payment[] = [];
  for (const payment of rows) {
    const left = payment.amountOre - payment.refundedOre - payment.creditedOre;
    if (left <= 0n) continue;
    reversed.push(await reversePayment(tx, payment, { amountOre: left, reason: "credit_note", reference: `invoice-${invoice.number ?? invoice.id}`, author }));
  }
  return reversed;
}

/**
 * Issued invoices a BgMax payment may be for, with what is still outstanding (0 for a settled one: a
 * payment to it is an overpayment; a carried one's shortfall is owed on the later invoice).
 */
export async function openInvoicesForMatching(tx: Tx): Promise<OpenInvoice<number>[]> {
  const rows = await tx
    .select({ id: invoices.id, ocr: invoices.ocrReference, totalOre: invoices.totalOre, paidOre: invoices.paidOre, carriedOre: invoices.carriedOre })
    .from(invoices)
    .where(and(isNotNull(invoices.ocrReference), inArray(invoices.status, ["sent", "partly_paid", "overdue", "paid", "carried"])));
  return rows.map((r) => ({ id: r.id, ocr: r.ocr as string, outstandingOre: r.totalOre > r.paidOre + r.carriedOre ? r.totalOre - r.paidOre - r.carriedOre : 0n }));
}
