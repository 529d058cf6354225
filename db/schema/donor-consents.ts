import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { people } from "./identity";
import { payments } from "./payments";

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

/**
 * A consent ticked on the give page, waiting for its gift to be paid. The trigger
 * `payments_gift_consent` (migration gift_consent_trigger) turns it into the donor's donor_consents row
 * in the transaction that records the payment as paid, so an abandoned checkout leaves no consent and
 * the Stripe path pays for it with no extra round trip.
 */
export const giftConsents = pgTable(
  "gift_consents",
  {
    paymentId: bigint("payment_id", { mode: "bigint" })
      .primaryKey()
      .references(() => payments.id, { onDelete: "cascade" }),
    /** One of donorConsentPurposes. */
    purpose: text("purpose").notNull().default("contact"),
    /** When the donor sent the form with the box ticked: the consent's given_at once paid. */
    askedAt: timestamp("asked_at", { withTimezone: true }).notNull().defaultNow(),
    /** The words the donor agreed to, in the language they read them, for the record. */
    wording: text("wording").notNull(),
  },
  (t) => [check("gift_consents_purpose_check", oneOf(t.purpose, donorConsentPurposes))],
);
export type GiftConsent = typeof giftConsents.$inferSelect;
