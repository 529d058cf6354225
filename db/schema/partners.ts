import { sql } from "drizzle-orm";
import { bigint, check, date, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { goals, partnerTiers } from "./goals";
import { organisations } from "./identity";

/**
 * Partnerships (issue 11): a company becomes partner of one goal at a tier. The beginning of the area:
 * only what the issue defines for every partnership; benefits, sign-off and renewal come with it.
 */

/** The tiers, highest first; the slugs of the seeded partner_tiers rows (db/reference-data.ts). */
export const partnerTierSlugs = ["huvudpartner", "partner", "vanforetag"] as const;
export type PartnerTierSlug = (typeof partnerTierSlugs)[number];

/** prospect → negotiating → active → renewal_due → renewed | lapsed, or declined (issue 11, item 3). */
export const partnershipStatuses = ["prospect", "negotiating", "active", "renewal_due", "renewed", "lapsed", "declined"] as const;
export type PartnershipStatus = (typeof partnershipStatuses)[number];

export const partnerships = pgTable(
  "partnerships",
  {
    id: serial("id").primaryKey(),
    /** The partner company. */
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The goal it is partner of; its fees are designated to this goal. */
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
    /** One of partnerTierSlugs; also a partner_tiers row, where staff keep the tier's minimum amount. */
    tier: text("tier")
      .notNull()
      .references(() => partnerTiers.slug),
    /** One of partnershipStatuses. */
    status: text("status").notNull().default("prospect"),
    /** The yearly fee agreed, in öre; null while not yet agreed (a prospect). */
    agreedYearlyOre: bigint("agreed_yearly_ore", { mode: "bigint" }),
    /** The period agreed (dates, Swedish calendar days); null while not yet agreed. */
    startsOn: date("starts_on", { mode: "string" }),
    endsOn: date("ends_on", { mode: "string" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("partnerships_tier_check", oneOf(t.tier, partnerTierSlugs)),
    check("partnerships_status_check", oneOf(t.status, partnershipStatuses)),
    check("partnerships_agreed_positive", sql`${t.agreedYearlyOre} is null or ${t.agreedYearlyOre} > 0`),
    check("partnerships_period_order", sql`${t.endsOn} is null or ${t.startsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
    // The partner dashboard and the CRM list an organisation's partnerships.
    index("partnerships_organisation_idx").on(t.organisationId),
    // The goal page's partner wall lists a goal's partnerships.
    index("partnerships_goal_idx").on(t.goalId),
  ],
);
export type Partnership = typeof partnerships.$inferSelect;
export type NewPartnership = typeof partnerships.$inferInsert;
