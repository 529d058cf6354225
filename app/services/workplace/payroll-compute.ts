/**
 * The payroll run's arithmetic, pure (no database), so it can be property-tested over random pledge
 * histories (tests/workplace/payroll-property.test.ts). The services (payroll-run.server.ts) read the
 * terms, call these, and write what they return.
 *
 *   listRun     which pledges go on a month's list, and what changed since last month
 *   settleRun   the amounts once the employer confirms (reported amounts for per-mille pledges and
 *               leavers), the employer's match, and the invoice's lines per goal
 *
 * Money is integer öre; every split is exact (largest remainder), so parts always add up.
 */

export type PledgeState = "active" | "paused" | "stopped";
export type PledgeKind = "fixed" | "per_mille";
export type RunChange = "new" | "changed" | "paused" | "stopped" | "unchanged";
export interface GoalShare {
  goalId: number;
  percent: number;
}

export interface TermsLike {
  state: PledgeState;
  kind: PledgeKind;
  amountOre: bigint | null;
  rateTenths: number | null;
  goals: readonly GoalShare[];
}

/** What `pledgeTermsForMonth` returns per pledge: the terms in force this month and last month. */
export interface PledgeMonth {
  pledgeId: number;
  personId: number;
  name: string | null;
  employeeNumber: string | null;
  terms: TermsLike | null;
  previous: TermsLike | null;
}

export interface ListedPledge {
  pledgeId: number;
  personId: number;
  employeeName: string | null;
  employeeNumber: string | null;
  change: RunChange;
  kind: PledgeKind;
  /** Fixed: the monthly amount; per-mille: null (payroll computes it); paused/stopped: 0. */
  amountOre: bigint | null;
  rateTenths: number | null;
  goals: GoalShare[];
}

/** Whether this pledge deducts anything this month. */
export function deducts(p: Pick<ListedPledge, "change">): boolean {
  return p.change !== "paused" && p.change !== "stopped";
}

function sameTerms(a: TermsLike, b: TermsLike): boolean {
  if (a.kind !== b.kind || a.amountOre !== b.amountOre || a.rateTenths !== b.rateTenths || a.goals.length !== b.goals.length) return false;
  const key = (g: readonly GoalShare[]) => [...g].sort((x, y) => x.goalId - y.goalId).map((s) => `${s.goalId}:${s.percent}`).join(",");
  return key(a.goals) === key(b.goals);
}

/**
 * What the payroll list says about a pledge this month, or null when it is not on the list:
 * active now and not last month → new (or changed, back from a pause); active both months → changed
 * or unchanged; paused or stopped now after a month that deducted → paused/stopped (listed once, so
 * payroll stops the deduction); stopped from paused → stopped; otherwise nothing to tell.
 */
export function changeOf(terms: TermsLike | null, previous: TermsLike | null): RunChange | null {
  const before = previous?.state ?? null;
  const now = terms?.state ?? null;
  if (now === "active") {
    if (before === null || before === "stopped") return "new";
    if (before === "paused") return "changed";
    return sameTerms(terms!, previous!) ? "unchanged" : "changed";
  }
  if (now === "paused") return before === "active" ? "paused" : null;
  // Stopped (or no terms at all, e.g. terms for a later month only).
  return before === "active" || before === "paused" ? "stopped" : null;
}

// One collator: localeCompare with a locale argument sets one up for every comparison.
const swedishOrder = new Intl.Collator("sv");

