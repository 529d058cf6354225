import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { organisations, payrollRunLines, payrollRuns, workplaceProgrammes, type Invoice, type PayrollRun, type WorkplaceProgramme } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { isStaffActor, mayActForOrganisation, personIdOf, requirePerson, systemContext, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { sendInvoiceThroughStripe } from "~/services/invoices/stripe-invoice.server";
import { pledgeTermsForMonth } from "./pledge-read.server";
import { deducts, listRun, settleRun, SettleError, splitByWeights, type ListedPledge, type RunChange } from "./payroll-compute";
import { issueRunInvoice } from "./payroll-invoice.server";
import { applyCarriedCredit } from "./reconcile-carry.server";

/**
 * The monthly payroll run (issue 13 item 5). A run per employer and month (payroll_runs is unique on
 * organisation + month, so two instances running the job make one); the list is the pledges'
 * terms for the month (wpledge's pledgeTermsForMonth) through listRun, written as lines (one per
 * pledge and goal) in ONE transaction: a run that fails halfway writes nothing and can run again.
 * Staff (or the job, again) may re-run a draft; a confirmed run is final. The employer's contact
 * confirms it (reported amounts for per-mille pledges and leavers), which settles it (settleRun) and
 * issues one invoice through the invoice module: per goal the employees' total, then per goal the match.
 */

/** "2026-11" or "2026-11-01" → "2026-11-01"; anything else is refused. */
export function parseMonth(value: unknown): string {
  const m = typeof value === "string" ? /^(\d{4})-(0[1-9]|1[0-2])(?:-01)?$/.exec(value.trim()) : null;
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100) throw new Invalid("invalid_month", { month: "invalid_month" });
  return `${m[1]}-${m[2]}-01`;
}

async function programmeById(db: Db | Tx, programmeId: number): Promise<WorkplaceProgramme> {
  const [programme] = await db.select().from(workplaceProgrammes).where(eq(workplaceProgrammes.id, programmeId));
  if (!programme) throw new NotFound("programme_not_found");
  return programme;
}

/** The system (the job) or staff; nobody else starts a run. */
function requireRunner(ctx: ServiceContext): void {
  if (ctx.actor.kind === "system") return;
  const person = requirePerson(ctx);
  if (!isStaffActor(person)) throw new Forbidden("staff_only");
}

/** The lines a listed pledge makes: one per goal of its split, the fixed amount split exactly, null for per-mille. */
function linesOf(runId: number, p: ListedPledge): LineRow[] {
  const amounts = p.amountOre === null ? null : splitByWeights(p.amountOre, p.goals.map((g) => BigInt(g.percent)));
  return p.goals.map((g, j) => ({
    run_id: runId,
    person_id: p.personId,
    pledge_id: p.pledgeId,
    kind: "employee",
    change: p.change,
    employee_number: p.employeeNumber,
    employee_name: p.employeeName,
    rate_tenths: p.rateTenths,
    share_percent: g.percent,
    goal_id: g.goalId,
    amount_ore: amounts ? amounts[j].toString() : null,
  }));
}

interface LineRow {
  run_id: number;
  person_id: number | null;
  pledge_id: number | null;
  kind: "employee" | "match";
  change: RunChange;
  employee_number: string | null;
  employee_name: string | null;
  rate_tenths: number | null;
  share_percent: number;
  goal_id: number;
  amount_ore: string | null;
}

/**
 * A run's lines in one statement whatever their number: the rows travel as one JSON parameter
 * (jsonb_to_recordset), which costs a fraction of building one bound parameter per cell (a month of
 * 10,000 pledges is 13,000 lines) and never meets the protocol's 65,535-parameter limit.
 */
