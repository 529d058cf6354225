import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { collections } from "./collections";
import { people } from "./identity";

/**
 * Moderation and owner bookkeeping of collections (issue 12 items 4 and 7). Hidden flags live on
 * collections and payments themselves (their public reads filter on them); here what is about them.
 */

/** A visitor's report of a collection ("report" link on every collection page); staff handle it. */
export const collectionReports = pgTable(
  "collection_reports",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    collectionId: integer("collection_id")
      .notNull()
      .references(() => collections.id),
    /** What the reporter wrote; shown to staff as text, never HTML. */
    reason: text("reason").notNull(),
    /** Optional, so staff can answer; never shown publicly. */
    reporterEmail: text("reporter_email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    handledAt: timestamp("handled_at", { withTimezone: true }),
    handledByPersonId: integer("handled_by_person_id").references(() => people.id),
  },
  (t) => [
    // Staff read open reports first, newest first, and a collection's reports.
    index("collection_reports_open_idx").on(t.handledAt, t.createdAt),
    index("collection_reports_collection_idx").on(t.collectionId),
  ],
);
export type CollectionReport = typeof collectionReports.$inferSelect;

/** The milestones an owner is told about, in per cent of the target. */
export const collectionMilestonePercents = [25, 50, 75, 100] as const;
export type CollectionMilestonePercent = (typeof collectionMilestonePercents)[number];

/**
 * Each milestone email once: the row is inserted in the transaction that enqueues the email, and the
 * unique pair makes a second instance's insert a no-op (so it enqueues nothing).
 */
export const collectionMilestones = pgTable(
  "collection_milestones",
  {
    collectionId: integer("collection_id")
      .notNull()
      .references(() => collections.id),
    percent: integer("percent").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("collection_milestones_percent_check", sql`${t.percent} in (25, 50, 75, 100)`),
    uniqueIndex("collection_milestones_uq").on(t.collectionId, t.percent),
  ],
);
export type CollectionMilestone = typeof collectionMilestones.$inferSelect;

/** The end-of-collection summary to its owner, once: inserted in the transaction that enqueues the email. */
export const collectionSummaries = pgTable("collection_summaries", {
  collectionId: integer("collection_id")
    .primaryKey()
    .references(() => collections.id),
  sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
});
