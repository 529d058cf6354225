import { and, asc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { payments, payrollRunLines, people, type Invoice, type Payment, type PaymentMethod, type PaymentOrigin } from "~db/schema";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";
import { splitByWeights } from "./payroll-compute";

/**
 * Reconciliation of a payroll invoice (issue 13 item 6), called by registerInvoicePayment
 * (app/services/invoices/invoices-payments.server.ts) for an invoice with payroll_run_id, inside its
 * transaction with the invoice row locked. Instead of one payment per invoice line (per goal), each
 * RUN line becomes a payment: channel salary_giving, source payroll_run_line_id (and the invoice),
 * designated to the line's goal; the payer is the employee for an employee line and the employer for
 * the match. So each employee's gift is theirs in the ledger and each goal gets exactly its share.
 *
 * A receipt is shared over what each line still lacks, pro rata and exact (splitByWeights): an invoice
 * paid in parts ends with every line at exactly its amount. Money beyond the total is NOT spread over
 * employees (that would guess whose gift it is): it stays on the invoice (paid_ore, and the invoice
 * module's `invoice_overpaid` anomaly for staff), and a programme with the difference rule `carry`
 * uses it on its next month's invoice (reconcile-carry.server.ts). An invoice paid short leaves the
 * lines partly paid, pro rata, and the invoice partly paid/overdue for staff and the contact to see.
 *
 * Worked example: lines 100 + 50 kr (employee), 50 kr (match); 100 kr received → 50 + 25 + 25; the
 * remaining 100 kr → 50 + 25 + 25; each line has its amount. A further 10 kr → nothing booked, flagged.
 */

export interface PayrollPaymentFacts {
  amountOre: bigint;
  paidAt: Date;
  reference?: string | null;
  author: string;
  method: PaymentMethod;
  origin: PaymentOrigin;
}

export async function registerPayrollInvoicePayment(tx: Tx, invoice: Invoice, facts: PayrollPaymentFacts): Promise<Payment[]> {
  if (invoice.payrollRunId === null) throw new Error("not a payroll invoice");
  const lines = await tx
    .select()
    .from(payrollRunLines)
    .where(and(eq(payrollRunLines.runId, invoice.payrollRunId), gt(payrollRunLines.amountOre, 0n)))
    .orderBy(asc(payrollRunLines.id));
  const paidRows = await tx
    .select({ lineId: payments.payrollRunLineId, paid: sql<string>`sum(${payments.amountOre})` })
    .from(payments)
    .where(and(eq(payments.companyInvoiceId, invoice.id), eq(payments.status, "paid"), isNotNull(payments.payrollRunLineId)))
    .groupBy(payments.payrollRunLineId);
  const paid = new Map(paidRows.map((r) => [r.lineId as number, BigInt(r.paid)]));
  const lacking = lines.map((l) => {
    const left = (l.amountOre ?? 0n) - (paid.get(l.id) ?? 0n);
    return left > 0n ? left : 0n;
  });
  const lackingTotal = lacking.reduce((s, x) => s + x, 0n);
  const fill = facts.amountOre < lackingTotal ? facts.amountOre : lackingTotal;
  if (fill === 0n) return [];
  const shares = splitByWeights(fill, lacking);
  const personIds = [...new Set(lines.map((l) => l.personId).filter((id): id is number => id !== null))];
  const emails = new Map(
    personIds.length ? (await tx.select({ id: people.id, email: people.email }).from(people).where(inArray(people.id, personIds))).map((p) => [p.id, p.email]) : [],
  );
  const booked: Payment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (shares[i] === 0n) continue;
    const employee = line.kind === "employee";
    const pending = await recordPayment(tx, {
      channel: "salary_giving",
      amountOre: shares[i],
      goalId: line.goalId,
      origin: facts.origin,
      method: facts.method,
      payer: employee
        ? { name: line.employeeName, email: line.personId === null ? null : (emails.get(line.personId) ?? null), locale: "sv" }
        : { name: invoice.buyerName, email: invoice.buyerEmail, organisationId: invoice.organisationId, locale: invoice.locale === "en" ? "en" : "sv" },
      source: { companyInvoiceId: invoice.id, payrollRunLineId: line.id },
      reference: facts.reference ?? null,
    });
    booked.push(await markPaymentPaid(tx, pending, { paidAt: facts.paidAt, reference: facts.reference ?? null, method: facts.method, author: facts.author }));
  }
  return booked;
}
