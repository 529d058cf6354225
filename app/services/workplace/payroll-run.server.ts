import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, invoiceLines, invoices, organisations, payrollRunLines, payrollRuns, stripeInvoiceDeliveries, workplaceProgrammes, type Invoice, type PayrollRun, type WorkplaceProgramme } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { isStaffActor, mayActForOrganisation, personIdOf, requirePerson, systemContext, type ServiceContext } from "~/services/context";
import { enqueueEmailWithAttachments } from "~/services/email/attachments.server";
import { Conflict, Forbidden, Invalid, NotFound, ServiceError } from "~/services/errors";
import { invoiceSettingsProblem } from "~/services/invoices/invoice-pdf.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { assignNumber, invoiceEmailProps, invoiceSeller, renderInvoicePdf } from "~/services/invoices/invoices-send.server";
import { sendInvoiceThroughStripe } from "~/services/invoices/stripe-invoice.server";
import { pledgeTermsForMonth } from "./pledge-read.server";
import { listRun, settleRun, SettleError, splitByWeights, type ListedPledge } from "./payroll-compute";
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

const INVOICE_DAYS = 30;
const DAY_MS = 86_400_000;

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
function linesOf(runId: number, p: ListedPledge) {
  const amounts = p.amountOre === null ? null : splitByWeights(p.amountOre, p.goals.map((g) => BigInt(g.percent)));
  return p.goals.map((g, j) => ({
    runId,
    personId: p.personId,
    pledgeId: p.pledgeId,
    kind: "employee" as const,
    change: p.change,
    employeeNumber: p.employeeNumber,
    employeeName: p.employeeName,
    rateTenths: p.rateTenths,
    sharePercent: g.percent,
    goalId: g.goalId,
    amountOre: amounts ? amounts[j] : null,
  }));
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
    const rows = list.flatMap((p) => linesOf(run.id, p));
    // Inserted in chunks: one statement per 1 000 lines keeps a large employer under the parameter limit.
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(payrollRunLines).values(rows.slice(i, i + 1000));
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
  const pre = await runForReader(ctx, runId);
  if (input.confirm !== "yes" && input.confirm !== "on" && input.confirm !== true) throw new Invalid("confirmation_required", { confirm: "confirmation_required" });
  const reported = parseReported(input.reported);
  const outcome = await ctx.db.transaction(async (tx) => {
    const [run] = await tx.select().from(payrollRuns).where(eq(payrollRuns.id, pre.id)).for("update");
    if (run.status === "confirmed") throw new Conflict("run_confirmed");
    const programme = await programmeById(tx, run.programmeId);
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
    // The lines get their final amounts; the reported ones keep what the employer said, per goal.
    await tx.delete(payrollRunLines).where(and(eq(payrollRunLines.runId, run.id), eq(payrollRunLines.kind, "match")));
    const existing = await tx.select({ id: payrollRunLines.id, pledgeId: payrollRunLines.pledgeId, goalId: payrollRunLines.goalId }).from(payrollRunLines).where(eq(payrollRunLines.runId, run.id));
    const lineId = new Map(existing.map((l) => [`${l.pledgeId}:${l.goalId}`, l.id]));
    const updates = settled.lines
      .filter((l) => l.kind === "employee")
      .map((l) => ({ id: lineId.get(`${l.pledgeId}:${l.goalId}`)!, amountOre: l.amountOre, reported: reported.has(l.pledgeId!) }));
    if (updates.length) {
      // One statement for all lines (a big employer has thousands).
      const values = sql.join(
        updates.map((u) => sql`(${u.id}::integer, ${u.amountOre.toString()}::bigint, ${u.reported}::boolean)`),
        sql`, `,
      );
      await tx.execute(sql`update payroll_run_lines l set amount_ore = v.amount, reported_ore = case when v.reported then v.amount else null end
        from (values ${values}) as v(id, amount, reported) where l.id = v.id`);
    }
    const matchLines = settled.lines.filter((l) => l.kind === "match");
    if (matchLines.length) {
      await tx.insert(payrollRunLines).values(matchLines.map((l) => ({ runId: run.id, kind: "match" as const, change: "unchanged" as const, goalId: l.goalId, sharePercent: 100, amountOre: l.amountOre })));
    }
    const invoice = settled.totalOre > 0n ? await issueRunInvoice(tx, run, programme, settled.invoiceLines, now) : null;
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

const invoiceWords = {
  sv: { employees: "Löneavdrag {month}", match: "Arbetsgivarens matchning {month}" },
  en: { employees: "Payroll deductions {month}", match: "Employer's match {month}" },
};

/** The month's invoice: buyer = the employer, lines per goal, numbered, and sent (bank) or handed to Stripe. */
async function issueRunInvoice(tx: Tx, run: PayrollRun, programme: WorkplaceProgramme, lines: { kind: "employee" | "match"; goalId: number; amountOre: bigint }[], now: Date): Promise<Invoice> {
  const [org] = await tx.select().from(organisations).where(eq(organisations.id, run.organisationId));
  const locale = "sv" as const;
  const words = invoiceWords[locale];
  const month = run.month.slice(0, 7);
  const delivery = programme.paymentMethod === "stripe" ? "stripe" : "bank";
  const address = [org.address, [org.postalCode, org.city].filter(Boolean).join(" ")].filter(Boolean).join("\n");
  if (!org.invoiceEmail) throw new ServiceError(409, "invoice_email_missing", { invoiceEmail: "required" });
  const [draft] = await tx
    .insert(invoices)
    .values({
      organisationId: org.id,
      issueDate: swedishDate(now),
      dueDate: swedishDate(new Date(now.getTime() + INVOICE_DAYS * DAY_MS)),
      buyerName: org.name,
      buyerOrgNumber: org.orgNumber,
      buyerAddress: address || org.name,
      buyerEmail: org.invoiceEmail,
      buyerReference: org.invoiceReference,
      locale,
      delivery,
      channel: "salary_giving",
      totalOre: lines.reduce((s, l) => s + l.amountOre, 0n),
      payrollRunId: run.id,
      demo: programme.demo,
    })
    .returning();
  const goalIds = [...new Set(lines.map((l) => l.goalId))];
  const titles = new Map((await tx.select({ id: goals.id, titleSv: goals.titleSv }).from(goals)).filter((g) => goalIds.includes(g.id)).map((g) => [g.id, g.titleSv]));
  await tx.insert(invoiceLines).values(
    lines.map((l, i) => ({
      invoiceId: draft.id,
      position: i + 1,
      text: `${(l.kind === "employee" ? words.employees : words.match).replace("{month}", month)} – ${titles.get(l.goalId) ?? ""}`.trim(),
      amountOre: l.amountOre,
      goalId: l.goalId,
    })),
  );
  const invoice = await assignNumber(tx, draft, now);
  if (delivery === "stripe") {
    await tx.insert(stripeInvoiceDeliveries).values({ invoiceId: invoice.id }).onConflictDoNothing();
    return invoice;
  }
  const seller = await invoiceSeller(tx);
  const problem = invoiceSettingsProblem(seller);
  // A demo employer's invoice (db/demo/workplace.ts) is numbered but not mailed while the charity's
  // invoice settings are unset: the demo must load on a fresh database, and it has no real buyer.
  if (problem && programme.demo) return invoice;
  if (problem) throw problem;
  await enqueueEmailWithAttachments(
    tx,
    { to: invoice.buyerEmail, template: "company-invoice", locale, props: invoiceEmailProps(invoice, seller), dedupeKey: `company-invoice:${invoice.id}` },
    [await renderInvoicePdf(tx, invoice, seller)],
  );
  return invoice;
}

