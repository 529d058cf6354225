import { eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { paymentAnomalies, payrollRuns, workplaceProgrammes, type Invoice, type Payment, type PaymentMethod, type PaymentOrigin } from "~db/schema";
import { rowsOf } from "~/services/exports/stream.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
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
 * lines partly paid, pro rata, and the invoice partly paid/overdue for staff and the contact to see;
 * under `ask_staff` it is flagged `invoice_underpaid`; under `carry` the next confirmed month carries
 * the shortfall (reconcile-shortfall.server.ts), and a payment of THAT invoice fills the old run's
 * lines first (bookOverRunLines). docs/decisions/0009-payroll-shortfall-carry.md.
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
  // What the invoice still asks for: a carried invoice asks for nothing (the newer invoice asks for it).
  const owed = invoice.totalOre - invoice.carriedOre - invoice.paidOre;
  const fill = owed <= 0n ? 0n : facts.amountOre < owed ? facts.amountOre : owed;
  const booked = fill > 0n ? await bookOverRunLines(tx, invoice, fill, facts) : [];
  // Short before the due date is a part payment, not a shortfall: flagged when the invoice falls due short
  // (flagOverdueShortfalls), or here when the money comes after the due date.
  const late = invoice.status === "overdue" || swedishDate(facts.paidAt) > invoice.dueDate;
  if (facts.amountOre < owed && late) await flagUnderpaidForStaff(tx, invoice, invoice.paidOre + facts.amountOre, booked[0]?.id ?? null);
  return booked;
}

interface LineToFill {
  id: number;
  run_id: number;
  kind: string;
  person_id: number | null;
  employee_name: string | null;
  email: string | null;
  goal_id: number;
  amount: string;
  paid: string;
}

/**
 * Books `fill` (at most what the invoice still asks for) over the run lines it covers: the lines of
 * the runs whose shortfall it carries (their invoices' carried_to_invoice_id, followed back through
 * every step), then its own run's. Oldest run first (by month); within one run pro rata over what each
 * line still lacks, exact (splitByWeights). "Lacks" counts every paid payment of the line, whichever
 * invoice brought it, net of refunds and credit notes (an invoice credited gives its lines back), so
 * money carried from an old invoice lands on exactly the lines it was short on.
 */
async function bookOverRunLines(tx: Tx, invoice: Invoice, fill: bigint, facts: PayrollPaymentFacts): Promise<Payment[]> {
  const lines = rowsOf<LineToFill>(
    await tx.execute(sql`with recursive covered(invoice_id, run_id) as (
        select id, payroll_run_id from invoices where id = ${invoice.id}
        union all
        select i.id, i.payroll_run_id from invoices i join covered c on i.carried_to_invoice_id = c.invoice_id
      )
      select l.id, l.run_id, l.kind, l.person_id, l.employee_name, pe.email, l.goal_id, l.amount_ore::text as amount,
        coalesce((select sum(p.amount_ore - p.refunded_ore - p.credited_ore) from payments p where p.payroll_run_line_id = l.id and p.status = 'paid'), 0)::text as paid
      from covered c
      join payroll_runs r on r.id = c.run_id
      join payroll_run_lines l on l.run_id = r.id
      left join people pe on pe.id = l.person_id
      where l.amount_ore > 0
      order by r.month, r.id, l.id`),
  );
  const lacking = lines.map((l) => {
    const left = BigInt(l.amount) - BigInt(l.paid);
    return left > 0n ? left : 0n;
  });
  const shares: bigint[] = [];
  let left = fill;
  for (let start = 0; start < lines.length; ) {
    let end = start;
    while (end < lines.length && lines[end].run_id === lines[start].run_id) end++;
    const runLacking = lacking.slice(start, end);
    const runTotal = runLacking.reduce((s, x) => s + x, 0n);
    const take = left < runTotal ? left : runTotal;
    shares.push(...splitByWeights(take, runLacking));
    left -= take;
    start = end;
  }
  const booked: Payment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (shares[i] === 0n) continue;
    const employee = line.kind === "employee";
    const pending = await recordPayment(tx, {
      channel: "salary_giving",
      amountOre: shares[i],
      goalId: line.goal_id,
      origin: facts.origin,
      method: facts.method,
      payer: employee
        ? { name: line.employee_name, email: line.email, locale: "sv" }
        : { name: invoice.buyerName, email: invoice.buyerEmail, organisationId: invoice.organisationId, locale: invoice.locale === "en" ? "en" : "sv" },
      source: { companyInvoiceId: invoice.id, payrollRunLineId: line.id },
      reference: facts.reference ?? null,
    });
    booked.push(await markPaymentPaid(tx, pending, { paidAt: facts.paidAt, reference: facts.reference ?? null, method: facts.method, author: facts.author }));
  }
  return booked;
}

/**
 * The difference rule `ask_staff`: a payroll invoice left paid short after its due date is flagged for
 * staff (payment anomaly `invoice_underpaid`), once per invoice and amount received, and nothing moves;
 * staff mark it resolved with a note (underpaid-flags.server.ts). Under `carry` the shortfall is
 * carried at the next confirmed month instead (reconcile-shortfall).
 */
async function flagUnderpaidForStaff(tx: Tx, invoice: Invoice, paidOre: bigint, paymentId: bigint | null): Promise<void> {
  const [programme] = await tx
    .select({ rule: workplaceProgrammes.differenceRule })
    .from(payrollRuns)
    .innerJoin(workplaceProgrammes, eq(workplaceProgrammes.id, payrollRuns.programmeId))
    .where(eq(payrollRuns.id, invoice.payrollRunId!));
  if (programme?.rule !== "ask_staff") return;
  const owed = invoice.totalOre - invoice.carriedOre;
  await tx
    .insert(paymentAnomalies)
    .values({
      paymentId,
      kind: "invoice_underpaid",
      objectId: `invoice:${invoice.id}:${paidOre}`,
      details: { invoiceId: invoice.id, number: invoice.number?.toString() ?? null, totalOre: owed.toString(), paidOre: paidOre.toString(), shortOre: (owed - paidOre).toString(), rule: "ask_staff" },
    })
    .onConflictDoNothing();
}

/**
 * Invoices that have just fallen due (refreshOverdueInvoices) and were paid only in part: under
 * `ask_staff` each is flagged as registerPayrollInvoicePayment flags a payment after the due date (same
 * kind and key, so a shortfall is flagged once). A wholly unpaid invoice is not paid short: it is overdue.
 */
export async function flagOverdueShortfalls(db: Db | Tx, invoiceIds: number[]): Promise<void> {
  if (!invoiceIds.length) return;
  const owed = sql`(i.total_ore - i.carried_ore)`;
  await db.execute(sql`insert into payment_anomalies (payment_id, kind, object_id, details)
    select null, 'invoice_underpaid', 'invoice:' || i.id || ':' || i.paid_ore,
      jsonb_build_object('invoiceId', i.id, 'number', i.number::text, 'totalOre', ${owed}::text, 'paidOre', i.paid_ore::text, 'shortOre', (${owed} - i.paid_ore)::text, 'rule', 'ask_staff')
    from invoices i
    join payroll_runs r on r.id = i.payroll_run_id
    join workplace_programmes wp on wp.id = r.programme_id
    where ${inArray(sql`i.id`, invoiceIds)} and wp.difference_rule = 'ask_staff' and i.paid_ore > 0 and i.paid_ore < ${owed}
    on conflict do nothing`);
}
