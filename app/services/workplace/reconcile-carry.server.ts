import { and, eq, inArray, lt, ne, sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { invoices, payrollRuns, type Invoice, type PayrollRun, type WorkplaceProgramme } from "~db/schema";
import { registerInvoicePayment } from "~/services/invoices/invoices-payments.server";

/**
 * The difference rule `carry` (issue 13 item 6) for money paid OVER a payroll invoice: the excess was
 * not booked to anyone (reconcile.server.ts), so it is a credit the employer has with us, used on its
 * next confirmed month: booked as a payment of the new invoice (through registerInvoicePayment, so it
 * becomes payments per run line like any other), and recorded on the run as `difference_ore` (negative:
 * paid over before). A credit is used once: what earlier runs carried is subtracted.
 *
 * Paid SHORT is not carried onto a new invoice (that would ask twice for the same money): the invoice
 * stays partly paid/overdue with its OCR, shown to staff and the contact, and can be paid in full later.
 * With `ask_staff` nothing moves by itself: staff see the invoice_overpaid anomaly and decide.
 *
 * Worked example: March's invoice 1 000 kr, 1 100 kr paid → 100 kr credit. April's invoice 800 kr is
 * issued with 100 kr paid at once (April's run difference_ore −100 kr); 700 kr is left to pay.
 */
export async function applyCarriedCredit(tx: Tx, programme: WorkplaceProgramme, run: PayrollRun, invoice: Invoice, now: Date): Promise<{ run: PayrollRun; invoice: Invoice } | null> {
  if (programme.differenceRule !== "carry") return null;
  const [paidOver] = await tx
    .select({ sum: sql<string>`coalesce(sum(greatest(${invoices.paidOre} - ${invoices.totalOre}, 0)), 0)` })
    .from(invoices)
    .innerJoin(payrollRuns, eq(payrollRuns.id, invoices.payrollRunId))
    .where(and(eq(payrollRuns.programmeId, programme.id), ne(invoices.id, invoice.id), inArray(invoices.status, ["paid", "partly_paid", "overdue", "sent"])));
  const [used] = await tx
    .select({ sum: sql<string>`coalesce(sum(-${payrollRuns.differenceOre}), 0)` })
    .from(payrollRuns)
    .where(and(eq(payrollRuns.programmeId, programme.id), ne(payrollRuns.id, run.id), lt(payrollRuns.differenceOre, 0n)));
  const credit = BigInt(paidOver.sum) - BigInt(used.sum);
  if (credit <= 0n) return null;
  const amountOre = credit < invoice.totalOre ? credit : invoice.totalOre;
  const [updatedRun] = await tx.update(payrollRuns).set({ differenceOre: -amountOre, updatedAt: now }).where(eq(payrollRuns.id, run.id)).returning();
  const registered = await registerInvoicePayment(tx, invoice.id, {
    amountOre,
    paidAt: now,
    reference: `carried-credit:${programme.id}`,
    author: `system:payroll-carry:${run.id}`,
    method: "bank_transfer",
    origin: "bank",
  });
  return { run: updatedRun, invoice: registered.invoice };
}
