import { eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { invoiceLines, invoices, payments, payrollRunLines, people, workplacePledges, workplacePledgeTerms } from "~db/schema";
import { systemContext } from "~/services/context";
import { markInvoicePaid } from "~/services/invoices/invoices.server";
import { deducts, listRun, settleRun, type MatchRule, type PledgeMonth, type TermsLike } from "~/services/workplace/payroll-compute";
import { confirmRun, listedPledges, runPayrollMonth } from "~/services/workplace/payroll-run.server";
import { completeInvoiceSettings, staffContext } from "../invoices/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { employer, goalIds, salaryLedger } from "./payroll-helpers";

/**
 * Property test of the run's arithmetic (issue 13 acceptance 2, pure part; the database part — invoice
 * paid, each goal's ledger — is the last describe below): over random pledge
 * histories (join, change, pause, stop, leave, per-mille amounts reported) and months, the list is
 * right against a model that replays the history, and the settled month adds up: every pledge's
 * deduction is split exactly over its goals, the invoice equals its lines and the lines equal the
 * employees' total plus the match, and the match keeps to its cap or pot.
 */

const GOALS = [1, 2, 3, 4, 5];
const MONTHS = 8;

type Event =
  | { month: number; kind: "set"; terms: Omit<TermsLike, "state"> }
  | { month: number; kind: "pause" }
  | { month: number; kind: "stop" };

function goalsArbOf(ids: readonly number[]) {
  return fc
    .uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 })
    .chain((chosen) =>
      fc.array(fc.integer({ min: 1, max: 98 }), { minLength: chosen.length - 1, maxLength: chosen.length - 1 }).map((cuts) => {
        // Percents summing to 100, each at least 1.
        const sorted = [...new Set(cuts)].sort((a, b) => a - b).slice(0, chosen.length - 1);
        while (sorted.length < chosen.length - 1) sorted.push(sorted.length ? Math.min(99, sorted[sorted.length - 1] + 1) : 50);
        const bounds = [0, ...sorted, 100];
        const percents = chosen.map((_, i) => bounds[i + 1] - bounds[i]);
        if (percents.some((p) => p < 1)) return [{ goalId: chosen[0], percent: 100 }];
        return chosen.map((goalId, i) => ({ goalId, percent: percents[i] }));
      }),
    );
}

function termsArbOf(ids: readonly number[]) {
  const goalsArb = goalsArbOf(ids);
  return fc.oneof(
    fc.record({ kind: fc.constant("fixed" as const), amountOre: fc.bigInt({ min: 5000n, max: 500000n }), rateTenths: fc.constant(null), goals: goalsArb }),
    fc.record({ kind: fc.constant("per_mille" as const), amountOre: fc.constant(null), rateTenths: fc.integer({ min: 1, max: 1000 }), goals: goalsArb }),
  );
}

/** A pledge's history: joins in some month, then up to four changes, pauses or stops in later months. */
function historyArbOf(ids: readonly number[], months: number): fc.Arbitrary<Event[]> {
  const termsArb = termsArbOf(ids);
  return fc
    .tuple(
      fc.integer({ min: 0, max: months - 1 }),
      termsArb,
      fc.array(fc.tuple(fc.integer({ min: 1, max: months - 1 }), fc.oneof(termsArb.map((terms) => ({ kind: "set" as const, terms })), fc.constant({ kind: "pause" as const }), fc.constant({ kind: "stop" as const }))), { maxLength: 4 }),
    )
    .map(([join, first, later]) => {
      // One row per month (a second change for a month replaces the first), months after the join.
      const byMonth = new Map<number, Event>([[join, { month: join, kind: "set", terms: first }]]);
      for (const [offset, e] of later) {
        const month = join + offset;
        if (month < months) byMonth.set(month, Object.assign({ month }, e as object) as Event);
      }
      return [...byMonth.values()].sort((a, b) => a.month - b.month);
    });
}

const historyArb = historyArbOf(GOALS, MONTHS);