async function insertLines(tx: Tx, rows: LineRow[]): Promise<void> {
  if (!rows.length) return;
  await tx.execute(sql`insert into payroll_run_lines (run_id, person_id, pledge_id, kind, change, employee_number, employee_name, rate_tenths, share_percent, goal_id, amount_ore)
    select run_id, person_id, pledge_id, kind, change, employee_number, employee_name, rate_tenths, share_percent, goal_id, amount_ore
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(run_id integer, person_id integer, pledge_id integer, kind text, change text, employee_number text,
      employee_name text, rate_tenths integer, share_percent integer, goal_id integer, amount_ore bigint)`);
}

export interface RunOutcome {
  run: PayrollRun;
  /** False when the run existed (a job delivered again) and was left as it was. */
  listed: boolean;
}

/**
 * Lists a programme's month. The job (system) makes the run once: a second delivery finds it and
 * leaves it. Staff re-run a draft (the list is made again from the terms in force now, `attempt` + 1);
 * a confirmed run is refused (409, nothing written).
 */
export async function runPayrollMonth(ctx: ServiceContext, programmeId: number, monthInput: string): Promise<RunOutcome> {
  requireRunner(ctx);
  const month = parseMonth(monthInput);
  return ctx.db.transaction(async (tx) => {
    const programme = await programmeById(tx, programmeId);
    const inserted = await tx
      .insert(payrollRuns)
      .values({ organisationId: programme.organisationId, programmeId, month })
      .onConflictDoNothing({ target: [payrollRuns.organisationId, payrollRuns.month] })
      .returning();
    let run = inserted[0];
    if (!run) {
      // The unique row exists: lock it so a re-run and a confirmation queue up.
      [run] = await tx.select().from(payrollRuns).where(and(eq(payrollRuns.organisationId, programme.organisationId), eq(payrollRuns.month, month))).for("update");
      if (run.status === "confirmed") {
        if (ctx.actor.kind === "system") return { run, listed: false };
        throw new Conflict("run_confirmed");
      }
      if (ctx.actor.kind === "system") return { run, listed: false };
      await tx.delete(payrollRunLines).where(eq(payrollRunLines.runId, run.id));
    } else if (programme.status === "closed") {
      throw new Conflict("programme_closed");
    }
    const list = listRun(await pledgeTermsForMonth(tx, programmeId, month));
    await insertLines(tx, list.flatMap((p) => linesOf(run.id, p)));
    const employeesOre = list.reduce((s, p) => s + (p.amountOre ?? 0n), 0n);
    const [updated] = await tx
      .update(payrollRuns)
      .set({ employeesOre, matchOre: 0n, attempt: inserted[0] ? 1 : sql`${payrollRuns.attempt} + 1`, updatedAt: new Date() })
      .where(eq(payrollRuns.id, run.id))
      .returning();
    if (ctx.actor.kind === "person") {
      await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "payroll_run_listed", organisationId: programme.organisationId, details: { runId: run.id, month, attempt: updated.attempt } });
    }
    return { run: updated, listed: true };
  });
}

/** The run, for someone who may see it: the employer's contact or staff (anyone else: 403, as if it were not theirs). */
export async function runForReader(ctx: ServiceContext, runId: number): Promise<PayrollRun> {
  const person = requirePerson(ctx);
  const [run] = await ctx.db.select().from(payrollRuns).where(eq(payrollRuns.id, runId));
  if (!run) throw new NotFound("run_not_found");
  if (!mayActForOrganisation(person, run.organisationId)) throw new Forbidden();
  return run;
}

