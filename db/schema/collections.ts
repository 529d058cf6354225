import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { goals } from "./goals";
import { organisations, people } from "./identity";

/**
 * Collections and competitions (issue 12). The beginning of the area: what every collection,
 * competition and team has; images, moderation, milestones and match pots come with the issue.
 */

/** open: takes gifts; closed: ended or closed early by its owner. */
export const collectionStatuses = ["open", "closed"] as const;
export type CollectionStatus = (typeof collectionStatuses)[number];

/** single: one person's page; team: a page others join with its invite link, whose total includes their member pages. */
export const collectionKinds = ["single", "team"] as const;
export type CollectionKind = (typeof collectionKinds)[number];

/** The image a collection shows; the type is what its bytes say (PNG, JPEG or WebP), checked before it is stored. */
export const collectionImageTypes = ["image/png", "image/jpeg", "image/webp"] as const;
export type CollectionImageType = (typeof collectionImageTypes)[number];

export const collectionImages = pgTable(
  "collection_images",
  {
    id: serial("id").primaryKey(),
    /** One of collectionImageTypes, from the magic bytes, never from the upload's own claim. */
    contentType: text("content_type").notNull(),
    /** Base64 rather than bytea: PGlite and postgres.js agree on text (as the email attachments). */
    dataBase64: text("data_base64").notNull(),
    byteSize: integer("byte_size").notNull(),
    /** Hex SHA-256 of the bytes: the image's ETag. */
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("collection_images_type_check", oneOf(t.contentType, collectionImageTypes)),
    check("collection_images_size_range", sql`${t.byteSize} > 0 and ${t.byteSize} <= 2097152`),
  ],
);
export type CollectionImage = typeof collectionImages.$inferSelect;

