import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { auditLog, invoiceLines, invoices, paymentAnomalies, paymentAnomalyResolutions, payments, payrollRunLines, type Invoice } from "~db/schema";
import { personIdOf, systemContext, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden, Invalid } from "~/services/errors";
import { exportCsv } from "~/services/exports/csv-export.server";
import { readAll } from "~/services/exports/stream.server";
import { refreshOverdueInvoices } from "~/services/invoices/invoices-send.server";
import { creditInvoice, getInvoice, invoicePdfFor, markInvoicePaid, openInvoicesForMatching } from "~/services/invoices/invoices.server";
import { employerOverview } from "~/services/workplace/employer.server";
import { confirmRun, runPayrollMonth } from "~/services/workplace/payroll-run.server";
import { resolveUnderpaidFlag, underpaidFlags } from "~/services/workplace/underpaid-flags.server";
import { completeInvoiceSettings, pdfText, staffContext } from "../invoices/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { employer, goalIds, pledge, salaryLedger } from "./payroll-helpers";

/**
 * Underpaid payroll invoices under the programme's difference rule (issue 13 item 6;
 * docs/decisions/0009-payroll-shortfall-carry.md). `carry`: a past-due invoice paid short is settled by
 * carrying its shortfall onto the next confirmed month's invoice as a line "Kvar att betala från
 * faktura N"; paying that invoice fills the old run's lines first (oldest run first), so each goal's
 * ledger rises by exactly its share and nothing is asked or booked twice. `ask_staff`: the invoice is
 * flagged for staff once and nothing moves.
 */