/** The terms in force in `month` by replaying the history (pause keeps the last terms, stop ends). */
function replay(history: Event[], month: number): TermsLike | null {
  let current: TermsLike | null = null;
  for (const e of history) {
    if (e.month > month) break;
    if (e.kind === "set") current = { ...e.terms, state: "active" };
    else if (current !== null) current = { ...(current as TermsLike), state: e.kind === "pause" ? "paused" : "stopped" };
  }
  return current;
}

/** Terms as text, goals in id order (the order a split is listed in does not change it). */
function canon(t: TermsLike | null): string {
  if (!t) return "null";
  return JSON.stringify({ ...t, amountOre: String(t.amountOre), goals: [...t.goals].sort((a, b) => a.goalId - b.goalId) });
}

const matchArb: fc.Arbitrary<MatchRule> = fc.oneof(
  fc.constant<MatchRule>({ mode: "none", percent: null, capOre: null, potLeftOre: null }),
  fc.record({ mode: fc.constant("percent" as const), percent: fc.integer({ min: 1, max: 100 }), capOre: fc.option(fc.bigInt({ min: 0n, max: 100000n })), potLeftOre: fc.constant(null) }),
  fc.record({ mode: fc.constant("pot" as const), percent: fc.option(fc.integer({ min: 1, max: 100 })), capOre: fc.constant(null), potLeftOre: fc.bigInt({ min: 0n, max: 2000000n }) }),
);