/** The listed pledges of a run, from its lines (a snapshot: the file is what was listed, whatever changed since). */
export async function listedPledges(db: Db | Tx, runId: number): Promise<ListedPledge[]> {
  const rows = await db
    .select()
    .from(payrollRunLines)
    .where(and(eq(payrollRunLines.runId, runId), eq(payrollRunLines.kind, "employee")))
    .orderBy(asc(payrollRunLines.id));
  const byPledge = new Map<number, ListedPledge>();
  for (const r of rows) {
    const id = r.pledgeId!;
    let p = byPledge.get(id);
    if (!p) {
      p = { pledgeId: id, personId: r.personId!, employeeName: r.employeeName, employeeNumber: r.employeeNumber, change: r.change, kind: r.rateTenths === null ? "fixed" : "per_mille", amountOre: null, rateTenths: r.rateTenths, goals: [] };
      byPledge.set(id, p);
    }
    p.goals.push({ goalId: r.goalId, percent: r.sharePercent });
    if (r.rateTenths === null) p.amountOre = (p.amountOre ?? 0n) + (r.amountOre ?? 0n);
  }
  // As listRun lists them: a paused or stopped pledge deducts 0, per-mille ones too.
  for (const p of byPledge.values()) if (!deducts(p)) p.amountOre = 0n;
  return [...byPledge.values()];
}

export interface ConfirmInput {
  /** Per pledge id, kronor as typed ("250", "187,50"); required for per-mille pledges. */
  reported?: Record<string, unknown>;
  confirm?: unknown;
}

function parseReported(input: Record<string, unknown> | undefined): Map<number, bigint> {
  const out = new Map<number, bigint>();
  const errors: Record<string, string> = {};
  for (const [key, raw] of Object.entries(input ?? {})) {
    if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) continue;
    const pledgeId = /^\d{1,9}$/.test(key) ? Number(key) : NaN;
    const text = typeof raw === "string" ? raw : typeof raw === "number" || typeof raw === "bigint" ? String(raw) : "";
    const cleaned = text.replace(/[\s\u00a0]/g, "").replace(/kr$/i, "").replace(",", ".");
    const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(cleaned);
    if (Number.isNaN(pledgeId) || !m) {
      errors[`reported.${key}`] = "reported_invalid";
      continue;
    }
    out.set(pledgeId, BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0")));
  }
  if (Object.keys(errors).length) throw new Invalid("reported_invalid", errors);
  return out;
}

/** What is left of the programme's yearly match pot before this month's run (pot mode). */
async function potLeft(tx: Tx, programme: WorkplaceProgramme, month: string): Promise<bigint> {
  const year = month.slice(0, 4);
  const [used] = await tx
    .select({ sum: sql<string>`coalesce(sum(${payrollRuns.matchOre}), 0)` })
    .from(payrollRuns)
    .where(and(eq(payrollRuns.programmeId, programme.id), eq(payrollRuns.status, "confirmed"), gte(payrollRuns.month, `${year}-01-01`), lt(payrollRuns.month, `${Number(year) + 1}-01-01`)));
  const left = (programme.matchPotOre ?? 0n) - BigInt(used.sum);
  return left > 0n ? left : 0n;
}

export interface ConfirmOutcome {
  run: PayrollRun;
  invoice: Invoice | null;
}

/**
 * The employer confirms the month: what was deducted (as listed, or as reported), the match, and one
 * invoice (channel salary_giving, payroll_run_id set) issued in the same transaction — a bank invoice
 * numbered and emailed with its PDF, a Stripe invoice numbered and sent through Stripe after the
 * commit. A confirmed run is refused (409), bad amounts are refused next to the field (400); either
 * way nothing is written. A month where nobody gave is confirmed without an invoice.
 */
