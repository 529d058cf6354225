import { z } from "zod";
import { REPORTED_MAX_ORE } from "~/services/workplace/payroll-compute";

/**
 * The confirm form of a month's payroll list (/partner/workplace/runs/<id>), as the page checks it with
 * Conform, and the service (confirmRun) checks it with the same schema: `reported.<pledgeId>` is what was actually
 * deducted, in kronor, and `confirm` the box saying the amounts match the payroll. Codes (words in
 * app/i18n/workplace-payroll.ts, payrollErrorMessages): reported_invalid, reported_missing,
 * confirmation_required — the service's own codes, so both say the same thing next to the field.
 */

/** "187,50", "1 000 kr", "250" → öre; null when not kronor with at most two decimals (as confirmRun reads it). */
export function parseReportedKronor(text: string): bigint | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, "").replace(/kr$/i, "").replace(",", "."));
  return m ? BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0")) : null;
}

// The form's shape, built once: zod compiles an object schema the first time it parses with it, and
// the service checks every confirmation with this (200 employers confirm a month).
const confirmForm = z.object({
  reported: z.preprocess((v) => (v && typeof v === "object" ? v : {}), z.record(z.string(), z.unknown())),
  confirm: z.unknown().optional(),
});

type Issues = { addIssue(issue: { code: "custom"; message: string; path: (string | number)[] }): void };
type ConfirmForm = z.output<typeof confirmForm>;

/** Reads the form against the listed pledges, adding an issue per bad field; öre (or null) per pledge id as typed. */
function readConfirmForm(form: ConfirmForm, lines: readonly { pledgeId: number; required: boolean }[], ctx: Issues) {
  const keys = lines.map((l) => String(l.pledgeId));
  const required = new Set(lines.filter((l) => l.required).map((l) => String(l.pledgeId)));
  const reported: Record<string, bigint | null> = {};
  for (const key of new Set([...keys, ...Object.keys(form.reported)])) {
    const raw = form.reported[key];
    const text = typeof raw === "string" ? raw.trim() : typeof raw === "number" || typeof raw === "bigint" ? String(raw) : "";
    if (text === "") {
      if (required.has(key)) ctx.addIssue({ code: "custom", message: "reported_missing", path: ["reported", key] });
      reported[key] = null;
      continue;
    }
    const ore = parseReportedKronor(text);
    if (ore === null || ore > REPORTED_MAX_ORE) ctx.addIssue({ code: "custom", message: "reported_invalid", path: ["reported", key] });
    else reported[key] = ore;
  }
  const confirm = form.confirm === true ? "yes" : form.confirm;
  if (confirm !== "yes" && confirm !== "on") ctx.addIssue({ code: "custom", message: "confirmation_required", path: ["confirm"] });
  return { reported, confirm };
}

/**
 * The page's form check for the pledges that deduct this month; `required` for those with no listed amount
 * (a per-mille pledge). Empty is "as listed". A refinement, not a transform: Conform cannot read a schema
 * whose root is a transform (the page crashed as soon as it rendered in the browser).
 */
export function confirmRunSchema(lines: readonly { pledgeId: number; required: boolean }[]) {
  return confirmForm.superRefine((form, ctx) => {
    readConfirmForm(form, lines, ctx);
  });
}

/**
 * The same check for the service (confirmRun), with the amounts read: öre (or null) per pledge id as typed.
 * An amount for any other pledge is read too, for the service to refuse as not listed rather than drop it unseen.
 */
export function confirmRunInput(lines: readonly { pledgeId: number; required: boolean }[]) {
  return confirmForm.transform((form, ctx) => readConfirmForm(form, lines, ctx));
}

/** Staff marking an `invoice_underpaid` flag resolved: the flag and a note on what was done (codes in payrollErrorMessages). */
export const resolveFlagSchema = z.object({
  anomalyId: z.coerce.number({ message: "flag_not_found" }).int("flag_not_found").positive("flag_not_found"),
  note: z.string({ message: "note_required" }).trim().min(1, "note_required").max(500, "note_too_long"),
});
