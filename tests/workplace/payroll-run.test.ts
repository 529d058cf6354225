import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoiceLines, invoices, jobs, paymentAnomalies, payments, payrollRunLines, payrollRuns, workplacePledgeTerms } from "~db/schema";
import { anonymousActor, SignInRequired, systemContext } from "~/services/context";
import { Forbidden } from "~/services/errors";
import { markInvoicePaid } from "~/services/invoices/invoices.server";
import { runDueJobsOnce } from "~/services/jobs/jobs.server";
import { PAYROLL_RUN_JOB, queuePayrollRuns, registerPayrollJobs } from "~/services/workplace/payroll-jobs.server";
import { listPayrollRuns, payrollFile, payrollRunView } from "~/services/workplace/payroll-read.server";
import { confirmRun, runPayrollMonth } from "~/services/workplace/payroll-run.server";
import { createPerson } from "../factories";
import { completeInvoiceSettings, ctxFor, staffContext } from "../invoices/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { paxmlSchemaErrors } from "./paxml-check";
import { employer, goalIds, pledge, salaryLedger } from "./payroll-helpers";

/**
 * The monthly payroll run end to end on the database (issue 13 items 5 and 6): the job lists each
 * programme's month once (two workers), the files, access (a contact of another organisation gets
 * 403 and nothing), confirmation with reported amounts → one invoice = lines + match, a confirmed
 * run refused again, a run failing halfway writes nothing and runs again, and paying the invoice
 * books one salary_giving payment per run line so each goal's ledger rises by exactly its share.
 */