describe.each(dbTargets)("payroll invoice shortfall on %s", (target) => {
  const t = useTestDatabase(target);
  const at = (day: string) => new Date(`${day}T12:00:00Z`);

  /** Two employees: Anna 100 kr → g1, Bo 100 kr split 50/50 over g1 and g2 (lines 100 + 50 + 50 kr). */
  async function setup(differenceRule: "carry" | "ask_staff") {
    const { db } = t;
    const staff = await staffContext(db);
    await completeInvoiceSettings(staff);
    const goals = await goalIds(db);
    const [g1, g2] = goals;
    const emp = await employer(db, { differenceRule });
    await pledge(db, emp.programme.id, [{ fromMonth: "2026-11-01", amountOre: 10000n, goals: [{ goalId: g1, percent: 100 }] }], { name: "Anna" });
    await pledge(db, emp.programme.id, [{ fromMonth: "2026-11-01", amountOre: 10000n, goals: [{ goalId: g1, percent: 50 }, { goalId: g2, percent: 50 }] }], { name: "Bo" });
    return { db, staff, goals, ...emp };
  }

  async function month(db: Db, contact: ServiceContext, programmeId: number, m: string, confirmedOn: string) {
    const { run } = await runPayrollMonth(systemContext(db, "test"), programmeId, m);
    const out = await confirmRun(contact, run.id, { confirm: "yes" }, at(confirmedOn));
    return { run: out.run, invoice: out.invoice! };
  }

  const pay = (staff: ServiceContext, invoice: Invoice, kronor: string, day: string) =>
    markInvoicePaid(staff, invoice.id, { paidOn: day, amount: kronor, reference: `test ${day}` }, at(day));

  const invoiceRow = async (db: Db, id: number) => (await db.select().from(invoices).where(eq(invoices.id, id)))[0];
  const linesOf = (db: Db, id: number) => db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).orderBy(asc(invoiceLines.position));

  /** Per run line: its amount and what its paid salary_giving payments add up to, net of credit notes (from any invoice). */
  async function runLinePaid(db: Db, runId: number) {
    const rows = await db
      .select({ id: payrollRunLines.id, amount: payrollRunLines.amountOre, paid: sql<string>`coalesce((select sum(p.amount_ore - p.refunded_ore - p.credited_ore) from payments p where p.payroll_run_line_id = payroll_run_lines.id and p.status = 'paid'), 0)` })
      .from(payrollRunLines)
      .where(eq(payrollRunLines.runId, runId))
      .orderBy(asc(payrollRunLines.id));
    return rows.map((r) => [r.amount, BigInt(r.paid)]);
  }

  it("carry: a shortfall past due moves onto next month's invoice; its payment fills the old run's lines first; asked once", async () => {
    const { db, staff, goals, programme, contact, org } = await setup("carry");
    const before = await salaryLedger(db, goals);
    const nov = await month(db, contact, programme.id, "2026-11", "2026-11-26");
    expect(nov.invoice.totalOre).toBe(20000n);
    expect(nov.invoice.dueDate).toBe("2026-12-26");
    await pay(staff, nov.invoice, "120", "2026-12-01");
    expect(await runLinePaid(db, nov.run.id)).toEqual([[10000n, 6000n], [5000n, 3000n], [5000n, 3000n]]);

    const dec = await month(db, contact, programme.id, "2026-12", "2026-12-27");
    // The old invoice is settled by the carry: status carried, exact amount, pointing at the new one.
    const old = await invoiceRow(db, nov.invoice.id);
    expect([old.status, old.paidOre, old.carriedOre, old.carriedToInvoiceId]).toEqual(["carried", 12000n, 8000n, dec.invoice.id]);
    // The new invoice asks for its month plus the carried line (no goal), and says so.
    expect(dec.invoice.totalOre).toBe(28000n);
    const lines = await linesOf(db, dec.invoice.id);
    expect(lines.reduce((s, l) => s + l.amountOre, 0n)).toBe(28000n);
    const carriedLine = lines.at(-1)!;
    expect([carriedLine.text, carriedLine.amountOre, carriedLine.goalId]).toEqual([`Kvar att betala från faktura ${nov.invoice.number}`, 8000n, null]);
    expect(dec.run.differenceOre).toBe(8000n);
    // The contact's PDF of the new invoice says what the line is.
    expect(await pdfText((await invoicePdfFor(contact, dec.invoice.id)).content)).toContain(`Kvar att betala från faktura ${nov.invoice.number}`);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "payroll_invoice_carried"));
    expect(audit.details).toMatchObject({ toInvoiceId: dec.invoice.id, carriedOre: "8000", from: [{ invoiceId: nov.invoice.id, carriedOre: "8000", paidOre: "12000" }] });
    // Asked for once: the old OCR has nothing outstanding, the new one the whole.
    const open = new Map((await t.db.transaction((tx) => openInvoicesForMatching(tx))).map((o) => [o.id, o.outstandingOre]));
    expect([open.get(nov.invoice.id), open.get(dec.invoice.id)]).toEqual([0n, 28000n]);

    // A part payment of the new invoice goes to the oldest run's lines first, pro rata over what they lack.
    await pay(staff, dec.invoice, "50", "2027-01-05");
    expect(await runLinePaid(db, nov.run.id)).toEqual([[10000n, 8500n], [5000n, 4250n], [5000n, 4250n]]);
    expect(await runLinePaid(db, dec.run.id)).toEqual([[10000n, 0n], [5000n, 0n], [5000n, 0n]]);
    const rest = await pay(staff, dec.invoice, "230", "2027-01-10");
    expect(rest.invoice.status).toBe("paid");
    expect(rest.overpaidOre).toBe(0n);
    expect(await runLinePaid(db, nov.run.id)).toEqual([[10000n, 10000n], [5000n, 5000n], [5000n, 5000n]]);
    expect(await runLinePaid(db, dec.run.id)).toEqual([[10000n, 10000n], [5000n, 5000n], [5000n, 5000n]]);
    // Each goal's ledger rose by exactly its share of the two months: g1 150 kr ×2, g2 50 kr ×2.
    const after = await salaryLedger(db, goals);
    expect([after.get(goals[0])! - before.get(goals[0])!, after.get(goals[1])! - before.get(goals[1])!]).toEqual([30000n, 10000n]);

    // Shown to staff (the old invoice points at the new) and to the contact (the overview says where it went).
    const detail = await getInvoice(staff, nov.invoice.id, at("2027-01-10"));
    expect([detail.invoice.status, detail.invoice.carriedToNumber, detail.invoice.carriedOre, detail.invoice.outstandingOre]).toEqual(["carried", String(dec.invoice.number), "8000", "0"]);
    const overview = await employerOverview(contact, org.id, at("2027-01-10"));
    expect(overview!.invoices.find((i) => i.id === nov.invoice.id)?.carriedToNumber).toBe(String(dec.invoice.number));
    // The invoices CSV for the bookkeeping says what was carried, in its own column.
    const csv = (await readAll((await exportCsv(staff, "invoices", { from: "2026-11-01", to: "2026-12-31" })).stream)).toString("utf8").replace(/^\uFEFF/, "").trim().split("\r\n").map((l) => l.split(";"));
    const carriedColumn = csv[0].indexOf("Flyttat till senare faktura (kr)");
    expect(carriedColumn).toBeGreaterThan(-1);
    const carriedOf = (n: bigint | null) => csv.find((r) => r[0] === String(n))?.[carriedColumn];
    expect([carriedOf(nov.invoice.number), carriedOf(dec.invoice.number)]).toEqual(["80,00", "0,00"]);

    // The employer pays the old OCR too, late: nothing is booked twice (flagged as overpaid), and the
    // money is a credit the next month uses.
    const late = await pay(staff, nov.invoice, "80", "2027-01-12");
    expect(late.payments).toHaveLength(0);
    expect(late.invoice.status).toBe("carried");
    expect(late.overpaidOre).toBe(8000n);
    expect(await runLinePaid(db, nov.run.id)).toEqual([[10000n, 10000n], [5000n, 5000n], [5000n, 5000n]]);
    const jan = await month(db, contact, programme.id, "2027-01", "2027-01-27");
    expect(jan.invoice.totalOre).toBe(20000n);
    expect(await linesOf(db, jan.invoice.id)).toHaveLength(2);
    expect([jan.run.differenceOre, jan.invoice.paidOre]).toEqual([-8000n, 8000n]);
    // Nothing carried twice.
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "payroll_invoice_carried"))).toHaveLength(1);
  });

  it("carry: only once past due; a carried invoice paid short again carries on, and the oldest run is filled first", async () => {
    const { db, staff, goals, programme, contact } = await setup("carry");
    const before = await salaryLedger(db, goals);
    const nov = await month(db, contact, programme.id, "2026-11", "2026-11-26");
    await pay(staff, nov.invoice, "100", "2026-12-01");
    // December is confirmed before November's invoice is due: nothing is carried yet.
    const dec = await month(db, contact, programme.id, "2026-12", "2026-12-20");
    expect(dec.invoice.totalOre).toBe(20000n);
    expect((await invoiceRow(db, nov.invoice.id)).status).not.toBe("carried");
    // January, after both are due: November (100 kr short) is carried; December (unpaid) is not: it was not paid short.
    const jan = await month(db, contact, programme.id, "2027-01", "2027-01-27");
    expect(jan.invoice.totalOre).toBe(30000n);
    expect((await invoiceRow(db, dec.invoice.id)).carriedOre).toBe(0n);
    // January paid short (150 of 300 kr): November's lines are filled first, then nothing is left for January's.
    await pay(staff, jan.invoice, "150", "2027-02-01");
    expect(await runLinePaid(db, nov.run.id)).toEqual([[10000n, 10000n], [5000n, 5000n], [5000n, 5000n]]);
    expect(await runLinePaid(db, jan.run.id)).toEqual([[10000n, 2500n], [5000n, 1250n], [5000n, 1250n]]);
    await pay(staff, dec.invoice, "200", "2027-02-01");
    // February carries January's 150 kr; its payment finishes January's run, then its own.
    const feb = await month(db, contact, programme.id, "2027-02", "2027-02-28");
    expect((await invoiceRow(db, jan.invoice.id)).carriedOre).toBe(15000n);
    expect(feb.invoice.totalOre).toBe(35000n);
    expect(feb.run.differenceOre).toBe(15000n);
    await pay(staff, feb.invoice, "350", "2027-03-05");
    for (const run of [nov.run, dec.run, jan.run, feb.run]) {
      for (const [amount, paid] of await runLinePaid(db, run.id)) expect(paid).toBe(amount);
    }
    const after = await salaryLedger(db, goals);
    expect([after.get(goals[0])! - before.get(goals[0])!, after.get(goals[1])! - before.get(goals[1])!]).toEqual([60000n, 20000n]);
    const allPayments = await db.select({ sum: sql<string>`sum(${payments.amountOre})` }).from(payments).where(inArray(payments.companyInvoiceId, [nov.invoice.id, dec.invoice.id, jan.invoice.id, feb.invoice.id]));
    expect(BigInt(allPayments[0].sum)).toBe(80000n);
  });

  it("carry: crediting the invoice that carried a shortfall gives it back to the old invoice, and the next month carries it again", async () => {
    const { db, staff, goals, programme, contact } = await setup("carry");
    const before = await salaryLedger(db, goals);
    const nov = await month(db, contact, programme.id, "2026-11", "2026-11-26");
    await pay(staff, nov.invoice, "120", "2026-12-01");
    const dec = await month(db, contact, programme.id, "2026-12", "2026-12-27");
    await pay(staff, dec.invoice, "50", "2027-01-05");
    await creditInvoice(staff, dec.invoice.id, { confirm: "yes" });
    const old = await invoiceRow(db, nov.invoice.id);
    // Owed on its own OCR again (overdue or partly paid by the real clock the credit note uses).
    expect(["overdue", "partly_paid"]).toContain(old.status);
    expect([old.carriedOre, old.carriedToInvoiceId]).toEqual([0n, null]);
    expect(await runLinePaid(db, nov.run.id)).toEqual([[10000n, 6000n], [5000n, 3000n], [5000n, 3000n]]);
    const jan = await month(db, contact, programme.id, "2027-01", "2027-01-27");
    expect(jan.invoice.totalOre).toBe(28000n);
    expect((await invoiceRow(db, nov.invoice.id)).carriedToInvoiceId).toBe(jan.invoice.id);
    await pay(staff, jan.invoice, "280", "2027-02-01");
    expect(await runLinePaid(db, nov.run.id)).toEqual([[10000n, 10000n], [5000n, 5000n], [5000n, 5000n]]);
    expect(await runLinePaid(db, jan.run.id)).toEqual([[10000n, 10000n], [5000n, 5000n], [5000n, 5000n]]);
    const after = await salaryLedger(db, goals);
    expect([after.get(goals[0])! - before.get(goals[0])!, after.get(goals[1])! - before.get(goals[1])!]).toEqual([30000n, 10000n]);
  });

  it("ask_staff: a part payment before the due date is not flagged; short once due, the invoice is flagged for staff once, and nothing is carried", async () => {
    const { db, staff, programme, contact } = await setup("ask_staff");
    const nov = await month(db, contact, programme.id, "2026-11", "2026-11-26");
    const underpaid = () => db.select().from(paymentAnomalies).where(eq(paymentAnomalies.kind, "invoice_underpaid"));
    // Paid in part before the due date (2026-12-26): a part payment, not a shortfall yet.
    const paid = await pay(staff, nov.invoice, "120", "2026-12-01");
    expect(paid.invoice.status).toBe("partly_paid");
    expect(await underpaid()).toHaveLength(0);
    // Still short when it falls due: flagged (the daily overdue refresh), once.
    await refreshOverdueInvoices(db, at("2026-12-27"));
    await refreshOverdueInvoices(db, at("2026-12-28"));
    const flags = await underpaid();
    expect(flags).toHaveLength(1);
    expect(flags[0].details).toMatchObject({ invoiceId: nov.invoice.id, totalOre: "20000", paidOre: "12000", shortOre: "8000", rule: "ask_staff" });
    const dec = await month(db, contact, programme.id, "2026-12", "2026-12-27");
    expect(dec.invoice.totalOre).toBe(20000n);
    expect(dec.run.differenceOre).toBe(0n);
    const old = await invoiceRow(db, nov.invoice.id);
    expect([old.carriedOre, old.carriedToInvoiceId]).toEqual([0n, null]);
    expect(old.status).not.toBe("carried");
    // The rest paid: settled, and no further flag.
    expect((await pay(staff, nov.invoice, "80", "2027-01-05")).invoice.status).toBe("paid");
    expect(await underpaid()).toHaveLength(1);
    // Money that comes after the due date and leaves the invoice short is flagged at once; a wholly unpaid invoice is not.
    await refreshOverdueInvoices(db, at("2027-01-27"));
    expect(await underpaid()).toHaveLength(1);
    await pay(staff, dec.invoice, "50", "2027-01-28");
    expect((await underpaid()).map((f) => f.details)).toContainEqual(expect.objectContaining({ invoiceId: dec.invoice.id, paidOre: "5000", shortOre: "15000" }));
  });

  it("ask_staff: money dated before the due date but registered after it, still short, falls due at once and is flagged once", async () => {
    const { db, staff, programme, contact } = await setup("ask_staff");
    const nov = await month(db, contact, programme.id, "2026-11", "2026-11-26");
    const flagsOf = () => db.select().from(paymentAnomalies).where(and(eq(paymentAnomalies.kind, "invoice_underpaid"), sql`${paymentAnomalies.objectId} like ${`invoice:${nov.invoice.id}:%`}`));
    // The bank dated it 1 December; staff register it on 28 December, after the due date (26 December).
    const paid = await markInvoicePaid(staff, nov.invoice.id, { paidOn: "2026-12-01", amount: "120", reference: "late entry" }, at("2026-12-28"));
    expect(paid.invoice.status).toBe("overdue");
    expect((await flagsOf()).map((f) => f.details)).toEqual([expect.objectContaining({ invoiceId: nov.invoice.id, paidOre: "12000", shortOre: "8000" })]);
    // The daily refresh afterwards finds it overdue already and flags nothing more.
    await refreshOverdueInvoices(db, at("2026-12-29"));
    expect(await flagsOf()).toHaveLength(1);
  });

  it("ask_staff: staff mark a flag resolved with a note (audited, once); the contact cannot, and a note is required", async () => {
    const { db, staff, programme, contact, org } = await setup("ask_staff");
    const nov = await month(db, contact, programme.id, "2026-11", "2026-11-26");
    await pay(staff, nov.invoice, "120", "2026-12-28");
    // Paid short after the due date: flagged at once (this file's earlier tests left flags of other employers).
    const [flag] = await db.select().from(paymentAnomalies).where(and(eq(paymentAnomalies.kind, "invoice_underpaid"), sql`${paymentAnomalies.objectId} like ${`invoice:${nov.invoice.id}:%`}`));
    const anomalyId = flag.id.toString();
    expect((await underpaidFlags(staff, org.id)).map((f) => [f.id, f.invoiceNumber, f.shortOre, f.resolved])).toEqual([[anomalyId, String(nov.invoice.number), "8000", null]]);

    const refused = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
    expect(await refused(resolveUnderpaidFlag(contact, { anomalyId, note: "Klart" }))).toBeInstanceOf(Forbidden);
    expect(await refused(underpaidFlags(contact, org.id))).toBeInstanceOf(Forbidden);
    const noNote = await refused(resolveUnderpaidFlag(staff, { anomalyId, note: "  " }));
    expect([noNote instanceof Invalid, (noNote as Invalid).fieldErrors]).toEqual([true, { note: "note_required" }]);
    const [other] = await db.insert(paymentAnomalies).values({ kind: "refund_failed", objectId: "re_test" }).returning();
    expect((await refused(resolveUnderpaidFlag(staff, { anomalyId: other.id.toString(), note: "x" })) as Invalid).fieldErrors).toEqual({ anomalyId: "flag_not_found" });
    expect(await db.select().from(paymentAnomalyResolutions)).toHaveLength(0);

    await resolveUnderpaidFlag(staff, { anomalyId, note: "Arbetsgivaren betalar resten i januari." });
    const [shown] = await underpaidFlags(staff, org.id);
    expect(shown.resolved).toMatchObject({ note: "Arbetsgivaren betalar resten i januari.", by: expect.stringMatching(/^staff:/) });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "anomaly_resolved"));
    expect([audit.organisationId, audit.actorPersonId, audit.details]).toEqual([org.id, personIdOf(staff.actor), expect.objectContaining({ kind: "invoice_underpaid", anomalyId, note: "Arbetsgivaren betalar resten i januari." })]);
    expect(await refused(resolveUnderpaidFlag(staff, { anomalyId, note: "igen" }))).toBeInstanceOf(Conflict);
    expect(await db.select().from(paymentAnomalyResolutions)).toHaveLength(1);
  });
});
