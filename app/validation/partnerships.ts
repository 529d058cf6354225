import { z } from "zod";
import { partnershipStatuses, partnerTierSlugs } from "~db/schema/partner-values";
import { checkboxField, idSchema, kronorField, optionalText } from "./fields";

/**
 * The partnership forms (/admin/partnerships, /admin/tiers), for the browser and the server alike.
 * Messages are codes; app/i18n/partnerships.ts turns them into text.
 */

/** The largest yearly amount staff may agree: 100 000 000 kr, far above anything real, far below bigint's limit. */
export const MAX_AGREED_ORE = 10_000_000_000n;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
function realDate(v: string): boolean {
  if (!isoDate.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** A calendar day as `<input type="date">` sends it (YYYY-MM-DD); empty is null. */
export const optionalDateField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : (v ?? "")),
  z.string().transform((v, ctx) => {
    if (v === "") return null;
    if (!realDate(v)) {
      ctx.addIssue({ code: "custom", message: "date_invalid" });
      return z.NEVER;
    }
    return v;
  }),
);

/**
 * Empty (not agreed yet) or kronor above 0. Not a union of "" and the amount: a failed union reports
 * "Invalid input", not the amount's own code, so the reader got "Check this field" instead of how to
 * write the amount.
 */
const optionalAgreedKronor = z
  .preprocess((v) => {
    const text = typeof v === "string" ? v.trim() : (v ?? "");
    return text === "" ? undefined : text;
  }, kronorField({ minOre: 1n, maxOre: MAX_AGREED_ORE }).optional())
  .transform((ore) => ore ?? null);

/**
 * A partnership as staff enter it. Whether the amount reaches the tier's minimum needs the database
 * (staff set the minimum), so the service checks that; the rest is here.
 */
export const partnershipSchema = z
  .object({
    organisationId: idSchema,
    goalId: idSchema,
    tier: z.enum(partnerTierSlugs, { message: "tier_invalid" }),
    agreedYearly: optionalAgreedKronor,
    startsOn: optionalDateField,
    endsOn: optionalDateField,
    status: z.enum(partnershipStatuses, { message: "status_invalid" }).default("prospect"),
    isPublic: checkboxField,
    note: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "period_order" });
  });
export type PartnershipForm = z.output<typeof partnershipSchema>;

/** A sign-off: the note (required by the service when the organisation's industry is excluded). */
export const signOffSchema = z.object({ note: optionalText(2000) });

/** /admin/partnerships/settings. */
export const partnershipSettingsSchema = z.object({
  renewalNoticeDays: z.coerce.number({ message: "days_invalid" }).int({ message: "days_invalid" }).min(1, { message: "days_invalid" }).max(365, { message: "days_invalid" }),
  signOffValidMonths: z.coerce
    .number({ message: "months_invalid" })
    .int({ message: "months_invalid" })
    .min(1, { message: "months_invalid" })
    .max(60, { message: "months_invalid" }),
});
export type PartnershipSettings = z.output<typeof partnershipSettingsSchema>;

/** /admin/tiers: a tier's minimum yearly amount in kronor (empty: not decided). */
export const tierMinimumSchema = z.object({
  tier: z.enum(partnerTierSlugs, { message: "tier_invalid" }),
  minYearly: optionalAgreedKronor,
});

/** /admin/tiers: one benefit in both languages. */
export const tierBenefitSchema = z.object({
  tier: z.enum(partnerTierSlugs, { message: "tier_invalid" }),
  textSv: z.preprocess((v) => v ?? "", optionalText(300).pipe(z.string().min(1, { message: "required" }))),
  textEn: z.preprocess((v) => v ?? "", optionalText(300).pipe(z.string().min(1, { message: "required" }))),
});
export { partnershipStatuses, partnerTierSlugs, type PartnershipStatus, type PartnerTierSlug } from "~db/schema/partner-values";
