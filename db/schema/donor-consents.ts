import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { people } from "./identity";

/** What a donor agreed to: to be contacted by the charity (thanks, news, asks). */
export const donorConsentPurposes = ["contact"] as const;
export type DonorConsentPurpose = (typeof donorConsentPurposes)[number];

/**
 * A donor's consent, recorded when given and kept when withdrawn (withdrawnAt set), so the
 * charity can show when it had one. Only people with a consent that is not withdrawn appear in the
 * donor export (/admin/exports). Nothing infers consent from a gift: a gift alone is not one.
 */
export const donorConsents = pgTable(
  "donor_consents",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    /** One of donorConsentPurposes. */
    purpose: text("purpose").notNull().default("contact"),
    givenAt: timestamp("given_at", { withTimezone: true }).notNull(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    /** Where it was given (the give page, a form on paper typed in by staff, …), for the record. */
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One consent per person and purpose; a renewed consent updates the row.
    uniqueIndex("donor_consents_person_purpose_uq").on(t.personId, t.purpose),
    // The export lists the consents in force.
    index("donor_consents_live_idx").on(t.purpose).where(sql`${t.withdrawnAt} is null`),
    check("donor_consents_purpose_check", oneOf(t.purpose, donorConsentPurposes)),
  ],
);
export type DonorConsent = typeof donorConsents.$inferSelect;
