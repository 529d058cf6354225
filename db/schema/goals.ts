import { bigint, boolean, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

/** The five local goals. Reference data: seeded once, then edited by staff, never overwritten by a deploy. */
export const goals = pgTable("goals", {
  id: serial("id").primaryKey(),
  number: integer("number").notNull().unique(),
  slug: text("slug").notNull().unique(),
  titleSv: text("title_sv").notNull(),
  titleEn: text("title_en").notNull(),
  /** One sentence under the title. */
  leadSv: text("lead_sv").notNull().default(""),
  leadEn: text("lead_en").notNull().default(""),
  /** What the goal is about. Paragraphs separated by a blank line; rendered as text. */
  aboutSv: text("about_sv").notNull().default(""),
  aboutEn: text("about_en").notNull().default(""),
  /** What is done today. */
  todaySv: text("today_sv").notNull().default(""),
  todayEn: text("today_en").notNull().default(""),
  /** What more is wanted. */
  moreSv: text("more_sv").notNull().default(""),
  moreEn: text("more_en").notNull().default(""),
  /** Linked UN Sustainable Development Goals (1–17). */
  sdgs: integer("sdgs").array().notNull().default([]),
  /** Yearly target in öre; null while staff have not set one (the seeds give none). */
  targetOre: bigint("target_ore", { mode: "bigint" }),
  /** True while the texts are drafts assembled from the organisation's description, awaiting staff review. */
  draft: boolean("draft").notNull().default(false),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Goal = typeof goals.$inferSelect;
export type NewGoal = typeof goals.$inferInsert;

/** Partner tiers (huvudpartner, partner, vänföretag). */
export const partnerTiers = pgTable("partner_tiers", {
  id: serial("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  nameSv: text("name_sv").notNull(),
  nameEn: text("name_en").notNull(),
  /** 1 is the highest tier. */
  rank: integer("rank").notNull().unique(),
  /** Minimum yearly amount in öre; null until staff set it (the seeds give no amounts). */
  minYearlyOre: bigint("min_yearly_ore", { mode: "bigint" }),
});

export type PartnerTier = typeof partnerTiers.$inferSelect;