describe("payroll run arithmetic over random pledge histories", () => {
  it("lists the right pledges with the right change and amount, and the settled month adds up", () => {
    fc.assert(
      fc.property(
        fc.array(historyArb, { minLength: 0, maxLength: 12 }),
        fc.integer({ min: 0, max: MONTHS - 1 }),
        matchArb,
        fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 900000n })), { minLength: 12, maxLength: 12 }),
        (histories, month, rule, reports) => {
          const entries: PledgeMonth[] = histories.map((h, i) => ({
            pledgeId: i + 1,
            personId: 100 + i,
            name: `Anställd ${String(i).padStart(2, "0")}`,
            employeeNumber: String(i + 1),
            terms: replay(h, month),
            previous: month === 0 ? null : replay(h, month - 1),
          }));
          const list = listRun(entries);
          const listed = new Map(list.map((p) => [p.pledgeId, p]));
          expect(listed.size).toBe(list.length);

          // The model: who deducts now, who did last month, who was paused last month.
          for (const e of entries) {
            const now = e.terms?.state ?? null;
            const before = e.previous?.state ?? null;
            const row = listed.get(e.pledgeId);
            if (now === "active") {
              expect(row?.change).toBe(before === "active" ? (canon(e.terms) === canon(e.previous) ? "unchanged" : "changed") : before === "paused" ? "changed" : "new");
              expect(row?.amountOre).toBe(e.terms!.kind === "fixed" ? e.terms!.amountOre : null);
              expect(row?.goals).toEqual(e.terms!.goals);
            } else if (before === "active" && now === "paused") {
              expect(row?.change).toBe("paused");
              expect(row?.amountOre).toBe(0n);
            } else if ((before === "active" || before === "paused") && now === "stopped") {
              expect(row?.change).toBe("stopped");
              expect(row?.amountOre).toBe(0n);
            } else {
              expect(row).toBeUndefined();
            }
          }

          // The employer reports: every per-mille pledge (required), and some fixed ones (a leaver: 0).
          const reported = new Map<number, bigint>();
          list.forEach((p, i) => {
            const [report, amount] = reports[i % reports.length];
            if (!deducts(p)) return;
            if (p.kind === "per_mille") reported.set(p.pledgeId, amount);
            else if (report) reported.set(p.pledgeId, amount % 3n === 0n ? 0n : amount);
          });
          const settled = settleRun(list, reported, rule);

          // Each pledge's deduction: reported, or as listed; 0 when paused/stopped; split exactly over its goals.
          for (const p of list) {
            const expected = !deducts(p) ? 0n : (reported.get(p.pledgeId) ?? p.amountOre!);
            expect(settled.deducted.get(p.pledgeId)).toBe(expected);
            const own = settled.lines.filter((l) => l.kind === "employee" && l.pledgeId === p.pledgeId);
            expect(own.map((l) => l.goalId)).toEqual(p.goals.map((g) => g.goalId));
            expect(own.reduce((s, l) => s + l.amountOre, 0n)).toBe(expected);
            // No goal is off its exact share by a whole öre or more.
            for (const [j, l] of own.entries()) {
              const exact = (expected * BigInt(p.goals[j].percent) * 100n) / 100n;
              expect(l.amountOre * 100n - exact <= 100n && exact - l.amountOre * 100n <= 100n).toBe(true);
            }
          }
          // The invoice equals its lines; its lines equal the employees' total plus the match, per goal too.
          const invoiceSum = settled.invoiceLines.reduce((s, l) => s + l.amountOre, 0n);
          expect(invoiceSum).toBe(settled.totalOre);
          expect(settled.totalOre).toBe(settled.employeesOre + settled.matchOre);
          expect(settled.employeesOre).toBe([...settled.deducted.values()].reduce((s, a) => s + a, 0n));
          for (const goalId of GOALS) {
            const fromLines = settled.lines.filter((l) => l.goalId === goalId).reduce((s, l) => s + l.amountOre, 0n);
            const fromInvoice = settled.invoiceLines.filter((l) => l.goalId === goalId).reduce((s, l) => s + l.amountOre, 0n);
            expect(fromInvoice).toBe(fromLines);
          }
          // The match keeps to its rule.
          const matched = settled.lines.filter((l) => l.kind === "match").reduce((s, l) => s + l.amountOre, 0n);
          expect(matched).toBe(settled.matchOre);
          if (rule.mode === "none") expect(settled.matchOre).toBe(0n);
          if (rule.mode === "percent") {
            const want = list.reduce((s, p) => {
              const m = (settled.deducted.get(p.pledgeId)! * BigInt(rule.percent!)) / 100n;
              return s + (rule.capOre !== null && m > rule.capOre ? rule.capOre : m);
            }, 0n);
            expect(settled.matchOre).toBe(want);
          }
          if (rule.mode === "pot") {
            const want = list.reduce((s, p) => s + (settled.deducted.get(p.pledgeId)! * BigInt(rule.percent ?? 100)) / 100n, 0n);
            expect(settled.matchOre).toBe(want < rule.potLeftOre! ? want : rule.potLeftOre!);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a month without the per-mille amounts, or with an amount for someone not deducting", () => {
    const list = listRun([
      { pledgeId: 1, personId: 1, name: "A", employeeNumber: "1", terms: { state: "active", kind: "per_mille", amountOre: null, rateTenths: 10, goals: [{ goalId: 1, percent: 100 }] }, previous: null },
      { pledgeId: 2, personId: 2, name: "B", employeeNumber: "2", terms: { state: "paused", kind: "fixed", amountOre: 10000n, rateTenths: null, goals: [{ goalId: 1, percent: 100 }] }, previous: { state: "active", kind: "fixed", amountOre: 10000n, rateTenths: null, goals: [{ goalId: 1, percent: 100 }] } },
    ]);
    const none: MatchRule = { mode: "none", percent: null, capOre: null, potLeftOre: null };
    expect(() => settleRun(list, new Map(), none)).toThrow("reported_missing:1");
    expect(() => settleRun(list, new Map([[1, 100n], [2, 100n]]), none)).toThrow("reported_not_listed:2");
    expect(() => settleRun(list, new Map([[1, -1n]]), none)).toThrow("reported_invalid:1");
    expect(settleRun(list, new Map([[1, 4321n]]), none).totalOre).toBe(4321n);
  });
});

/** Öre as the kronor staff and employers type ("187,50"). */
const kronor = (ore: bigint) => `${ore / 100n},${String(ore % 100n).padStart(2, "0")}`;

