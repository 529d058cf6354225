import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { goals, partnerTiers } from "./goals";
import { organisations, people } from "./identity";
import { partnershipSources, partnershipStatuses, partnerTierSlugs } from "./partner-values";

export * from "./partner-values";

/**
 * Partnerships (issue 11): a company becomes partner of one goal at a tier, for one period. Each row
 * is one period; a renewal is a new row (renewsPartnershipId) with its own sign-off and checklist.
 */

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
    /** One of partnershipSources. */
    source: text("source").notNull().default("staff"),
    /**
     * Whether the company wants to be named on the goal's wall. The wall also needs the organisation's
     * own consent (organisations.isPublic), an active status and a valid sign-off.
     */
    isPublic: boolean("is_public").notNull().default(true),
    /**
     * Ethical screening (issue 11 item 4): a staff member signs the partnership off before it is
     * public. Each partnership row is one period, so a renewal (a new row) asks for it again.
     */
    signedOffAt: timestamp("signed_off_at", { withTimezone: true }),
    signedOffByPersonId: integer("signed_off_by_person_id").references(() => people.id, { onDelete: "set null" }),
    /** Required when the organisation's industry is excluded: why it was accepted anyway. */
    signOffNote: text("sign_off_note"),
    /** The last day the sign-off holds (settings: how many months a sign-off is valid). */
    signOffExpiresOn: date("sign_off_expires_on", { mode: "string" }),
    /** The partnership of the previous period this one renews (it becomes `renewed`). */
    renewsPartnershipId: integer("renews_partnership_id").references((): AnyPgColumn => partnerships.id),
    /** Staff's free note (what was agreed, who to talk to). */
    note: text("note"),
    demo: boolean("demo").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("partnerships_tier_check", oneOf(t.tier, partnerTierSlugs)),
    check("partnerships_status_check", oneOf(t.status, partnershipStatuses)),
    check("partnerships_agreed_positive", sql`${t.agreedYearlyOre} is null or ${t.agreedYearlyOre} > 0`),
    check("partnerships_period_order", sql`${t.endsOn} is null or ${t.startsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
    check("partnerships_source_check", oneOf(t.source, partnershipSources)),
    check("partnerships_sign_off_has_expiry", sql`${t.signedOffAt} is null or ${t.signOffExpiresOn} is not null`),
    // The renewal job looks for active partnerships ending soon and past-end ones to lapse.
    index("partnerships_status_ends_idx").on(t.status, t.endsOn),
    // One renewal per period (a declined attempt does not block the next); the renewal job looks it up.
    uniqueIndex("partnerships_renews_idx").on(t.renewsPartnershipId).where(sql`${t.renewsPartnershipId} is not null and ${t.status} <> 'declined'`),
    // The partner dashboard and the CRM list an organisation's partnerships.
    index("partnerships_organisation_idx").on(t.organisationId),
    // The goal page's partner wall lists a goal's partnerships.
    index("partnerships_goal_idx").on(t.goalId),
  ],
);
export type Partnership = typeof partnerships.$inferSelect;
export type NewPartnership = typeof partnerships.$inferInsert;

/** A tier's benefits, in order (logo on the goal page, certificate, impact report, …), edited by staff in /admin/tiers. */
export const partnerTierBenefits = pgTable(
  "partner_tier_benefits",
  {
    id: serial("id").primaryKey(),
    tier: text("tier")
      .notNull()
      .references(() => partnerTiers.slug),
    position: integer("position").notNull(),
    textSv: text("text_sv").notNull(),
    textEn: text("text_en").notNull(),
    /** Removed from the tier's list; kept so that a checklist where it was delivered still names it. */
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // The tier page and each checklist read a tier's benefits in order.
  (t) => [index("partner_tier_benefits_tier_idx").on(t.tier, t.position)],
);
export type PartnerTierBenefit = typeof partnerTierBenefits.$inferSelect;

/** A partnership's checklist: a row per benefit delivered (unticking removes it; the audit log keeps the history). */
export const partnershipBenefits = pgTable(
  "partnership_benefits",
  {
    partnershipId: integer("partnership_id")
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
    benefitId: integer("benefit_id")
      .notNull()
      .references(() => partnerTierBenefits.id),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }).notNull().defaultNow(),
    byPersonId: integer("by_person_id").references(() => people.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.benefitId] })],
);
export type PartnershipBenefit = typeof partnershipBenefits.$inferSelect;

/**
 * Renewal reminders sent: one row per partnership and period end, inserted in the same transaction
 * as the reminder emails are queued. The primary key is what makes the reminder go out once, even
 * when two app instances run the renewal job at the same moment (the second insert finds the row).
 */
export const partnershipRenewalNotices = pgTable(
  "partnership_renewal_notices",
  {
    partnershipId: integer("partnership_id")
      .notNull()
      .references(() => partnerships.id, { onDelete: "cascade" }),
    endsOn: date("ends_on", { mode: "string" }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
    /** How many emails were queued (staff and the partner's contacts). */
    recipients: integer("recipients").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.endsOn] })],
);
export type PartnershipRenewalNotice = typeof partnershipRenewalNotices.$inferSelect;