/** The month's list, ordered by employee name then pledge id (a stable order for postid). */
export function listRun(entries: readonly PledgeMonth[]): ListedPledge[] {
  const out: ListedPledge[] = [];
  for (const e of entries) {
    const change = changeOf(e.terms, e.previous);
    if (change === null) continue;
    // Paused/stopped rows describe what payroll deducted until now: the last terms it knew.
    const shown = change === "paused" || change === "stopped" ? (e.previous ?? e.terms)! : e.terms!;
    const active = change !== "paused" && change !== "stopped";
    out.push({
      pledgeId: e.pledgeId,
      personId: e.personId,
      employeeName: e.name,
      employeeNumber: e.employeeNumber,
      change,
      kind: shown.kind,
      amountOre: !active ? 0n : shown.kind === "fixed" ? shown.amountOre : null,
      rateTenths: shown.kind === "per_mille" ? shown.rateTenths : null,
      goals: shown.goals.map((g) => ({ goalId: g.goalId, percent: g.percent })),
    });
  }
  return out.sort((a, b) => swedishOrder.compare(a.employeeName ?? "", b.employeeName ?? "") || a.pledgeId - b.pledgeId);
}

/**
 * Splits öre over weights exactly: floors, then the öre left over one each to the largest
 * remainders, ties to the part listed first. Example: 100 öre over 33/33/34 → 33 + 33 + 34;
 * 1 öre over 50/50 → 1 + 0; 0 over anything → zeros.
 */
export function splitByWeights(amountOre: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((s, w) => s + w, 0n);
  if (total === 0n) return weights.map(() => 0n);
  const parts = weights.map((w, index) => ({ index, amount: (amountOre * w) / total, remainder: (amountOre * w) % total }));
  let left = amountOre - parts.reduce((s, p) => s + p.amount, 0n);
  const order = [...parts].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const p of order) {
    if (left <= 0n) break;
    p.amount += 1n;
    left -= 1n;
  }
  return parts.map((p) => p.amount);
}

export interface MatchRule {
  mode: "none" | "percent" | "pot";
  /** percent: X % of each gift; pot: the same, 100 when unset. */
  percent: number | null;
  /** percent mode: at most this per employee and month (null: no cap). */
  capOre: bigint | null;
  /** pot mode: what is left of this calendar year's pot before this run. */
  potLeftOre: bigint | null;
}

export interface SettledLine {
  kind: "employee" | "match";
  pledgeId: number | null;
  goalId: number;
  sharePercent: number;
  amountOre: bigint;
}

export interface SettledRun {
  /** One line per (pledge, goal) of the list — 0 for paused/stopped — then one match line per goal. */
  lines: SettledLine[];
  /** Per pledge: the amount deducted (reported, or as listed). */
  deducted: Map<number, bigint>;
  employeesOre: bigint;
  matchOre: bigint;
  /** The invoice's lines: per goal the employees' total, then per goal the match (zeros left out). */
  invoiceLines: { kind: "employee" | "match"; goalId: number; amountOre: bigint }[];
  totalOre: bigint;
}

export class SettleError extends Error {
  constructor(
    public code: "reported_missing" | "reported_not_listed" | "reported_invalid",
    public pledgeId: number,
  ) {
    super(`${code}:${pledgeId}`);
  }
}

/** The most one employee can be reported to have given in a month (1 000 000 kr): anything above is a typing slip. */
export const REPORTED_MAX_ORE = 100_000_000n;

/**
 * The confirmed month. `reported` holds what the employer says it deducted, per pledge: required for
 * a per-mille pledge (the platform never knows the salary), allowed for a fixed one (a leaver: 0; a
 * part month), refused for a pledge that was not deducting or is not on the list. The match follows
 * the deducted amounts: percent mode floor(amount × X / 100) capped per employee; pot mode the same
 * (X = 100 by default) until the year's pot is used, the last of the pot shared pro rata (exactly).
 * Each employee's match goes to the employee's goals by the same split.
 */
