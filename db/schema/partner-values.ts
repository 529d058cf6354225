/**
 * The partnership area's fixed values, in a file of their own without Drizzle so that the forms'
 * schemas (app/validation, also bundled for the browser) can use the same lists as the CHECKs.
 */

/** The tiers, highest first; the slugs of the seeded partner_tiers rows (db/reference-data.ts). */
export const partnerTierSlugs = ["huvudpartner", "partner", "vanforetag"] as const;
export type PartnerTierSlug = (typeof partnerTierSlugs)[number];

/** prospect → negotiating → active → renewal_due → renewed | lapsed, or declined (issue 11, item 3). */
export const partnershipStatuses = ["prospect", "negotiating", "active", "renewal_due", "renewed", "lapsed", "declined"] as const;
export type PartnershipStatus = (typeof partnershipStatuses)[number];

/** Who made the partnership: staff in /admin/partnerships, or the company itself at /partners/join. */
export const partnershipSources = ["staff", "signup"] as const;
export type PartnershipSource = (typeof partnershipSources)[number];