export async function confirmRun(ctx: ServiceContext, runId: number, input: ConfirmInput, now = new Date()): Promise<ConfirmOutcome> {
  const person = requirePerson(ctx);
  const outcome = await ctx.db.transaction(async (tx) => {
    // The run and its programme and employer in one read, the run locked: a re-run and a second
    // confirmation queue up behind it.
    const [row] = await tx
      .select({ run: payrollRuns, programme: workplaceProgrammes, org: organisations })
      .from(payrollRuns)
      .innerJoin(workplaceProgrammes, eq(workplaceProgrammes.id, payrollRuns.programmeId))
      .innerJoin(organisations, eq(organisations.id, payrollRuns.organisationId))
      .where(eq(payrollRuns.id, runId))
      .for("update", { of: payrollRuns });
    if (!row) throw new NotFound("run_not_found");
    if (!mayActForOrganisation(person, row.run.organisationId)) throw new Forbidden();
    if (input.confirm !== "yes" && input.confirm !== "on" && input.confirm !== true) throw new Invalid("confirmation_required", { confirm: "confirmation_required" });
    const reported = parseReported(input.reported);
    const { run, programme, org } = row;
    if (run.status === "confirmed") throw new Conflict("run_confirmed");
    const list = await listedPledges(tx, run.id);
    let settled;
    try {
      settled = settleRun(list, reported, {
        mode: programme.matchMode,
        percent: programme.matchPercent,
        capOre: programme.matchCapOre,
        potLeftOre: programme.matchMode === "pot" ? await potLeft(tx, programme, run.month) : null,
      });
    } catch (error) {
      if (error instanceof SettleError) throw new Invalid(error.code, { [`reported.${error.pledgeId}`]: error.code });
      throw error;
    }
    await writeReported(tx, run.id, settled.lines.filter((l) => l.kind === "employee" && reported.has(l.pledgeId!)));
    // A draft has employee lines only (the match is made here, once).
    await insertLines(
      tx,
      settled.lines
        .filter((l) => l.kind === "match")
        .map((l) => ({ run_id: run.id, person_id: null, pledge_id: null, kind: "match", change: "unchanged", employee_number: null, employee_name: null, rate_tenths: null, share_percent: 100, goal_id: l.goalId, amount_ore: l.amountOre.toString() })),
    );
    const invoice = settled.totalOre > 0n ? await issueRunInvoice(tx, run, programme, org, settled.invoiceLines, now) : null;
    const [confirmed] = await tx
      .update(payrollRuns)
      .set({
        status: "confirmed",
        confirmedAt: now,
        confirmedByPersonId: person.personId,
        invoiceId: invoice?.id ?? null,
        employeesOre: settled.employeesOre,
        matchOre: settled.matchOre,
        updatedAt: now,
      })
      .where(eq(payrollRuns.id, run.id))
      .returning();
    await recordAudit(tx, {
      actorPersonId: person.personId,
      action: "payroll_run_confirmed",
      organisationId: run.organisationId,
      details: { runId: run.id, month: run.month, employeesOre: settled.employeesOre.toString(), matchOre: settled.matchOre.toString(), invoiceId: invoice?.id ?? null },
    });
    // A credit carried from an earlier month's overpayment pays part of this invoice at once.
    const carried = invoice ? await applyCarriedCredit(tx, programme, confirmed, invoice, now) : null;
    return { run: carried?.run ?? confirmed, invoice: carried?.invoice ?? invoice, stripe: invoice?.delivery === "stripe" && (carried?.invoice ?? invoice).status !== "paid" };
  });
  if (outcome.invoice && outcome.stripe) await sendInvoiceThroughStripe(systemContext(ctx.db, `payroll:${runId}`), outcome.invoice.id);
  return { run: outcome.run, invoice: outcome.invoice };
}

/**
 * The amounts the employer reported, onto their lines. The other lines keep what was listed, which
 * is what settleRun computed for them too (the same exact split of the same amount), so only the
 * reported ones are written: one statement, the rows as one JSON parameter.
 */
async function writeReported(tx: Tx, runId: number, lines: { pledgeId: number | null; goalId: number; amountOre: bigint }[]): Promise<void> {
  if (!lines.length) return;
  const rows = JSON.stringify(lines.map((l) => ({ pledge_id: l.pledgeId, goal_id: l.goalId, amount: l.amountOre.toString() })));
  await tx.execute(sql`update payroll_run_lines l set amount_ore = v.amount, reported_ore = v.amount
    from jsonb_to_recordset(${rows}::jsonb) as v(pledge_id integer, goal_id integer, amount bigint)
    where l.run_id = ${runId} and l.kind = 'employee' and l.pledge_id = v.pledge_id and l.goal_id = v.goal_id`);
}
