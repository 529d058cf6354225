import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { invoices, payrollRuns, type Invoice, type PayrollRun, type WorkplaceProgramme } from "~db/schema";
import { registerInvoicePayment } from "~/services/invoices/invoices-payments.server";

/**
 * The difference rule `carry` (issue 13 item 6) for money paid OVER a payroll invoice: the excess was
 * not booked to anyone (reconcile.server.ts), so it is a credit the employer has with us, used on its
 * next confirmed month: booked as a payment of the new invoice (through registerInvoicePayment, so it
 * becomes payments per run line like any other). A credit is used once: the runs record what they
 * used in `difference_ore`, which is (shortfall carried in) − (credit used), so what earlier runs used
 * is their carried-in shortfall minus their difference.
 *
 * Paid SHORT is carried the other way, by reconcile-shortfall.server.ts (when the new invoice is
 * issued, before this runs): an invoice carried there owes total − carried, so paid over means
 * paid + carried > total. With `ask_staff` nothing moves by itself: staff see the invoice_overpaid
 * anomaly and decide.
 *
 * Worked example: March's invoice 1 000 kr, 1 100 kr paid → 100 kr credit. April's invoice 800 kr is
 * issued with 100 kr paid at once (April's run difference_ore −100 kr); 700 kr is left to pay.
 */
export async function applyCarriedCredit(tx: Tx, programme: WorkplaceProgramme, run: PayrollRun, invoice: Invoice, now: Date): Promise<{ run: PayrollRun; invoice: Invoice } | null> {
  if (programme.differenceRule !== "carry") return null;
  const [paidOver] = await tx
    .select({ sum: sql<string>`coalesce(sum(greatest(${invoices.paidOre} + ${invoices.carriedOre} - ${invoices.totalOre}, 0)), 0)` })
    .from(invoices)
    .innerJoin(payrollRuns, eq(payrollRuns.id, invoices.payrollRunId))
    .where(and(eq(payrollRuns.programmeId, programme.id), ne(invoices.id, invoice.id), inArray(invoices.status, ["paid", "partly_paid", "overdue", "sent", "carried"])));
  const carriedIn = sql`coalesce((select sum(c.carried_ore) from invoices c where c.carried_to_invoice_id = payroll_runs.invoice_id), 0)`;
  const [used] = await tx
    .select({ sum: sql<string>`coalesce(sum(${carriedIn} - ${payrollRuns.differenceOre}), 0)` })
    .from(payrollRuns)
    .where(and(eq(payrollRuns.programmeId, programme.id), ne(payrollRuns.id, run.id)));
  const credit = BigInt(paidOver.sum) - BigInt(used.sum);
  if (credit <= 0n) return null;
  const amountOre = credit < invoice.totalOre ? credit : invoice.totalOre;
  const [updatedRun] = await tx.update(payrollRuns).set({ differenceOre: sql`${payrollRuns.differenceOre} - ${amountOre}`, updatedAt: now }).where(eq(payrollRuns.id, run.id)).returning();
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
