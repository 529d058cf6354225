import { z } from "zod";
import { parseKronor } from "~/utils/money";
import { checkboxField, idSchema, optionalText, safeText } from "./fields";

/**
 * Workplace giving pledges (issue 13 items 3 and 4): the join form at /workplace/<code> and the
 * change form at /workplace. Browser-safe: the page builds the same schema from the programme's
 * rules (its minimum, whether a per-mille is offered, its goals) that the service builds again from
 * the database, so the reader sees the same message with JavaScript on or off.
 *
 * Codes (app/i18n/workplace-pledge.ts has the words): kind_invalid; amount_required, amount_invalid,
 * amount_min, amount_max; rate_required, rate_invalid, rate_min, rate_max, per_mille_not_offered;
 * goal_required, goal_not_in_programme, share_invalid, shares_sum; month_invalid;
 * name_required, employee_number_invalid, too_long; consent_required.
 */

/** The largest fixed pledge a month: the same ceiling as a monthly card gift (a typing mistake, an extra zero). */
export const MAX_PLEDGE_ORE = 2_000_000n;
/** A per-mille rate is kept in tenths of a per-mille: 1 = 0.1 ‰ … 1000 = 100 ‰ (10 % of net pay). */
export const MIN_RATE_TENTHS = 1;
export const MAX_RATE_TENTHS = 1000;

export const pledgeKinds = ["fixed", "per_mille"] as const;
export type PledgeKind = (typeof pledgeKinds)[number];

/** The programme's rules a pledge is checked against. `minimumOre` as a string so it crosses to the browser. */
export interface PledgeRules {
  minimumOre: bigint | string;
  perMilleOffered: boolean;
  /** The goals employees may choose (the programme's, or every goal when it names none). */
  goalIds: number[];
}

/** One goal's part of a pledge, whole percent; the parts sum to 100. */
export interface GoalShare {
  goalId: number;
  percent: number;
}

/** "2", "2,5", "2.5 ‰" → tenths of a per-mille (25); null when not a number with at most one decimal. */
export function parsePerMille(input: string): number | null {
  const m = /^(\d{1,4})(?:[.,](\d))?$/.exec(input.trim().replace(/\s*(‰|promille|per\s*mille)$/i, ""));
  if (!m) return null;
  return Number(m[1]) * 10 + Number(m[2] ?? "0");
}

/** Tenths of a per-mille as people write it: 25 → "2,5", 20 → "2" (sv) / "2.5" (en). */
export function perMilleText(rateTenths: number, locale: "sv" | "en" = "sv"): string {
  const whole = Math.floor(rateTenths / 10);
  const tenth = rateTenths % 10;
  return tenth === 0 ? String(whole) : `${whole}${locale === "sv" ? "," : "."}${tenth}`;
}

/** "2026-12" (or "2026-12-01") → "2026-12-01"; null when not a month. */
export function parseMonth(input: string): string | null {
  const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(input.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 2000 || year > 2999 || month < 1 || month > 12) return null;
  return `${m[1]}-${m[2]}-01`;
}

/** The form's field for a goal's percent in a split. */
export const pledgeShareField = (goalId: number | string) => `share-${goalId}`;

/** What a valid pledge form gives the service. */
export interface PledgeTermsInput {
  kind: PledgeKind;
  /** Fixed pledges: öre a month; null for a per-mille. */
  amountOre: bigint | null;
  /** Per-mille pledges: tenths of a per-mille; null for a fixed amount. */
  rateTenths: number | null;
  goals: GoalShare[];
  /** The first payroll month the terms apply to, as its first day. */
  fromMonth: string;
}

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/**
 * Checks the terms part of a form (kind, amount or rate, goals, month) against the programme's rules,
 * adding issues on the fields; returns the terms when nothing was wrong. Shared by the join and the
 * change form. Without a split the form names one `goal`; with `goalMode=split` each goal's percent
 * is in `share-<goal id>` (empty is 0).
 */
