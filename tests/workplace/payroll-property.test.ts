import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deducts, listRun, settleRun, type MatchRule, type PledgeMonth, type TermsLike } from "~/services/workplace/payroll-compute";

/**
 * Property test of the run's arithmetic (issue 13 acceptance 2, pure part; the database part — invoice
 * paid, each goal's ledger — is tests/workplace/payroll-reconcile.test.ts): over random pledge
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

const goalsArb = fc
  .uniqueArray(fc.constantFrom(...GOALS), { minLength: 1, maxLength: 3 })
  .chain((ids) =>
    fc.array(fc.integer({ min: 1, max: 98 }), { minLength: ids.length - 1, maxLength: ids.length - 1 }).map((cuts) => {
      // Percents summing to 100, each at least 1.
      const sorted = [...new Set(cuts)].sort((a, b) => a - b).slice(0, ids.length - 1);
      while (sorted.length < ids.length - 1) sorted.push(sorted.length ? Math.min(99, sorted[sorted.length - 1] + 1) : 50);
      const bounds = [0, ...sorted, 100];
      const percents = ids.map((_, i) => bounds[i + 1] - bounds[i]);
      if (percents.some((p) => p < 1)) return [{ goalId: ids[0], percent: 100 }];
      return ids.map((goalId, i) => ({ goalId, percent: percents[i] }));
    }),
  );

const termsArb = fc.oneof(
  fc.record({ kind: fc.constant("fixed" as const), amountOre: fc.bigInt({ min: 5000n, max: 500000n }), rateTenths: fc.constant(null), goals: goalsArb }),
  fc.record({ kind: fc.constant("per_mille" as const), amountOre: fc.constant(null), rateTenths: fc.integer({ min: 1, max: 1000 }), goals: goalsArb }),
);

const historyArb = fc
  .tuple(
    fc.integer({ min: 0, max: MONTHS - 1 }),
    termsArb,
    fc.array(fc.tuple(fc.integer({ min: 1, max: MONTHS - 1 }), fc.oneof(termsArb.map((terms) => ({ kind: "set" as const, terms })), fc.constant({ kind: "pause" as const }), fc.constant({ kind: "stop" as const }))), { maxLength: 4 }),
  )
  .map(([join, first, later]) => {
    // One row per month (a second change for a month replaces the first), months after the join.
    const byMonth = new Map<number, Event>([[join, { month: join, kind: "set", terms: first }]]);
    for (const [offset, e] of later) {
      const month = join + offset;
      if (month < MONTHS) byMonth.set(month, Object.assign({ month }, e as object) as Event);
    }
    return [...byMonth.values()].sort((a, b) => a.month - b.month);
  });

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