export const collections = pgTable(
  "collections",
  {
    id: serial("id").primaryKey(),
    /** The page's address, /c/<slug>. */
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    /** Plain text, paragraphs separated by a blank line; rendered as text, never HTML. */
    story: text("story").notNull().default(""),
    /** The goal it supports: gifts to it are designated to this goal. */
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
    /** Who started it (signed in by email). */
    ownerPersonId: integer("owner_person_id")
      .notNull()
      .references(() => people.id),
    /** The company it belongs to, if any. */
    organisationId: integer("organisation_id").references(() => organisations.id),
    /** The team collection this is a member page of; null for a collection on its own or a team itself. */
    parentCollectionId: integer("parent_collection_id").references((): AnyPgColumn => collections.id),
    /** Optional target in öre. */
    targetOre: bigint("target_ore", { mode: "bigint" }),
    /** Optional end; gifts are refused after it. */
    endsAt: timestamp("ends_at", { withTimezone: true }),
    /** One of collectionStatuses. */
    status: text("status").notNull().default("open"),
    /** One of collectionKinds. */
    kind: text("kind").notNull().default("single"),
    /** The optional image shown on the page (served by /c/<slug>/image). */
    imageId: integer("image_id").references(() => collectionImages.id),
    /** The owner's thank-you to donors (plain text), shown on the page and in the receipts. */
    thankYouMessage: text("thank_you_message"),
    /** A team's invite code: anyone with the link /c/<slug>/join/<code> may add a member page. */
    inviteCode: text("invite_code").unique(),
    /** The competition team this collection collects for (set by competitions): gifts then go in with channel `competition`. */
    competitionTeamId: integer("competition_team_id").references((): AnyPgColumn => competitionTeams.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    // Moderation (issue 12 item 7, collectowner): a hidden collection answers 410 to the public and takes no gifts.
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenReason: text("hidden_reason"),
    hiddenByPersonId: integer("hidden_by_person_id").references(() => people.id),
  },
  (t) => [
    check("collections_status_check", oneOf(t.status, collectionStatuses)),
    check("collections_kind_check", oneOf(t.kind, collectionKinds)),
    check("collections_target_positive", sql`${t.targetOre} is null or ${t.targetOre} > 0`),
    check("collections_not_own_parent", sql`${t.parentCollectionId} is null or ${t.parentCollectionId} <> ${t.id}`),
    // The goal page lists a goal's collections.
    index("collections_goal_idx").on(t.goalId),
    // A team's total and page read its member pages.
    index("collections_parent_idx").on(t.parentCollectionId),
    // The owner's own list of collections.
    index("collections_owner_idx").on(t.ownerPersonId),
  ],
);
export type Collection = typeof collections.$inferSelect;
export type NewCollection = typeof collections.$inferInsert;

/**
 * How a competition ranks its teams (issue 12, item 6); `together` ranks nobody (one shared target).
 * per_headcount divides by the team's stated headcount, per_participant by those who gave or collected.
 */
export const competitionScoringModes = ["total", "per_participant", "per_headcount", "participation", "together"] as const;
export type CompetitionScoringMode = (typeof competitionScoringModes)[number];

export const competitions = pgTable(
  "competitions",
  {
    id: serial("id").primaryKey(),
    /** The page's address, /competitions/<slug>. */
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    /** Who organises it; chooses (and before the start may change) the scoring mode. */
    organiserPersonId: integer("organiser_person_id")
      .notNull()
      .references(() => people.id),
    /** One of competitionScoringModes. */
    scoringMode: text("scoring_mode").notNull().default("total"),
    /** Plain text, rendered as text. */
    description: text("description").notNull().default(""),
    /** The period: gifts in it count. */
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** The shared target of all teams together (the `together` mode's goal, and what unlocks a match pot). */
    targetOre: bigint("target_ore", { mode: "bigint" }),
    /**
     * A sponsor's promise: this amount when the teams together reach targetOre. Recorded and shown as
     * promised, then unlocked; the sponsor's own payment is booked like any company gift (an invoice),
     * not through the competition, so it never moves the standings.
     */
    matchPotOre: bigint("match_pot_ore", { mode: "bigint" }),
    matchSponsorName: text("match_sponsor_name"),
    /** When the shared target was first seen reached (set once by the competitions job). */
    matchUnlockedAt: timestamp("match_unlocked_at", { withTimezone: true }),
    /** Other teams join with /competitions/<slug>/join?code=<inviteCode>. */
    inviteCode: text("invite_code").notNull().unique(),
    /** When the results email went out (once, by the competitions job). */
    resultsSentAt: timestamp("results_sent_at", { withTimezone: true }),
    /** Rows made by the demo seeders (fictional companies). */
    demo: boolean("demo").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("competitions_scoring_mode_check", oneOf(t.scoringMode, competitionScoringModes)),
    check("competitions_period_order", sql`${t.endsAt} > ${t.startsAt}`),
    check("competitions_target_positive", sql`${t.targetOre} is null or ${t.targetOre} > 0`),
    // A match pot is unlocked by the shared target: no pot without one.
    check("competitions_match_needs_target", sql`${t.matchPotOre} is null or (${t.matchPotOre} > 0 and ${t.targetOre} is not null)`),
    // The results job finds ended competitions not yet announced.
    index("competitions_ends_idx").on(t.endsAt),
  ],
);
export type Competition = typeof competitions.$inferSelect;

/** The goal or goals a competition collects for; each team's collection supports one of them. */
export const competitionGoals = pgTable(
  "competition_goals",
  {
    competitionId: integer("competition_id")
      .notNull()
      .references(() => competitions.id),
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
  },
  (t) => [primaryKey({ columns: [t.competitionId, t.goalId] })],
);

/** A team in a competition: typically a company, collecting through its (team) collection. */
export const competitionTeams = pgTable(
  "competition_teams",
  {
    id: serial("id").primaryKey(),
    competitionId: integer("competition_id")
      .notNull()
      .references(() => competitions.id),
    /** The team's name on the leaderboard. */
    name: text("name").notNull(),
    /** The company the team is, if any. */
    organisationId: integer("organisation_id").references(() => organisations.id),
    /** The team's collection, where its gifts are made, if any. */
    collectionId: integer("collection_id").references(() => collections.id),
    /** The headcount the team states, for the per_headcount and participation modes. */
    statedHeadcount: integer("stated_headcount"),
    /** How many were invited to take part, for the participation mode (share of invited who gave or collected). */
    invitedCount: integer("invited_count"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("competition_teams_headcount_positive", sql`${t.statedHeadcount} is null or ${t.statedHeadcount} > 0`),
    check("competition_teams_invited_positive", sql`${t.invitedCount} is null or ${t.invitedCount} > 0`),
    // A company or a collection is in a competition once; these also serve "a competition's teams".
    uniqueIndex("competition_teams_organisation_uq").on(t.competitionId, t.organisationId),
    uniqueIndex("competition_teams_collection_uq").on(t.competitionId, t.collectionId),
  ],
);
export type CompetitionTeam = typeof competitionTeams.$inferSelect;
