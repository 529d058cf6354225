import { z } from "zod";
import { workplaceDifferenceRules, workplaceMatchModes, workplacePaymentMethods } from "~db/schema/workplace-values";
import { parseKronor } from "~/utils/money";
import { idSchema, kronorField, optionalText } from "./fields";

/**
 * The workplace giving programme form (issue 13 item 1): the employer's contact at
 * /partner/workplace and staff at /admin/workplace/<organisation>. Browser-safe; messages are codes
 * (app/i18n/workplace-programme.ts). Staff's form adds the minimum pledge (staffProgrammeSchema).
 */

/** A whole number from a form field, "" = null; `code` when it is not one in [min, max]. */
function wholeNumber(min: number, max: number, code: string, opts: { required?: boolean } = {}) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : (v ?? "")),
    z.string().transform((text, ctx) => {
      if (text === "") {
        if (opts.required) {
          ctx.addIssue({ code: "custom", message: "required" });
          return z.NEVER;
        }
        return null;
      }
      const n = /^-?\d{1,9}$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: code });
        return z.NEVER;
      }
      return n;
    }),
  );
}

/** Ticked goal boxes: one value, several, or none (none = every goal). */
const goalIdsField = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(idSchema, { message: "goal_unknown" }).max(50, { message: "goal_unknown" }),
);

/** An optional amount in kronor, 0 or more ("" = null); `code` for anything else (a negative cap, "abc"). */
const optionalKronor = (code: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : (v ?? "")),
    z.string().transform((text, ctx) => {
      if (text === "") return null;
      const ore = parseKronor(text);
      if (ore === null || ore < 0n || ore > 100_000_000_00n) {
        ctx.addIssue({ code: "custom", message: code });
        return z.NEVER;
      }
      return ore;
    }),
  );

/** Up to this many öre for a monthly minimum (a sanity bound, not a rule of the charity). */
export const MAX_WORKPLACE_MINIMUM_ORE = 100_000_00n;

const programmeFields = {
  goalIds: goalIdsField,
  perMilleOffered: z.enum(["yes", "no"], { message: "choose_one" }),
  matchMode: z.enum(workplaceMatchModes, { message: "choose_one" }),
  matchPercent: wholeNumber(1, 100, "match_percent_range"),
  matchCap: optionalKronor("match_cap_invalid"),
  matchPot: optionalKronor("match_pot_invalid"),
  payrollDay: wholeNumber(1, 31, "payroll_day_range"),
  payrollContactPersonId: z.preprocess((v) => (v === "" || v === undefined ? null : v), idSchema.nullable()),
  payCode: z.preprocess((v) => v ?? "", optionalText(20).refine((v) => v === "" || /^[\p{L}\p{N}_-]+$/u.test(v), { message: "pay_code_invalid" })),
  paymentMethod: z.enum(workplacePaymentMethods, { message: "choose_one" }),
  statedHeadcount: wholeNumber(1, 1_000_000, "headcount_positive", { required: true }),
  differenceRule: z.enum(workplaceDifferenceRules, { message: "choose_one" }),
};

/** The match settings must fit the chosen mode: a percent for percent, a pot for pot. */
function matchRules<T extends { matchMode: string; matchPercent: number | null; matchPot: bigint | null }>(v: T, ctx: z.RefinementCtx) {
  if (v.matchMode === "percent" && v.matchPercent === null) ctx.addIssue({ code: "custom", path: ["matchPercent"], message: "match_percent_required" });
  if (v.matchMode === "pot" && (v.matchPot === null || v.matchPot <= 0n)) ctx.addIssue({ code: "custom", path: ["matchPot"], message: "match_pot_required" });
}

export const programmeSchema = z.object(programmeFields).superRefine(matchRules);

export const staffProgrammeSchema = z
  .object({
    ...programmeFields,
    minimum: kronorField({ minOre: 1_00n, maxOre: MAX_WORKPLACE_MINIMUM_ORE, codes: { invalid: "minimum_invalid", min: "minimum_invalid", max: "minimum_invalid" } }),
  })
  .superRefine(matchRules);

export type ProgrammeInput = z.output<typeof programmeSchema>;
export type StaffProgrammeInput = z.output<typeof staffProgrammeSchema>;
/** What a caller passes: the form's fields as sent (the service parses them again). */
export type ProgrammeFormValues = Partial<Record<keyof z.input<typeof staffProgrammeSchema>, unknown>>;

/** Rotating the invite: an optional last day (YYYY-MM-DD). */
export const rotateInviteSchema = z.object({
  expiresOn: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "date_invalid" })
      .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: "date_invalid" })
      .nullable(),
  ),
});

/** Closing the programme: the page's second step sends `confirm=yes` (code: confirmation_required). */
export const closeProgrammeSchema = z.object({
  confirm: z.literal("yes", { message: "confirmation_required" }),
});
