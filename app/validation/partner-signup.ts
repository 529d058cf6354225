import { z } from "zod";
import { checkboxField, emailField, idSchema, kronorField, orgNumberField, requiredText } from "./fields";
import { organisationSchema } from "./organisations";

/**
 * /partners/join (issue 11 item 5) and /admin/partner-terms. Browser-safe: Conform checks the same
 * schema on blur and submit, the action and the service again. Codes are keys of
 * app/i18n/partner-signup.ts (on top of app/i18n/forms.ts). Rules that need the database (the tier's
 * minimum, a known goal and industry, the terms version in force) are the service's.
 */

/** The tiers, highest first (db/schema/partner-values.ts); repeated here so this file stays free of Drizzle. */
export const signupTiers = ["huvudpartner", "partner", "vanforetag"] as const;
export const signupPayments = ["card", "bank_invoice", "stripe_invoice"] as const;

/** 10 million kronor: far above any partner fee (the invoices' own ceiling). */
export const MAX_PARTNER_FEE_ORE = 1_000_000_000n;

/** Filled in (else `code`), then read by the shared rule (which takes "" as "not given" or refuses it otherwise). */
function filled<S extends z.ZodType>(code: string, rule: S) {
  return z.preprocess((v) => v ?? "", z.string().trim().min(1, { message: code })).pipe(rule as unknown as z.ZodType<z.output<S>, string>);
}
const org = organisationSchema.shape;

export const partnerSignupSchema = z.object({
  goal: requiredText(100),
  tier: z.preprocess((v) => v ?? "", z.enum(signupTiers, { message: "tier_required" })),
  amount: filled("amount_required", kronorField({ minOre: 1n, maxOre: MAX_PARTNER_FEE_ORE })),
  companyName: org.name,
  orgNumber: filled("org_number_required", orgNumberField),
  address: org.address,
  postalCode: org.postalCode,
  city: org.city,
  website: org.website,
  industry: filled("industry_required", idSchema),
  isPublic: checkboxField,
  contactName: requiredText(200),
  email: emailField,
  invoiceEmail: org.invoiceEmail,
  invoiceReference: org.invoiceReference,
  purchaseOrder: org.purchaseOrder,
  acceptTerms: z.preprocess((v) => v === "on" || v === "true" || v === true, z.literal(true, { message: "terms_required" })),
  termsVersion: idSchema,
  payment: z.preprocess((v) => v ?? "", z.enum(signupPayments, { message: "payment_required" })),
});
export type PartnerSignupInput = z.output<typeof partnerSignupSchema>;