/** Staff with the charity's invoice settings complete, the goals, and the job's context. */
async function withInvoiceSettings(db: Db) {
  const staff = await staffContext(db);
  await completeInvoiceSettings(staff);
  return { staff, goals: await goalIds(db), system: systemContext(db, "test") };
}

/**
 * The same over random histories on the database (acceptance: "after payment each goal's ledger rises
 * by exactly its share"): the histories become pledges and terms rows, the job's run lists the month
 * (checked against listRun over the replayed model), the employer confirms with reported amounts, the
 * invoice equals its lines and the employees' deductions plus the match, and paid in one to three parts
 * each goal's salary_giving ledger rises by exactly what the run gives it (and each run line's payments
 * add up to the line). Few runs: each writes an employer and a month (well under 15 s per database).
 */
describe.each(dbTargets)("payroll month on %s over random pledge histories", (target) => {
  const t = useTestDatabase(target);
  const DB_MONTHS = 6;
  const monthOf = (i: number) => `2026-${String(i + 1).padStart(2, "0")}-01`;

  it("lists the month right, invoices lines + match, and after payment each goal's ledger rises by exactly its share", async () => {
    const { db } = t;
    const { staff, goals, system } = await withInvoiceSettings(db);
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(historyArbOf(goals, DB_MONTHS), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: DB_MONTHS - 1 }),
        matchArb,
        fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 900000n })), { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 99 }), { maxLength: 2 }),
        async (histories, month, rule, reports, cuts) => {
          seq++;
          const { programme, contact } = await employer(db, {
            matchMode: rule.mode,
            matchPercent: rule.percent,
            matchCapOre: rule.mode === "percent" ? rule.capOre : null,
            matchPotOre: rule.mode === "pot" ? rule.potLeftOre : null,
          });
          // The histories as pledges and terms rows (pause and stop rows carry the terms they pause or stop).
          const people_ = await db.insert(people).values(histories.map((_, i) => ({ email: `p${seq}-${i}@example.se`, name: `Anställd ${seq}-${i}` }))).returning();
          const rows = await db
            .insert(workplacePledges)
            .values(people_.map((p, i) => ({ programmeId: programme.id, personId: p.id, employeeNumber: String(i + 1), consentAt: new Date(), consentVersion: "test" })))
            .returning();
          const termsRows = histories.flatMap((h, i) => {
            let last: Omit<TermsLike, "state"> | null = null;
            return h.map((e) => {
              if (e.kind === "set") last = e.terms;
              const terms = last!;
              return { pledgeId: rows[i].id, fromMonth: monthOf(e.month), state: e.kind === "set" ? ("active" as const) : e.kind === "pause" ? ("paused" as const) : ("stopped" as const), kind: terms.kind, amountOre: terms.amountOre, rateTenths: terms.rateTenths, goals: [...terms.goals] };
            });
          });
          await db.insert(workplacePledgeTerms).values(termsRows);

          const { run } = await runPayrollMonth(system, programme.id, monthOf(month));
          const model = listRun(
            histories.map((h, i) => ({ pledgeId: rows[i].id, personId: people_[i].id, name: people_[i].name, employeeNumber: String(i + 1), terms: replay(h, month), previous: month === 0 ? null : replay(h, month - 1) })),
          );
          const listed = await listedPledges(db, run.id);
          const comparable = (l: typeof model) => l.map((p) => [p.pledgeId, p.change, p.kind, p.amountOre, p.rateTenths, p.goals]).sort((a, b) => Number(a[0]) - Number(b[0]));
          expect(comparable(listed)).toEqual(comparable(model));

          const reported: Record<string, string> = {};
          const deducted = new Map<number, bigint>();
          model.forEach((p, i) => {
            const [report, amount] = reports[i % reports.length];
            if (!deducts(p)) return deducted.set(p.pledgeId, 0n);
            const given = p.kind === "per_mille" ? amount : report ? (amount % 3n === 0n ? 0n : amount) : p.amountOre!;
            if (p.kind === "per_mille" || report) reported[String(p.pledgeId)] = kronor(given);
            deducted.set(p.pledgeId, given);
          });
          const before = await salaryLedger(db, goals);
          const { run: confirmed, invoice } = await confirmRun(contact, run.id, { confirm: "yes", reported });

          // The employees' total is what was deducted; the match keeps to its rule, computed here from the deductions.
          const employees = [...deducted.values()].reduce((s, a) => s + a, 0n);
          const wanted = model.map((p) => (rule.mode === "none" ? 0n : (deducted.get(p.pledgeId)! * BigInt(rule.percent ?? 100)) / 100n)).map((m) => (rule.mode === "percent" && rule.capOre !== null && m > rule.capOre ? rule.capOre : m));
          const wantedTotal = wanted.reduce((s, m) => s + m, 0n);
          const match = rule.mode === "pot" && wantedTotal > rule.potLeftOre! ? rule.potLeftOre! : wantedTotal;
          expect(confirmed.employeesOre).toBe(employees);
          expect(confirmed.matchOre).toBe(match);
          const lines = await db.select().from(payrollRunLines).where(eq(payrollRunLines.runId, run.id));
          const share = new Map(goals.map((g) => [g, 0n]));
          for (const l of lines) share.set(l.goalId, share.get(l.goalId)! + (l.amountOre ?? 0n));
          // Each pledge's deduction is split exactly over its goals, no goal off its exact share by a whole öre.
          for (const p of model) {
            const own = lines.filter((l) => l.kind === "employee" && l.pledgeId === p.pledgeId);
            const d = deducted.get(p.pledgeId)!;
            expect(own.reduce((s, l) => s + l.amountOre!, 0n)).toBe(d);
            for (const l of own) {
              const exact = d * BigInt(l.sharePercent);
              expect(l.amountOre! * 100n - exact < 100n && exact - l.amountOre! * 100n < 100n).toBe(true);
            }
          }
          if (employees + match === 0n) {
            expect(invoice).toBeNull();
            expect(await salaryLedger(db, goals)).toEqual(before);
            return;
          }
          const invoiceRows = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice!.id));
          expect(invoice!.totalOre).toBe(employees + match);
          expect(invoiceRows.reduce((s, l) => s + l.amountOre, 0n)).toBe(invoice!.totalOre);
          for (const g of goals) expect(invoiceRows.filter((l) => l.goalId === g).reduce((s, l) => s + l.amountOre, 0n)).toBe(share.get(g));

          // Paid in parts (cut points in per cent of the total); each part is at least 1 öre.
          const bounds = [...new Set(cuts.map((c) => (invoice!.totalOre * BigInt(c)) / 100n).filter((b) => b > 0n && b < invoice!.totalOre))].sort((a, b) => (a < b ? -1 : 1));
          const edges = [0n, ...bounds, invoice!.totalOre];
          for (let i = 1; i < edges.length; i++) {
            await markInvoicePaid(staff, invoice!.id, { paidOn: "2026-11-28", amount: kronor(edges[i] - edges[i - 1]), reference: `del ${i}` }, new Date("2026-11-28T12:00:00Z"));
          }
          const after = await salaryLedger(db, goals);
          for (const g of goals) expect(after.get(g)! - before.get(g)!).toBe(share.get(g));
          const paid = await db.select().from(payments).where(eq(payments.companyInvoiceId, invoice!.id));
          for (const l of lines) expect(paid.filter((p) => p.payrollRunLineId === l.id).reduce((s, p) => s + p.amountOre, 0n)).toBe(l.amountOre ?? 0n);
          expect((await db.select().from(invoices).where(eq(invoices.id, invoice!.id)))[0].status).toBe("paid");
        },
      ),
      { numRuns: 5 },
    );
  });
});

