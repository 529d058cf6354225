import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { isUniqueViolation, pipelinedTransaction, type Db, type Tx } from "~db/client.server";
import { organisations, payrollRunLines, payrollRuns, workplaceProgrammes, type Invoice, type Organisation, type PayrollRun, type PayrollRunLine, type WorkplaceProgramme } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { isStaffActor, mayActForOrganisation, personIdOf, requirePerson, systemContext, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { invoiceSeller } from "~/services/invoices/invoices-send.server";
import { sendInvoiceThroughStripe } from "~/services/invoices/stripe-invoice.server";
import { runBuilt, runRaw, type PreparedStatements } from "~/services/payments/hot-queries.server";
import { confirmRunInput } from "~/validation/workplace-run";
import { pledgeTermsForMonth } from "./pledge-read.server";
import { deducts, listRun, settleRun, SettleError, splitByWeights, type ListedPledge, type RunChange } from "./payroll-compute";
import { issueRunInvoice } from "./payroll-invoice.server";
import { confirmPlaceholders, newRunValues, payrollStatements } from "./payroll-statements.server";
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

/** The system (the job) or staff; nobody else starts a run. */
function requireRunner(ctx: ServiceContext): void {
  if (ctx.actor.kind === "system") return;
  const person = requirePerson(ctx);
  if (!isStaffActor(person)) throw new Forbidden("staff_only");
}

/** The lines a listed pledge makes: one per goal of its split, the fixed amount split exactly, null for per-mille. */
function linesOf(p: ListedPledge): LineRow[] {
  const amounts = p.amountOre === null ? null : splitByWeights(p.amountOre, p.goals.map((g) => BigInt(g.percent)));
  return p.goals.map((g, j) => ({
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
function insertLines(tx: Tx, statements: PreparedStatements, runId: number, rows: LineRow[]): Promise<unknown> {
  if (!rows.length) return Promise.resolve();
  return runRaw(
    tx,
    "payroll_insert_lines",
    () => sql`insert into payroll_run_lines (run_id, person_id, pledge_id, kind, change, employee_number, employee_name, rate_tenths, share_percent, goal_id, amount_ore)
      select ${sql.placeholder("runId")}, person_id, pledge_id, kind, change, employee_number, employee_name, rate_tenths, share_percent, goal_id, amount_ore
      from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as r(person_id integer, pledge_id integer, kind text, change text, employee_number text,
        employee_name text, rate_tenths integer, share_percent integer, goal_id integer, amount_ore bigint)`,
    { runId, rows: JSON.stringify(rows) },
    statements,
  );
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
  try {
    return await listMonth(ctx, programmeId, month);
  } catch (error) {
    // Another instance inserted this month's run after our read: ours rolled back; now we find theirs.
    if (!isUniqueViolation(error)) throw error;
    return listMonth(ctx, programmeId, month);
  }
}

async function listMonth(ctx: ServiceContext, programmeId: number, month: string): Promise<RunOutcome> {
  const statements = payrollStatements(ctx.db);
  const now = new Date();
  const values = { programmeId, month };
  return pipelinedTransaction(ctx.db, async (tx) => {
    // One round trip, with BEGIN: the programme, this month's run if there is one (locked, so a
    // re-run and a confirmation queue up), the pledges' terms, and the id a new run gets.
    const [[programme], [existing], entries, [next]] = await Promise.all([
      runBuilt<WorkplaceProgramme>(tx, "payroll_programme", () => tx.select().from(workplaceProgrammes).where(eq(workplaceProgrammes.id, sql.placeholder("programmeId"))), values, statements),
      runBuilt<PayrollRun>(
        tx,
        "payroll_run_of_month",
        () =>
          tx
            .select()
            .from(payrollRuns)
            .where(
              and(
                eq(payrollRuns.organisationId, sql`(select ${workplaceProgrammes.organisationId} from ${workplaceProgrammes} where ${workplaceProgrammes.id} = ${sql.placeholder("programmeId")})`),
                eq(payrollRuns.month, sql.placeholder("month")),
              ),
            )
            .for("update"),
        values,
        statements,
      ),
      pledgeTermsForMonth(tx, programmeId, month, statements),
      runRaw<{ id: number }>(tx, "payroll_run_next_id", () => sql`select nextval(pg_get_serial_sequence('payroll_runs', 'id'))::int as id`, {}, statements),
    ]);
    if (!programme) throw new NotFound("programme_not_found");
    if (existing && ctx.actor.kind === "system") return { run: existing, listed: false };
    if (existing?.status === "confirmed") throw new Conflict("run_confirmed");
    if (!existing && programme.status === "closed") throw new Conflict("programme_closed");
    const list = listRun(entries);
    const employeesOre = list.reduce((s, p) => s + (p.amountOre ?? 0n), 0n);
    let run: PayrollRun;
    if (existing) {
      // Staff re-run a draft: the old list goes, the new one comes (rare; plain statements).
      run = { ...existing, employeesOre, matchOre: 0n, attempt: existing.attempt + 1, updatedAt: now };
      await tx.delete(payrollRunLines).where(eq(payrollRunLines.runId, run.id));
      await tx.update(payrollRuns).set({ employeesOre, matchOre: 0n, attempt: run.attempt, updatedAt: now }).where(eq(payrollRuns.id, run.id));
    } else {
      run = { id: next.id, organisationId: programme.organisationId, programmeId, month, status: "draft", confirmedAt: null, confirmedByPersonId: null, invoiceId: null, employeesOre, matchOre: 0n, differenceOre: 0n, attempt: 1, createdAt: now, updatedAt: now };
    }
    await Promise.all([
      // A run made by another instance since our read fails here (unique per employer and month).
      existing ? null : runBuilt(tx, "payroll_insert_run", () => tx.insert(payrollRuns).values(newRunValues), run, statements),
      insertLines(tx, statements, run.id, list.flatMap((p) => linesOf(p))),
    ]);
    if (ctx.actor.kind === "person") {
      await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "payroll_run_listed", organisationId: programme.organisationId, details: { runId: run.id, month, attempt: run.attempt } });
    }
    return { run, listed: true };
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
export async function listedPledges(db: Db | Tx, runId: number, statements?: PreparedStatements): Promise<ListedPledge[]> {
  const rows = await runBuilt<PayrollRunLine>(
    db,
    "payroll_listed_pledges",
    () =>
      db
        .select()
        .from(payrollRunLines)
        .where(and(eq(payrollRunLines.runId, sql.placeholder("runId")), eq(payrollRunLines.kind, "employee")))
        .orderBy(asc(payrollRunLines.id)),
    { runId },
    statements ?? payrollStatements(db),
  );
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

/**
 * The confirm form checked with the page's own schema (app/validation/workplace-run.ts), against the
 * pledges that deduct this month; an amount for any other pledge is parsed too and left for settleRun
 * to refuse (reported_not_listed). Errors keyed as the form's fields: `reported.<pledgeId>`, `confirm`.
 */
function parseConfirm(list: readonly ListedPledge[], input: ConfirmInput): Map<number, bigint> {
  const parsed = confirmRunInput(list.filter(deducts).map((p) => ({ pledgeId: p.pledgeId, required: p.amountOre === null }))).safeParse(input);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.slice(0, 2).join(".")] ??= issue.message;
  const reported = new Map<number, bigint>();
  for (const [key, ore] of Object.entries(parsed.data?.reported ?? {})) {
    if (ore === null) continue;
    if (/^\d{1,9}$/.test(key)) reported.set(Number(key), ore);
    else errors[`reported.${key}`] ??= "reported_not_listed";
  }
  const codes = Object.values(errors);
  if (codes.length) throw new Invalid(codes.includes("confirmation_required") ? "confirmation_required" : codes[0], errors);
  return reported;
}

/** What is left of the programme's yearly match pot before this month's run (pot mode). */
async function potLeft(tx: Tx, programme: WorkplaceProgramme, month: string): Promise<bigint> {
  const year = month.slice(0, 4);
  const [used] = await tx
    .select({ sum: sql<string>`coalesce(sum(${payrollRuns.matchOre}), 0)` })
    .from(payrollRuns)
    .where(and(eq(payrollRuns.programmeId, programme.id), eq(payrollRuns.status, "confirmed"), gte(payrollRuns.month, `${year}-01-01`), lt(payrollRuns.month, `${Number(year) + 1}-01-01`)))
    .prepare("payroll_pot_used")
    .execute();
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
  const statements = payrollStatements(ctx.db);
  const outcome = await pipelinedTransaction(ctx.db, async (tx) => {
    // With BEGIN, in one round trip: the run with its programme and employer (the run locked, so a
    // re-run and a second confirmation queue up behind it) and its list. The list is only used once
    // the access check below has passed.
    // The charity's invoice settings (the seller) go in the same round trip.
    const seller = invoiceSeller(tx, { named: true });
    seller.catch(() => undefined); // awaited only for a bank invoice; a failure there is thrown there
    const [[row], list] = await Promise.all([
      runBuilt<{ run: PayrollRun; programme: WorkplaceProgramme; org: Organisation }>(
        tx,
        "payroll_confirm_run",
        () =>
          tx
            .select({ run: payrollRuns, programme: workplaceProgrammes, org: organisations })
            .from(payrollRuns)
            .innerJoin(workplaceProgrammes, eq(workplaceProgrammes.id, payrollRuns.programmeId))
            .innerJoin(organisations, eq(organisations.id, payrollRuns.organisationId))
            .where(eq(payrollRuns.id, sql.placeholder("runId")))
            .for("update", { of: payrollRuns }),
        { runId },
        statements,
      ),
      listedPledges(tx, runId, statements),
    ]);
    if (!row) throw new NotFound("run_not_found");
    if (!mayActForOrganisation(person, row.run.organisationId)) throw new Forbidden();
    const { run, programme, org } = row;
    if (run.status === "confirmed") throw new Conflict("run_confirmed");
    const reported = parseConfirm(list, input);
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
    // The reported amounts onto their lines and the match lines (a draft has employee lines only:
    // the match is made here, once), sent together with the invoice's first statements.
    const lineWrites = Promise.all([
      writeReported(tx, statements, run.id, settled.lines.filter((l) => l.kind === "employee" && reported.has(l.pledgeId!))),
      insertLines(
        tx,
        statements,
        run.id,
        settled.lines
          .filter((l) => l.kind === "match")
          .map((l) => ({ person_id: null, pledge_id: null, kind: "match", change: "unchanged", employee_number: null, employee_name: null, rate_tenths: null, share_percent: 100, goal_id: l.goalId, amount_ore: l.amountOre.toString() })),
      ),
    ]);
    lineWrites.catch(() => undefined); // awaited below
    // The run confirmed (and audited), sent with the invoice: its id comes with the invoice's number.
    let confirmed = run;
    const confirmWrites = async (invoiceId: number | null) => {
      const { employeesOre, matchOre } = settled;
      const [[row]] = await Promise.all([
        runBuilt<PayrollRun>(
          tx,
          "payroll_confirm_update",
          () =>
            tx
              .update(payrollRuns)
              .set(confirmPlaceholders)
              .where(eq(payrollRuns.id, sql.placeholder("runId")))
              .returning(),
          { now, personId: person.personId, invoiceId, employeesOre, matchOre, runId: run.id },
          statements,
        ),
        recordAudit(
          tx,
          {
            actorPersonId: person.personId,
            action: "payroll_run_confirmed",
            organisationId: run.organisationId,
            details: { runId: run.id, month: run.month, employeesOre: employeesOre.toString(), matchOre: matchOre.toString(), invoiceId },
          },
          { statements },
        ),
      ]);
      confirmed = row;
    };
    const invoice = settled.totalOre > 0n ? await issueRunInvoice(tx, statements, run, programme, org, settled.invoiceLines, now, seller, confirmWrites) : (await confirmWrites(null), null);
    await lineWrites;
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
async function writeReported(tx: Tx, statements: PreparedStatements, runId: number, lines: { pledgeId: number | null; goalId: number; amountOre: bigint }[]): Promise<void> {
  if (!lines.length) return;
  const rows = JSON.stringify(lines.map((l) => ({ pledge_id: l.pledgeId, goal_id: l.goalId, amount: l.amountOre.toString() })));
  await runRaw(
    tx,
    "payroll_write_reported",
    () => sql`update payroll_run_lines l set amount_ore = v.amount, reported_ore = v.amount
      from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as v(pledge_id integer, goal_id integer, amount bigint)
      where l.run_id = ${sql.placeholder("runId")} and l.kind = 'employee' and l.pledge_id = v.pledge_id and l.goal_id = v.goal_id`,
    { rows, runId },
    statements,
  );
}
