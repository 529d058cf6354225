import { and, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { invoiceLines, invoices, payrollRuns, type Invoice, type WorkplaceProgramme } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";

/**
 * The difference rule `carry` for money paid SHORT on a payroll invoice (issue 13 item 6; why and the
 * exact rules: docs/decisions/0009-payroll-shortfall-carry.md). Called by issueRunInvoice once the new
 * month's invoice and its lines are written, before it is sent, in the confirming transaction.
 *
 * Every earlier bank invoice of the programme that is past due and paid in part (0 < paid < total,
 * not carried before) is settled by moving what it still lacks onto the new invoice: the old invoice
 * gets status `carried`, `carried_ore` = total − paid and `carried_to_invoice_id`; the new one gets a
 * line "Kvar att betala från faktura N" (no goal: paid, it fills the old run's lines, see
 * reconcile.server.ts) and its total grows by the same amount; the run's difference_ore rises by it.
 * The old invoice is then no longer reminded, overdue or open for matching, so the money is asked for
 * once. The update re-reads each row under its lock, so a payment registered at the same time is
 * either counted in paid (and less is carried) or waits and finds the invoice carried.
 *
 * Returns the invoice as it is to be sent.
 */
export async function carryShortfalls(tx: Tx, programme: WorkplaceProgramme, invoice: Invoice, linesWritten: number, now: Date): Promise<Invoice> {
  if (programme.differenceRule !== "carry") return invoice;
  const carried = await tx
    .update(invoices)
    .set({ carriedOre: sql`${invoices.totalOre} - ${invoices.paidOre}`, carriedToInvoiceId: invoice.id, status: "carried", updatedAt: now })
    .where(
      and(
        inArray(invoices.payrollRunId, tx.select({ id: payrollRuns.id }).from(payrollRuns).where(eq(payrollRuns.programmeId, programme.id))),
        ne(invoices.id, invoice.id),
        eq(invoices.delivery, "bank"),
        inArray(invoices.status, ["partly_paid", "overdue"]),
        gt(invoices.paidOre, 0n),
        lt(invoices.paidOre, invoices.totalOre),
        eq(invoices.carriedOre, 0n),
        lt(invoices.dueDate, swedishDate(now)),
      ),
    )
    .returning({ id: invoices.id, number: invoices.number, carriedOre: invoices.carriedOre, paidOre: invoices.paidOre, totalOre: invoices.totalOre });
  if (!carried.length) return invoice;
  // Oldest invoice first, as the payment of the new invoice fills the oldest run first.
  carried.sort((a, b) => (a.number! < b.number! ? -1 : 1));
  const words = carriedLineWords[invoice.locale === "en" ? "en" : "sv"];
  await tx.insert(invoiceLines).values(
    carried.map((c, i) => ({ invoiceId: invoice.id, position: linesWritten + i + 1, text: words.replace("{number}", String(c.number)), amountOre: c.carriedOre, goalId: null })),
  );
  const carriedOre = carried.reduce((s, c) => s + c.carriedOre, 0n);
  const [updated] = await tx
    .update(invoices)
    .set({ totalOre: sql`${invoices.totalOre} + ${carriedOre}`, updatedAt: now })
    .where(eq(invoices.id, invoice.id))
    .returning();
  await tx
    .update(payrollRuns)
    .set({ differenceOre: sql`${payrollRuns.differenceOre} + ${carriedOre}`, updatedAt: now })
    .where(eq(payrollRuns.id, invoice.payrollRunId!));
  await recordAudit(tx, {
    actorPersonId: null,
    action: "payroll_invoice_carried",
    organisationId: invoice.organisationId,
    details: {
      rule: "carry",
      toInvoiceId: invoice.id,
      toNumber: String(invoice.number),
      carriedOre: carriedOre.toString(),
      from: carried.map((c) => ({ invoiceId: c.id, number: String(c.number), totalOre: c.totalOre.toString(), paidOre: c.paidOre.toString(), carriedOre: c.carriedOre.toString() })),
    },
  });
  return updated;
}

/** The carried line's text, in the invoice's language (payroll invoices are Swedish today). */
export const carriedLineWords = {
  sv: "Kvar att betala från faktura {number}",
  en: "Still to pay from invoice {number}",
} as const;

/**
 * The invoice that carried shortfalls is voided or credited by staff (invoices.server.ts): it no longer
 * asks for them, so each invoice carried into it owes its shortfall again on its own OCR (partly paid,
 * overdue, or paid if money came meanwhile) and the next confirmed month carries it again. Its run's
 * difference_ore drops by what it carried in, so credit accounting (reconcile-carry) stays exact.
 */
export async function releaseCarried(tx: Tx, invoice: Invoice, now: Date): Promise<void> {
  if (invoice.payrollRunId === null) return;
  const carried = await tx
    .select({ id: invoices.id, number: invoices.number, carriedOre: invoices.carriedOre })
    .from(invoices)
    .where(eq(invoices.carriedToInvoiceId, invoice.id))
    .for("update");
  if (!carried.length) return;
  await tx
    .update(invoices)
    .set({
      status: sql`case when ${invoices.paidOre} >= ${invoices.totalOre} then 'paid' when ${invoices.dueDate} < ${swedishDate(now)} then 'overdue' else 'partly_paid' end`,
      carriedOre: 0n,
      carriedToInvoiceId: null,
      updatedAt: now,
    })
    .where(eq(invoices.carriedToInvoiceId, invoice.id));
  const releasedOre = carried.reduce((s, c) => s + c.carriedOre, 0n);
  await tx.update(payrollRuns).set({ differenceOre: sql`${payrollRuns.differenceOre} - ${releasedOre}`, updatedAt: now }).where(eq(payrollRuns.id, invoice.payrollRunId));
  await recordAudit(tx, {
    actorPersonId: null,
    action: "payroll_invoice_carry_released",
    organisationId: invoice.organisationId,
    details: { fromInvoiceId: invoice.id, fromNumber: String(invoice.number), releasedOre: releasedOre.toString(), invoices: carried.map((c) => ({ invoiceId: c.id, number: String(c.number), carriedOre: c.carriedOre.toString() })) },
  });
}
