import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices, organisations, payments, payrollRuns, workplacePledges } from "~db/schema";
import { demoEmployer, seedWorkplaceDemo } from "~db/demo/workplace";
import { deducts } from "~/services/workplace/payroll-compute";
import { payrollFile } from "~/services/workplace/payroll-read.server";
import { listedPledges } from "~/services/workplace/payroll-run.server";
import { staffContext } from "../invoices/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { paxmlSchemaErrors } from "./paxml-check";

/**
 * Demo workplace giving (issue 13 item 8) and acceptance 1: a fictional employer with 20 employees,
 * three months run, confirmed and paid; the PAXml of a demo month validates against the PAXml 2.0
 * schema with xmllint and holds one deduction per active pledge with its amount and the pay code;
 * the CSV has the same rows. Seeding twice changes nothing.
 */
describe.each(dbTargets)("workplace demo on %s", (target) => {
  const t = useTestDatabase(target);

  it("three months run and paid; a demo month's PAXml is valid with one deduction per active pledge; idempotent", async () => {
    const { db } = t;
    const now = new Date("2026-11-30T10:00:00Z");
    await seedWorkplaceDemo(db, now);
    await seedWorkplaceDemo(db, now);
    const [org] = await db.select().from(organisations).where(eq(organisations.name, demoEmployer.name));
    expect(org.demo).toBe(true);
    expect(await db.select().from(workplacePledges).innerJoin(organisations, eq(organisations.id, org.id))).toHaveLength(20);
    const runs = await db.select().from(payrollRuns).where(eq(payrollRuns.organisationId, org.id)).orderBy(payrollRuns.month);
    expect(runs.map((r) => [r.month, r.status])).toEqual([
      ["2026-08-01", "confirmed"],
      ["2026-09-01", "confirmed"],
      ["2026-10-01", "confirmed"],
    ]);
    for (const run of runs) {
      const [invoice] = await db.select().from(invoices).where(eq(invoices.payrollRunId, run.id));
      expect(invoice.status).toBe("paid");
      expect(invoice.totalOre).toBe(run.employeesOre + run.matchOre);
      const paid = await db.select().from(payments).where(and(eq(payments.companyInvoiceId, invoice.id), eq(payments.status, "paid")));
      expect(paid.reduce((s, p) => s + p.amountOre, 0n)).toBe(invoice.totalOre);
      expect(paid.every((p) => p.channel === "salary_giving" && p.origin === "demo")).toBe(true);
    }

    const staff = await staffContext(db);
    const october = runs[2];
    const list = await listedPledges(db, october.id);
    const xml = (await payrollFile(staff, october.id, "paxml")).body;
    expect(paxmlSchemaErrors(xml)).toBeNull();
    const rows = [...xml.matchAll(/<lonetrans postid="\d+" anstid="(\d+)">([\s\S]*?)<\/lonetrans>/g)];
    expect(rows).toHaveLength(list.length);
    expect(rows.every((r) => r[2].includes("<lonart>9810</lonart>"))).toBe(true);
    const active = list.filter(deducts);
    const deductions = rows.filter((r) => !r[2].includes("<belopp>0.00</belopp>"));
    expect(deductions).toHaveLength(active.length);
    for (const p of active) {
      const row = rows.find((r) => r[1] === p.employeeNumber)!;
      if (p.kind === "fixed") expect(row[2]).toContain(`<belopp>${(Number(p.amountOre) / 100).toFixed(2)}</belopp>`);
      else expect(row[2]).not.toContain("<belopp>");
    }
    // One paused in October (employee 103): listed with 0, no deduction.
    expect(list.find((p) => p.employeeNumber === "103")?.change).toBe("paused");
    const csv = (await payrollFile(staff, october.id, "csv")).body.split("\r\n").filter(Boolean).slice(1);
    expect(csv.map((line) => line.split(";")[1])).toEqual(rows.map((r) => r[1]));
  });
});