/**
 * The difference rule `carry` over random months (issue 13 item 6; docs/decisions/0009): each month the
 * employees' amounts change at random, the month is confirmed, and its invoice is paid nothing, in part,
 * exactly or over, sometimes with late money on an earlier invoice's OCR. Whatever happens, money is
 * neither lost nor booked twice: at every step each run line's payments stay within its amount and the
 * money received but not booked is exactly the credit the next invoice uses (paid at issue); every
 * invoice equals its lines and its month plus what it carried; an earlier invoice past due and paid
 * short is carried (total − paid) and then owes nothing on its own OCR. Paid off at the end, every run
 * line is whole and each goal's ledger rose by exactly its lines.
 */
describe.each(dbTargets)("payroll months under the carry rule on %s over random payments", (target) => {
  const t = useTestDatabase(target);
  const DAY = 86_400_000;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  /** How a month's invoice is paid, relative to what it owes: nothing, a part, exactly, or over; in one or two payments. */
  const paymentArb = fc.record({
    share: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 99 }), fc.constant(100), fc.integer({ min: 101, max: 150 })),
    split: fc.boolean(),
    // Late money on an earlier invoice (index from the newest back), in per cent of that invoice's total.
    late: fc.option(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 60 })), { freq: 3 }),
  });

  it("never loses or doubles money: carried shortfalls, credits and late payments all end on the right goals", async () => {
    const { db } = t;
    const { staff, goals, system } = await withInvoiceSettings(db);
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.record({ amounts: fc.array(fc.bigInt({ min: 5000n, max: 300000n }), { minLength: 3, maxLength: 3 }), goals: goalsArbOf(goals), payment: paymentArb }), { minLength: 2, maxLength: 4 }),
        matchArb.filter((r) => r.mode !== "pot"),
        async (employees, months, rule) => {
          seq++;
          const { programme, contact } = await employer(db, { differenceRule: "carry", matchMode: rule.mode, matchPercent: rule.percent, matchCapOre: rule.capOre });
          const staffNames = await db.insert(people).values(Array.from({ length: employees }, (_, i) => ({ email: `c${seq}-${i}@example.se`, name: `Anställd C${seq}-${i}` }))).returning();
          const pledgeRows = await db
            .insert(workplacePledges)
            .values(staffNames.map((p, i) => ({ programmeId: programme.id, personId: p.id, employeeNumber: String(i + 1), consentAt: new Date(), consentVersion: "test" })))
            .returning();
          const before = await salaryLedger(db, goals);
          const booked = async () => {
            const now = await salaryLedger(db, goals);
            return goals.reduce((s, g) => s + now.get(g)! - before.get(g)!, 0n);
          };
          let received = 0n;
          const runIds: number[] = [];
          const issued: number[] = [];
          const invoiceOf = async (id: number) => (await db.select().from(invoices).where(eq(invoices.id, id)))[0];
          const pay = async (id: number, ore: bigint, on: Date) => {
            if (ore <= 0n) return;
            await markInvoicePaid(staff, id, { paidOn: day(on), amount: kronor(ore), reference: `c${seq}` }, on);
            received += ore;
          };
          /** Every run line's paid payments (net, from any invoice) stay within its amount; returns [amount, paid, goal] per line. */
          const runLines = async () => {
            const rows = await db
              .select({ amount: payrollRunLines.amountOre, goalId: payrollRunLines.goalId, paid: sql<string>`coalesce((select sum(p.amount_ore - p.refunded_ore - p.credited_ore) from payments p where p.payroll_run_line_id = payroll_run_lines.id and p.status = 'paid'), 0)` })
              .from(payrollRunLines)
              .where(inArray(payrollRunLines.runId, runIds));
            for (const r of rows) expect(BigInt(r.paid) <= r.amount!).toBe(true);
            return rows.map((r) => ({ amount: r.amount!, paid: BigInt(r.paid), goalId: r.goalId }));
          };

          for (const [i, m] of months.entries()) {
            const month = `${2026 + Math.floor((10 + i) / 12)}-${String(((10 + i) % 12) + 1).padStart(2, "0")}-01`;
            // Confirmed 31 days apart (an invoice is due 30 days after): the previous month's invoice is just past due.
            const confirmedAt = new Date(Date.parse("2026-11-26T12:00:00Z") + i * 31 * DAY);
            await db.insert(workplacePledgeTerms).values(pledgeRows.map((p, j) => ({ pledgeId: p.id, fromMonth: month, state: "active" as const, kind: "fixed" as const, amountOre: m.amounts[j], goals: [...m.goals] })));
            const { run } = await runPayrollMonth(system, programme.id, month);
            runIds.push(run.id);
            const credit = received - (await booked());
            expect(credit >= 0n).toBe(true);
            const earlier = await Promise.all(issued.map(invoiceOf));
            const { run: confirmed, invoice } = await confirmRun(contact, run.id, { confirm: "yes" }, confirmedAt);
            const inv = await invoiceOf(invoice!.id);
            issued.push(inv.id);

            // What it carried: each earlier invoice past due and paid short, exactly what it lacked.
            const lacked = earlier.filter((e) => e.status !== "carried" && e.dueDate < day(confirmedAt) && e.paidOre > 0n && e.paidOre < e.totalOre);
            const carriedNow = await Promise.all(lacked.map((e) => invoiceOf(e.id)));
            for (const [k, c] of carriedNow.entries()) expect([c.status, c.carriedOre, c.carriedToInvoiceId]).toEqual(["carried", lacked[k].totalOre - lacked[k].paidOre, inv.id]);
            const carriedIn = lacked.reduce((s, e) => s + e.totalOre - e.paidOre, 0n);
            const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, inv.id));
            expect(lines.reduce((s, l) => s + l.amountOre, 0n)).toBe(inv.totalOre);
            expect(inv.totalOre).toBe(confirmed.employeesOre + confirmed.matchOre + carriedIn);
            // Money received and not yet booked is the employer's credit: the new invoice is paid with it at once.
            expect(inv.paidOre).toBe(credit < inv.totalOre ? credit : inv.totalOre);
            expect(confirmed.differenceOre).toBe(carriedIn - inv.paidOre);
            expect(received - (await booked())).toBe(credit - inv.paidOre);
            await runLines();

            // This month's payments, five days after confirming (before the due date).
            const owed = inv.totalOre - inv.paidOre;
            const amount = (owed * BigInt(m.payment.share)) / 100n;
            const paidOn = new Date(confirmedAt.getTime() + 5 * DAY);
            if (m.payment.split && amount > 1n) {
              await pay(inv.id, amount / 2n, paidOn);
              await pay(inv.id, amount - amount / 2n, paidOn);
            } else await pay(inv.id, amount, paidOn);
            if (m.payment.late && issued.length > 1) {
              const [back, percent] = m.payment.late;
              const old = await invoiceOf(issued[Math.max(0, issued.length - 2 - back)]);
              await pay(old.id, (old.totalOre * BigInt(percent)) / 100n, paidOn);
            }
            // Nothing booked beyond what came in.
            expect(received - (await booked()) >= 0n).toBe(true);
            await runLines();
          }

          // Paid off: every invoice pays what it still owes on its own OCR, oldest first.
          const settleOn = new Date(Date.parse("2026-11-26T12:00:00Z") + months.length * 31 * DAY);
          for (const id of issued) {
            const inv = await invoiceOf(id);
            await pay(id, inv.totalOre - inv.carriedOre - inv.paidOre, settleOn);
          }
          for (const id of issued) expect(["paid", "carried"]).toContain((await invoiceOf(id)).status);
          const final = await runLines();
          for (const l of final) expect(l.paid).toBe(l.amount);
          const after = await salaryLedger(db, goals);
          for (const g of goals) expect(after.get(g)! - before.get(g)!).toBe(final.filter((l) => l.goalId === g).reduce((s, l) => s + l.amount, 0n));
          expect(received - (await booked()) >= 0n).toBe(true);
        },
      ),
      { numRuns: 4 },
    );
  });
});