export function settleRun(list: readonly ListedPledge[], reported: ReadonlyMap<number, bigint>, rule: MatchRule): SettledRun {
  const listed = new Map(list.map((p) => [p.pledgeId, p]));
  for (const [pledgeId, ore] of reported) {
    const p = listed.get(pledgeId);
    if (!p || !deducts(p)) throw new SettleError("reported_not_listed", pledgeId);
    if (ore < 0n || ore > REPORTED_MAX_ORE) throw new SettleError("reported_invalid", pledgeId);
  }
  const deducted = new Map<number, bigint>();
  for (const p of list) {
    if (!deducts(p)) {
      deducted.set(p.pledgeId, 0n);
      continue;
    }
    const given = reported.get(p.pledgeId) ?? p.amountOre;
    if (given === null || given === undefined) throw new SettleError("reported_missing", p.pledgeId);
    deducted.set(p.pledgeId, given);
  }
  // The employer's match per pledge (before the pot's limit).
  const wanted = list.map((p) => {
    const amount = deducted.get(p.pledgeId)!;
    if (rule.mode === "none" || amount === 0n) return 0n;
    const pct = BigInt(rule.percent ?? 100);
    const m = (amount * pct) / 100n;
    return rule.mode === "percent" && rule.capOre !== null && m > rule.capOre ? rule.capOre : m;
  });
  const wantedTotal = wanted.reduce((s, m) => s + m, 0n);
  const potLeft = rule.mode === "pot" ? (rule.potLeftOre ?? 0n) : null;
  const matchPerPledge = potLeft !== null && wantedTotal > potLeft ? splitByWeights(potLeft < 0n ? 0n : potLeft, wanted) : wanted;

  const lines: SettledLine[] = [];
  const employeeByGoal = new Map<number, bigint>();
  const matchByGoal = new Map<number, bigint>();
  list.forEach((p, i) => {
    const weights = p.goals.map((g) => BigInt(g.percent));
    const own = splitByWeights(deducted.get(p.pledgeId)!, weights);
    const match = splitByWeights(matchPerPledge[i], weights);
    p.goals.forEach((g, j) => {
      lines.push({ kind: "employee", pledgeId: p.pledgeId, goalId: g.goalId, sharePercent: g.percent, amountOre: own[j] });
      employeeByGoal.set(g.goalId, (employeeByGoal.get(g.goalId) ?? 0n) + own[j]);
      matchByGoal.set(g.goalId, (matchByGoal.get(g.goalId) ?? 0n) + match[j]);
    });
  });
  const goalsInOrder = [...new Set([...employeeByGoal.keys(), ...matchByGoal.keys()])].sort((a, b) => a - b);
  for (const goalId of goalsInOrder) {
    const m = matchByGoal.get(goalId) ?? 0n;
    if (m > 0n) lines.push({ kind: "match", pledgeId: null, goalId, sharePercent: 100, amountOre: m });
  }
  const invoiceLines: SettledRun["invoiceLines"] = [];
  for (const goalId of goalsInOrder) {
    const e = employeeByGoal.get(goalId) ?? 0n;
    if (e > 0n) invoiceLines.push({ kind: "employee", goalId, amountOre: e });
  }
  for (const goalId of goalsInOrder) {
    const m = matchByGoal.get(goalId) ?? 0n;
    if (m > 0n) invoiceLines.push({ kind: "match", goalId, amountOre: m });
  }
  const employeesOre = [...deducted.values()].reduce((s, a) => s + a, 0n);
  const matchOre = matchPerPledge.reduce((s, a) => s + a, 0n);
  return { lines, deducted, employeesOre, matchOre, invoiceLines, totalOre: employeesOre + matchOre };
}

/** The pay date in a month: the programme's payroll day, or the month's last day when the month is shorter. */
export function payDate(month: string, payrollDay: number | null): string | null {
  if (payrollDay === null) return null;
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month.slice(0, 8)}${String(Math.min(payrollDay, last)).padStart(2, "0")}`;
}

/** "2,5 ‰" from rateTenths 25. */
export function perMilleText(rateTenths: number): string {
  return `${Math.floor(rateTenths / 10)}${rateTenths % 10 ? `,${rateTenths % 10}` : ""} ‰`;
}
