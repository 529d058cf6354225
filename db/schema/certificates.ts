import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { people } from "./identity";
import { partnerships } from "./partners";

/**
 * What a partner certificate states, frozen when it is issued: /verify/<code> shows exactly this, so the
 * page keeps agreeing with the PDF the company printed even after the partnership or the settings change.
 * No personal data (no contact names or addresses): the verify page is public.
 */
export interface CertificateFacts {
  company: string;
  /** The company's organisationsnummer when known. */
  orgNumber: string | null;
  goal: { slug: string; number: number; titleSv: string; titleEn: string; sdgs: number[] };
  tier: { slug: string; nameSv: string; nameEn: string };
  /** The calendar year the certificate is for. */
  year: number;
  /** Net money the partnership's payments paid in that year brought the goal (öre, as a decimal string). */
  amountOre: string;
  /** The partnership's agreed period, as far as it was agreed (ISO dates). */
  startsOn: string | null;
  endsOn: string | null;
  /** The charity as staff entered it in the settings; an empty string where a setting is missing. */
  charity: { name: string; organisationNumber: string; address: string; website: string };
  /**
   * The goal's impact figures whose period overlaps the year, as staff entered them (issue 14 item 3).
   * Absent on certificates issued before impact figures existed; read it as none.
   */
  impact?: CertificateImpact[];
}

/** An impact figure as a certificate froze it (db/schema/impact.ts's row, without ids). */
export interface CertificateImpact {
  labelSv: string;
  labelEn: string;
  value: string;
  valueTo: string | null;
  unitSv: string;
  unitEn: string;
  method: "measured" | "estimated";
  periodStart: string;
  periodEnd: string;
  demo: boolean;
}

/**
 * Partner certificates (issue 11, item 8): one per partnership and calendar year, re-issued with a new
 * code when the facts change (a later payment or refund); the older one is then marked superseded, and
 * its verify page says so instead of vanishing.
 */
export const certificates = pgTable(
  "certificates",
  {
    id: serial("id").primaryKey(),
    /** Random, unguessable (the public /verify/<code> link). */
    code: text("code").notNull().unique(),
    partnershipId: integer("partnership_id")
      .notNull()
      .references(() => partnerships.id),
    year: integer("year").notNull(),
    facts: jsonb("facts").$type<CertificateFacts>().notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    /** Who first asked for it (a contact or staff); null when the app issued it. */
    issuedByPersonId: integer("issued_by_person_id").references(() => people.id, { onDelete: "set null" }),
    /** Set when a newer certificate for the same partnership and year replaced this one. */
    supersededAt: timestamp("superseded_at", { withTimezone: true }),
  },
  (t) => [
    check("certificates_year_range", sql`${t.year} between 2000 and 2100`),
    // One current certificate per partnership year (two contacts asking at once get the same one);
    // the dashboard looks it up by this index.
    uniqueIndex("certificates_current_idx").on(t.partnershipId, t.year).where(sql`${t.supersededAt} is null`),
  ],
);
export type Certificate = typeof certificates.$inferSelect;
