import { and, desc, eq, sql } from "drizzle-orm";
import { invoices, organisations, payrollRunLines, payrollRuns, workplaceProgrammes, type PayrollRun } from "~db/schema";
import { mayActForOrganisation, requireOrganisationActor, requirePerson, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { runBuilt } from "~/services/payments/hot-queries.server";
import { deducts, type ListedPledge } from "./payroll-compute";
import { payrollCsv, payrollPaxml } from "./payroll-csv";
import { listedPledges, runForReader } from "./payroll-run.server";
import { payrollStatements } from "./payroll-statements.server";

/**
 * Reading payroll runs: the employer's contacts see their own organisation's runs, lists and files
 * (issue 13 item 7's privacy: name and amount only in the month's list), staff see every run. A
 * contact of another organisation gets 403 and nothing is read.
 */

export interface PayrollRunSummary {
  id: number;
  organisationId: number;
  organisationName: string;
  month: string;
  status: string;
  attempt: number;
  employeesOre: bigint;
  matchOre: bigint;
  differenceOre: bigint;
  invoiceId: number | null;
  invoiceNumber: bigint | null;
  invoiceStatus: string | null;
  invoiceTotalOre: bigint | null;
  invoicePaidOre: bigint | null;
}

function summaries(ctx: ServiceContext, organisationId: number | null, runId: number | null = null) {
  return ctx.db
    .select({
      id: payrollRuns.id,
      organisationId: payrollRuns.organisationId,
      organisationName: organisations.name,
      month: payrollRuns.month,
      status: payrollRuns.status,
      attempt: payrollRuns.attempt,
      employeesOre: payrollRuns.employeesOre,
      matchOre: payrollRuns.matchOre,
      differenceOre: payrollRuns.differenceOre,
      invoiceId: payrollRuns.invoiceId,
      invoiceNumber: invoices.number,
      invoiceStatus: invoices.status,
      invoiceTotalOre: invoices.totalOre,
      invoicePaidOre: invoices.paidOre,
    })
    .from(payrollRuns)
    .innerJoin(organisations, eq(organisations.id, payrollRuns.organisationId))
    .leftJoin(invoices, eq(invoices.id, payrollRuns.invoiceId))
    .where(and(organisationId === null ? undefined : eq(payrollRuns.organisationId, organisationId), runId === null ? undefined : eq(payrollRuns.id, runId)))
    .orderBy(desc(payrollRuns.month), organisations.name)
    .limit(organisationId === null ? 500 : 120);
}

/** An organisation's runs, newest month first (its contacts and staff). */
export async function listPayrollRuns(ctx: ServiceContext, organisationId: number): Promise<PayrollRunSummary[]> {
  requireOrganisationActor(ctx, organisationId);
  return summaries(ctx, organisationId);
}

/** Every run (staff's page, where a draft is re-run), with the programmes to start a month for. */
export async function staffPayrollRuns(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const runs = await summaries(ctx, null);
  const programmes = await ctx.db
    .select({ id: workplaceProgrammes.id, organisationName: organisations.name, status: workplaceProgrammes.status })
    .from(workplaceProgrammes)
    .innerJoin(organisations, eq(organisations.id, workplaceProgrammes.organisationId))
    .orderBy(organisations.name);
  return { runs, programmes };
}

export interface PayrollRunView {
  run: PayrollRunSummary;
  payCode: string | null;
  list: ListedPledge[];
  /** Per pledge what was deducted (confirmed runs). */
  deducted: Record<number, string>;
  /** Per goal: the employees' and the match's amounts (confirmed runs). */
  perGoal: { goalId: number; kind: string; amountOre: bigint }[];
  needsReport: number[];
}

export async function payrollRunView(ctx: ServiceContext, runId: number): Promise<PayrollRunView> {
  const run = await runForReader(ctx, runId);
  const [summary] = await summaries(ctx, run.organisationId, run.id);
  const [programme] = await ctx.db.select({ payCode: workplaceProgrammes.payCode }).from(workplaceProgrammes).where(eq(workplaceProgrammes.id, run.programmeId));
  const list = await listedPledges(ctx.db, run.id);
  const deducted: Record<number, string> = {};
  if (run.status === "confirmed") {
    const rows = await ctx.db
      .select({ pledgeId: payrollRunLines.pledgeId, sum: sql<string>`sum(${payrollRunLines.amountOre})` })
      .from(payrollRunLines)
      .where(and(eq(payrollRunLines.runId, run.id), eq(payrollRunLines.kind, "employee")))
      .groupBy(payrollRunLines.pledgeId);
    for (const r of rows) deducted[r.pledgeId!] = r.sum;
  }
  const perGoal = await ctx.db
    .select({ goalId: payrollRunLines.goalId, kind: payrollRunLines.kind, amountOre: sql<string>`coalesce(sum(${payrollRunLines.amountOre}), 0)` })
    .from(payrollRunLines)
    .where(eq(payrollRunLines.runId, run.id))
    .groupBy(payrollRunLines.goalId, payrollRunLines.kind)
    .orderBy(payrollRunLines.kind, payrollRunLines.goalId);
  return {
    run: summary,
    payCode: programme?.payCode ?? null,
    list,
    deducted,
    perGoal: perGoal.map((g) => ({ goalId: g.goalId, kind: g.kind, amountOre: BigInt(g.amountOre) })),
    needsReport: list.filter((p) => deducts(p) && p.kind === "per_mille").map((p) => p.pledgeId),
  };
}

export const payrollFileFormats = ["paxml", "csv"] as const;
export type PayrollFileFormat = (typeof payrollFileFormats)[number];

export interface PayrollFile {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * The month's list as a file for the employer's payroll: PAXml 2.0 or CSV, the same rows. Only the
 * organisation's contacts and staff (403 for anyone else, nothing read); the programme needs its pay
 * code (the löneart the file carries) first.
 */
export async function payrollFile(ctx: ServiceContext, runId: number, format: string, now = new Date()): Promise<PayrollFile> {
  if (!(payrollFileFormats as readonly string[]).includes(format)) throw new Invalid("invalid_format", { format: "invalid_format" });
  const person = requirePerson(ctx);
  const statements = payrollStatements(ctx.db);
  // The run with what the file's header needs, in one read; the list once access is settled.
  const [row] = await runBuilt<{ run: PayrollRun; payCode: string | null; payrollDay: number | null; name: string; orgNumber: string | null }>(
    ctx.db,
    "payroll_file_run",
    () =>
      ctx.db
        .select({ run: payrollRuns, payCode: workplaceProgrammes.payCode, payrollDay: workplaceProgrammes.payrollDay, name: organisations.name, orgNumber: organisations.orgNumber })
        .from(payrollRuns)
        .innerJoin(workplaceProgrammes, eq(workplaceProgrammes.id, payrollRuns.programmeId))
        .innerJoin(organisations, eq(organisations.id, workplaceProgrammes.organisationId))
        .where(eq(payrollRuns.id, sql.placeholder("runId"))),
    { runId },
    statements,
  );
  if (!row) throw new NotFound("run_not_found");
  const { run } = row;
  if (!mayActForOrganisation(person, run.organisationId)) throw new Forbidden();
  if (!row.payCode) throw new Conflict("pay_code_missing");
  const input = {
    month: run.month,
    payCode: row.payCode,
    payrollDay: row.payrollDay,
    employer: { name: row.name, organisationNumber: row.orgNumber },
    createdAt: now,
    programName: "Lokala mål",
    list: await listedPledges(ctx.db, run.id, statements),
  };
  const base = `lon-${run.month.slice(0, 7)}-${run.organisationId}`;
  return format === "paxml"
    ? { filename: `${base}.xml`, contentType: "application/xml; charset=utf-8", body: payrollPaxml(input) }
    : { filename: `${base}.csv`, contentType: "text/csv; charset=utf-8", body: payrollCsv(input, ctx.locale) };
}
