import { z } from "zod";
import { REPORTED_MAX_ORE } from "~/services/workplace/payroll-compute";

/**
 * The confirm form of a month's payroll list (/partner/workplace/runs/<id>), as the page checks it with
 * Conform before the service (confirmRun) checks it again: `reported.<pledgeId>` is what was actually
 * deducted, in kronor, and `confirm` the box saying the amounts match the payroll. Codes (words in
 * app/i18n/workplace-payroll.ts, payrollErrorMessages): reported_invalid, reported_missing,
 * confirmation_required — the service's own codes, so both say the same thing next to the field.
 */

/** "187,50", "1 000 kr", "250" → öre; null when not kronor with at most two decimals (as confirmRun reads it). */
export function parseReportedKronor(text: string): bigint | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, "").replace(/kr$/i, "").replace(",", "."));
  return m ? BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0")) : null;
}

/** One reported amount: empty is "as listed" unless `required` (a per-mille pledge has no listed amount). */
function reportedField(required: boolean) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : ""),
    z.string().transform((text, ctx) => {
      if (text === "") {
        if (required) ctx.addIssue({ code: "custom", message: "reported_missing" });
        return null;
      }
      const ore = parseReportedKronor(text);
      if (ore === null || ore > REPORTED_MAX_ORE) {
        ctx.addIssue({ code: "custom", message: "reported_invalid" });
        return z.NEVER;
      }
      return ore;
    }),
  );
}

/** The form for the pledges that deduct this month; `required` for those with no listed amount. */
export function confirmRunSchema(lines: readonly { pledgeId: number; required: boolean }[]) {
  return z.object({
    reported: z.preprocess((v) => v ?? {}, z.object(Object.fromEntries(lines.map((l) => [String(l.pledgeId), reportedField(l.required)])))),
    confirm: z.preprocess((v) => v ?? "", z.string()).refine((v) => v === "yes" || v === "on", { message: "confirmation_required" }),
  });
}