function checkTerms(form: Record<string, unknown>, rules: PledgeRules, ctx: z.RefinementCtx, monthField: string): PledgeTermsInput | null {
  let ok = true;
  const fail = (path: string, message: string) => {
    ctx.addIssue({ code: "custom", path: [path], message });
    ok = false;
  };
  const kind = text(form.kind) || "fixed";
  let amountOre: bigint | null = null;
  let rateTenths: number | null = null;
  if (kind === "fixed") {
    const amount = text(form.amount);
    const ore = amount ? parseKronor(amount) : null;
    if (!amount) fail("amount", "amount_required");
    else if (ore === null) fail("amount", "amount_invalid");
    else if (ore < BigInt(rules.minimumOre)) fail("amount", "amount_min");
    else if (ore > MAX_PLEDGE_ORE) fail("amount", "amount_max");
    else amountOre = ore;
  } else if (kind === "per_mille") {
    const rate = text(form.rate);
    const tenths = rate ? parsePerMille(rate) : null;
    if (!rules.perMilleOffered) fail("kind", "per_mille_not_offered");
    else if (!rate) fail("rate", "rate_required");
    else if (tenths === null) fail("rate", "rate_invalid");
    else if (tenths < MIN_RATE_TENTHS) fail("rate", "rate_min");
    else if (tenths > MAX_RATE_TENTHS) fail("rate", "rate_max");
    else rateTenths = tenths;
  } else fail("kind", "kind_invalid");

  const allowed = new Set(rules.goalIds);
  const goals: GoalShare[] = [];
  if (text(form.goalMode) === "split") {
    let sum = 0;
    let bad = false;
    for (const [name, value] of Object.entries(form)) {
      const m = /^share-(\d{1,10})$/.exec(name);
      if (!m) continue;
      const raw = text(value).replace(/\s*%$/, "");
      if (raw === "" || raw === "0") continue;
      const goalId = Number(m[1]);
      if (!/^\d{1,3}$/.test(raw) || Number(raw) > 100) {
        fail(name, "share_invalid");
        bad = true;
      } else if (!allowed.has(goalId)) {
        fail(name, "goal_not_in_programme");
        bad = true;
      } else {
        goals.push({ goalId, percent: Number(raw) });
        sum += Number(raw);
      }
    }
    if (!bad && sum !== 100) fail("shares", goals.length === 0 ? "goal_required" : "shares_sum");
  } else {
    const goal = idSchema.safeParse(text(form.goal));
    if (!text(form.goal)) fail("goal", "goal_required");
    else if (!goal.success || !allowed.has(goal.data)) fail("goal", "goal_not_in_programme");
    else goals.push({ goalId: goal.data, percent: 100 });
  }
  goals.sort((a, b) => a.goalId - b.goalId);

  const fromMonth = parseMonth(text(form[monthField]));
  if (!fromMonth) fail(monthField, "month_invalid");
  if (!ok || !fromMonth) return null;
  return { kind: kind as PledgeKind, amountOre, rateTenths, goals, fromMonth };
}

/** An employee number for the payroll file: letters, digits and - . / _ (payroll systems' own ids). */
const employeeNumberField = optionalText(30).refine((v) => v === "" || /^[\p{L}\p{N}][\p{L}\p{N}._/-]*$/u.test(v), { message: "employee_number_invalid" });

/**
 * /workplace/<code>: the join form as the page checks it. Its rules are refinements on the object, not
 * a transform at its root: Conform's getZodConstraint (useAppForm) throws "Unsupported schema" on a
 * root transform, which broke the page as soon as JavaScript ran. joinPledgeSchema adds the output.
 */
export function joinPledgeFormSchema(rules: PledgeRules) {
  return z
    .object({
      // The payroll list names the employee: the name their employer knows them by.
      name: z.preprocess((v) => v ?? "", safeText(100).min(1, { message: "name_required" })),
      employeeNumber: employeeNumberField,
      consent: checkboxField,
    })
    .catchall(z.unknown())
    .superRefine((form, ctx) => {
      checkTerms(form, rules, ctx, "firstMonth");
      if (!form.consent) ctx.addIssue({ code: "custom", path: ["consent"], message: "consent_required" });
    });
}

/** The join form's rules and what a valid form gives the service (the terms, the name, the employee number). */
export function joinPledgeSchema(rules: PledgeRules) {
  return joinPledgeFormSchema(rules).transform((form, ctx) => {
    // Only reached when the refinements passed, so the terms are there.
    const terms = checkTerms(form, rules, ctx, "firstMonth");
    return terms ? { ...terms, name: form.name, employeeNumber: form.employeeNumber || null } : z.NEVER;
  });
}
export type JoinPledgeInput = PledgeTermsInput & { name: string; employeeNumber: string | null };

/** /workplace: the change form as the page checks it (refinements only, as joinPledgeFormSchema). */
export function changePledgeFormSchema(rules: PledgeRules) {
  return z
    .object({})
    .catchall(z.unknown())
    .superRefine((form, ctx) => void checkTerms(form, rules, ctx, "fromMonth"));
}

/** /workplace: change the amount or the goals from a payroll month; gives the terms. */
export function changePledgeSchema(rules: PledgeRules) {
  return changePledgeFormSchema(rules).transform((form, ctx) => checkTerms(form, rules, ctx, "fromMonth") ?? z.NEVER);
}

/** /workplace: pause or stop from a payroll month. */
export const pledgeMonthSchema = z.object({
  fromMonth: z.preprocess((v) => v ?? "", z.string().transform((v, ctx) => parseMonth(v) ?? (ctx.addIssue({ code: "custom", message: "month_invalid" }), z.NEVER))),
});

/** /workplace/summary/<year>: a calendar year the employee may have given in. */
export const summaryYearSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\d{4}$/.test(v) ? Number(v) : v),
  z.number({ message: "year_invalid" }).int({ message: "year_invalid" }).min(2000, { message: "year_invalid" }).max(2999, { message: "year_invalid" }),
);