describe.each(dbTargets)("payroll run on %s", (target) => {
  const t = useTestDatabase(target);
  const NOV = "2026-11-01";

  it("lists the month once through the job, files for the employer, confirm → invoice, paid → each goal gets its share", async () => {
    const { db } = t;
    const staff = await staffContext(db);
    await completeInvoiceSettings(staff);
    const [g1, g2] = await goalIds(db);
    const { org, programme, contact } = await employer(db, { matchMode: "percent", matchPercent: 50, matchCapOre: 10000n });
    const anna = await pledge(db, programme.id, [{ fromMonth: "2026-10-01", amountOre: 15000n, goals: [{ goalId: g1, percent: 100 }] }], { name: "Anna Andersson", employeeNumber: "17" });
    const bo = await pledge(db, programme.id, [{ fromMonth: NOV, kind: "per_mille", rateTenths: 25, goals: [{ goalId: g1, percent: 40 }, { goalId: g2, percent: 60 }] }], { name: "Bo Berg" });
    const cilla = await pledge(db, programme.id, [{ fromMonth: "2026-09-01", amountOre: 30000n, goals: [{ goalId: g2, percent: 100 }] }], { name: "Cilla Cort" });
    const dan = await pledge(db, programme.id, [{ fromMonth: "2026-09-01", amountOre: 10000n, goals: [{ goalId: g2, percent: 100 }] }, { fromMonth: NOV, state: "paused", goals: [{ goalId: g2, percent: 100 }] }], { name: "Dan Dahl" });

    // The schedule queues the month once; two workers running the jobs make one run.
    await registerPayrollJobs(db, () => new Date("2026-11-02T06:00:00Z"));
    const system = systemContext(db, "test");
    expect(await queuePayrollRuns(system, new Date("2026-11-02T06:00:00Z"))).toBeGreaterThanOrEqual(1);
    expect(await queuePayrollRuns(system, new Date("2026-11-03T06:00:00Z"))).toBe(0);
    await Promise.all([runDueJobsOnce({ db, kinds: [PAYROLL_RUN_JOB] }), runDueJobsOnce({ db, kinds: [PAYROLL_RUN_JOB] })]);
    const runs = await db.select().from(payrollRuns).where(eq(payrollRuns.programmeId, programme.id));
    expect(runs).toHaveLength(1);
    expect(runs[0].month).toBe(NOV);
    const [failed] = await db.select({ n: count() }).from(jobs).where(eq(jobs.status, "failed"));
    expect(failed.n).toBe(0);
    // The job delivered again leaves the run as it was.
    expect((await runPayrollMonth(system, programme.id, "2026-11")).listed).toBe(false);
    const runId = runs[0].id;

    const view = await payrollRunView(contact, runId);
    expect(view.list.map((p) => [p.employeeName, p.change, p.amountOre])).toEqual([
      ["Anna Andersson", "unchanged", 15000n],
      ["Bo Berg", "new", null],
      ["Cilla Cort", "unchanged", 30000n],
      ["Dan Dahl", "paused", 0n],
    ]);
    expect(view.needsReport).toEqual([bo.pledge.id]);

    // The files: PAXml valid against the 2.0 schema, one row per listed pledge, the pay code; the CSV the same rows.
    const xml = await payrollFile(contact, runId, "paxml");
    expect(paxmlSchemaErrors(xml.body)).toBeNull();
    expect([...xml.body.matchAll(/<lonart>9810<\/lonart>/g)]).toHaveLength(4);
    expect(xml.body).toContain('anstid="17"');
    expect([...xml.body.matchAll(/<belopp>([^<]+)<\/belopp>/g)].map((m) => m[1])).toEqual(["150.00", "300.00", "0.00"]);
    const csv = await payrollFile(contact, runId, "csv");
    expect(csv.body.split("\r\n").filter(Boolean)).toHaveLength(5);

    // Cilla left: the employer reports 0 for her; Bo's per-mille came to 187,50 kr.
    const before = await salaryLedger(db, [g1, g2]);
    const { run, invoice } = await confirmRun(contact, runId, { confirm: "yes", reported: { [bo.pledge.id]: "187,50", [cilla.pledge.id]: "0" } });
    expect(run.status).toBe("confirmed");
    // Employees: 150 + 187,50 = 337,50 kr. Match 50 % capped at 100 kr each: 75 + 93,75 = 168,75 kr.
    expect(run.employeesOre).toBe(33750n);
    expect(run.matchOre).toBe(16875n);
    expect(invoice!.totalOre).toBe(33750n + 16875n);
    expect(invoice!.channel).toBe("salary_giving");
    expect(invoice!.payrollRunId).toBe(runId);
    const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice!.id));
    expect(lines.reduce((s, l) => s + l.amountOre, 0n)).toBe(invoice!.totalOre);
    // Per goal: g1 = 150 + 75 (Bo 40 %) employees; g2 = 112,50 employees; match on each.
    const byText = (rows: [number, bigint][]) => rows.map(([g, a]) => `${g}:${a}`).sort();
    expect(byText(lines.map((l) => [l.goalId!, l.amountOre]))).toEqual(byText([[g1, 15000n + 7500n], [g2, 11250n], [g1, 7500n + 3750n], [g2, 5625n]]));

    // Confirmed is final: again → 409, nothing written; staff re-run → 409.
    await expect(confirmRun(contact, runId, { confirm: "yes", reported: { [bo.pledge.id]: "1" } })).rejects.toMatchObject({ status: 409, message: "run_confirmed" });
    await expect(runPayrollMonth(staff, programme.id, NOV)).rejects.toMatchObject({ status: 409 });
    const [invoiceCount] = await db.select({ n: count() }).from(invoices).where(eq(invoices.payrollRunId, runId));
    expect(invoiceCount.n).toBe(1);

    // Paid in two parts: one salary_giving payment per run line; each goal gets exactly its share.
    await markInvoicePaid(staff, invoice!.id, { paidOn: "2026-11-28", amount: "200", reference: "del 1" }, new Date("2026-11-28T12:00:00Z"));
    await markInvoicePaid(staff, invoice!.id, { paidOn: "2026-11-29", amount: "306,25", reference: "del 2" }, new Date("2026-11-29T12:00:00Z"));
    const after = await salaryLedger(db, [g1, g2]);
    expect(after.get(g1)! - before.get(g1)!).toBe(15000n + 7500n + 7500n + 3750n);
    expect(after.get(g2)! - before.get(g2)!).toBe(11250n + 5625n);
    const paid = await db.select().from(payments).where(eq(payments.companyInvoiceId, invoice!.id));
    expect(paid.every((p) => p.channel === "salary_giving" && p.status === "paid" && p.payrollRunLineId !== null)).toBe(true);
    const perLine = new Map<number, bigint>();
    for (const p of paid) perLine.set(p.payrollRunLineId!, (perLine.get(p.payrollRunLineId!) ?? 0n) + p.amountOre);
    const runLines = await db.select().from(payrollRunLines).where(eq(payrollRunLines.runId, runId));
    for (const l of runLines) expect(perLine.get(l.id) ?? 0n).toBe(l.amountOre ?? 0n);
    // The employee's payments carry the employee; the match the employer.
    const annaLine = runLines.find((l) => l.pledgeId === anna.pledge.id)!;
    const annaPay = paid.filter((p) => p.payrollRunLineId === annaLine.id);
    expect(annaPay.every((p) => p.donorEmail === anna.person.email && p.organisationId === null)).toBe(true);
    const matchIds = new Set(runLines.filter((l) => l.kind === "match").map((l) => l.id));
    expect(paid.filter((p) => matchIds.has(p.payrollRunLineId!)).every((p) => p.organisationId === org.id)).toBe(true);
    expect((await db.select().from(invoices).where(eq(invoices.id, invoice!.id)))[0].status).toBe("paid");

    // Overpaid by 10 kr: nothing spread over employees (no guessing); staff are told.
    const ledgerBefore = await salaryLedger(db, [g1, g2]);
    await markInvoicePaid(staff, invoice!.id, { paidOn: "2026-11-30", amount: "10", reference: "extra" }, new Date("2026-11-30T12:00:00Z"));
    expect(await salaryLedger(db, [g1, g2])).toEqual(ledgerBefore);
    const anomalies = await db.select().from(paymentAnomalies).where(eq(paymentAnomalies.kind, "invoice_overpaid"));
    expect(anomalies.some((a) => (a.details as { invoiceId: number }).invoiceId === invoice!.id)).toBe(true);
    void dan;
  });

  it("two instances listing the same month at once: one makes the run, the other finds it (no error)", async () => {
    const { db } = t;
    const [g1] = await goalIds(db);
    const { programme } = await employer(db);
    await pledge(db, programme.id, [{ fromMonth: "2026-09-01", amountOre: 10000n, goals: [{ goalId: g1, percent: 100 }] }], { name: "Eva Ek" });
    const system = systemContext(db, "test");
    // On PostgreSQL both read "no run yet" and both insert; the loser's insert is a unique violation, which
    // drizzle reports wrapped (the code on its cause), and the run must be found, not the error thrown. Several
    // months, each by two callers at once, so the race is run more than once.
    const months = ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"];
    const outcomes = await Promise.all(months.flatMap((m) => [runPayrollMonth(system, programme.id, m), runPayrollMonth(system, programme.id, m)]));
    for (let i = 0; i < months.length; i++) {
      const [a, b] = [outcomes[2 * i], outcomes[2 * i + 1]];
      expect(a.run.id).toBe(b.run.id);
      expect([a.listed, b.listed].sort()).toEqual([false, true]);
    }
    const runs = await db.select().from(payrollRuns).where(eq(payrollRuns.programmeId, programme.id));
    expect(runs).toHaveLength(months.length);
  });

  it("access: only the system or staff run a month; another organisation's contact reads nothing and confirms nothing", async () => {
    const { db } = t;
    const [g1] = await goalIds(db);
    const a = await employer(db);
    const b = await employer(db);
    await pledge(db, a.programme.id, [{ fromMonth: NOV, amountOre: 20000n, goals: [{ goalId: g1, percent: 100 }] }]);
    const outsider = await createPerson(db);
    await expect(runPayrollMonth(ctxFor(db, anonymousActor), a.programme.id, NOV)).rejects.toBeInstanceOf(SignInRequired);
    await expect(runPayrollMonth(a.contact, a.programme.id, NOV)).rejects.toBeInstanceOf(Forbidden);
    await expect(runPayrollMonth(ctxFor(db, { kind: "person", personId: outsider.id, email: outsider.email, name: null, roles: [], organisations: [] }), a.programme.id, NOV)).rejects.toBeInstanceOf(Forbidden);
    const { run } = await runPayrollMonth(systemContext(db, "test"), a.programme.id, NOV);

    await expect(payrollFile(b.contact, run.id, "paxml")).rejects.toBeInstanceOf(Forbidden);
    await expect(payrollFile(b.contact, run.id, "csv")).rejects.toBeInstanceOf(Forbidden);
    await expect(payrollRunView(b.contact, run.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(listPayrollRuns(b.contact, a.org.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(confirmRun(b.contact, run.id, { confirm: "yes" })).rejects.toBeInstanceOf(Forbidden);
    await expect(payrollFile(ctxFor(db, anonymousActor), run.id, "csv")).rejects.toBeInstanceOf(SignInRequired);
    const [still] = await db.select().from(payrollRuns).where(eq(payrollRuns.id, run.id));
    expect(still.status).toBe("draft");
    expect((await listPayrollRuns(a.contact, a.org.id)).map((r) => r.id)).toEqual([run.id]);
    // Bad input: a format that is not offered, a per-mille amount that is not a number → 400, nothing written.
    await expect(payrollFile(a.contact, run.id, "pdf")).rejects.toMatchObject({ status: 400 });
    await expect(confirmRun(a.contact, run.id, { confirm: "yes", reported: { "1": "mycket" } })).rejects.toMatchObject({ status: 400 });
    await expect(confirmRun(a.contact, run.id, { reported: {} })).rejects.toMatchObject({ status: 400, fieldErrors: { confirm: "confirmation_required" } });
    const [unchanged] = await db.select().from(payrollRuns).where(eq(payrollRuns.id, run.id));
    expect(unchanged.status).toBe("draft");
    expect(unchanged.invoiceId).toBeNull();
  });

  it("a run that fails halfway writes nothing and runs again once the cause is gone", async () => {
    const { db } = t;
    const [g1] = await goalIds(db);
    const { programme } = await employer(db);
    await pledge(db, programme.id, [{ fromMonth: NOV, amountOre: 20000n, goals: [{ goalId: g1, percent: 100 }] }]);
    // A pledge whose terms name a goal that does not exist: its line cannot be written, after the run row was.
    const broken = await pledge(db, programme.id, [{ fromMonth: NOV, amountOre: 20000n, goals: [{ goalId: 999_999, percent: 100 }] }], { name: "Ö sist" });
    const staff = await staffContext(db);
    await expect(runPayrollMonth(staff, programme.id, NOV)).rejects.toThrow();
    expect(await db.select().from(payrollRuns).where(eq(payrollRuns.programmeId, programme.id))).toHaveLength(0);
    await db.update(workplacePledgeTerms).set({ goals: [{ goalId: g1, percent: 100 }] }).where(eq(workplacePledgeTerms.pledgeId, broken.pledge.id));
    const { run, listed } = await runPayrollMonth(staff, programme.id, NOV);
    expect(listed).toBe(true);
    const lines = await db.select().from(payrollRunLines).where(eq(payrollRunLines.runId, run.id));
    expect(lines).toHaveLength(2);
    // Staff re-run a draft: the list is made again, not doubled.
    const again = await runPayrollMonth(staff, programme.id, NOV);
    expect(again.run.attempt).toBe(2);
    expect(await db.select().from(payrollRunLines).where(eq(payrollRunLines.runId, run.id))).toHaveLength(2);
  });

  it("difference rule carry: money paid over one month's invoice pays part of the next", async () => {
    const { db } = t;
    const staff = await staffContext(db);
    await completeInvoiceSettings(staff);
    const [g1] = await goalIds(db);
    const { programme, contact } = await employer(db, { differenceRule: "carry" });
    await pledge(db, programme.id, [{ fromMonth: NOV, amountOre: 20000n, goals: [{ goalId: g1, percent: 100 }] }]);
    const system = systemContext(db, "test");
    const nov = await runPayrollMonth(system, programme.id, NOV);
    const { invoice } = await confirmRun(contact, nov.run.id, { confirm: "yes" });
    await markInvoicePaid(staff, invoice!.id, { paidOn: "2026-11-28", amount: "250", reference: "över" }, new Date("2026-11-28T12:00:00Z"));
    const dec = await runPayrollMonth(system, programme.id, "2026-12");
    const next = await confirmRun(contact, dec.run.id, { confirm: "yes" });
    expect(next.run.differenceOre).toBe(-5000n);
    expect(next.invoice!.paidOre).toBe(5000n);
    expect(next.invoice!.status).not.toBe("paid");
    // The credit is used once.
    const jan = await runPayrollMonth(system, programme.id, "2027-01");
    expect((await confirmRun(contact, jan.run.id, { confirm: "yes" })).run.differenceOre).toBe(0n);
  });
});
