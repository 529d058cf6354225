import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, numeric, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { goals } from "./goals";
import { people } from "./identity";

/**
 * How a figure was obtained (issue 14 item 3): counted (`measured`) or a staff estimate (`estimated`),
 * always shown next to the figure so a reader knows which it is.
 */
export const impactMethods = ["measured", "estimated"] as const;
export type ImpactMethod = (typeof impactMethods)[number];

/**
 * An output figure staff record for a goal and a period ("200–250 households a week through
 * Matcentralen", "about 500 counselling occasions in 2022"). Only what staff enter is ever shown; demo
 * rows (db/demo/impact.ts) are fictional and carry `demo`. `valueTo` makes a range ("200–250"), as the
 * organisation's own texts often give one.
 */
export const impactFigures = pgTable(
  "impact_figures",
  {
    id: serial("id").primaryKey(),
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    /** Decimal text as PostgreSQL gives numeric back ("250", "12.5"). */
    value: numeric("value", { precision: 14, scale: 2 }).notNull(),
    /** The top of a range; null for a single value. */
    valueTo: numeric("value_to", { precision: 14, scale: 2 }),
    unitSv: text("unit_sv").notNull(),
    unitEn: text("unit_en").notNull(),
    labelSv: text("label_sv").notNull(),
    labelEn: text("label_en").notNull(),
    method: text("method").$type<ImpactMethod>().notNull(),
    /** Where the figure comes from (a report, a register), for staff and the effektrapport. */
    source: text("source").notNull().default(""),
    demo: boolean("demo").notNull().default(false),
    createdBy: integer("created_by").references(() => people.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Goal pages, partner dashboards and certificates read one goal's figures at a time.
    index("impact_figures_goal_idx").on(t.goalId, t.periodEnd),
    check("impact_figures_method_check", oneOf(t.method, impactMethods)),
    check("impact_figures_period_check", sql`${t.periodEnd} >= ${t.periodStart}`),
    check("impact_figures_value_check", sql`${t.value} >= 0 and (${t.valueTo} is null or ${t.valueTo} >= ${t.value})`),
  ],
);

export type ImpactFigure = typeof impactFigures.$inferSelect;
export type NewImpactFigure = typeof impactFigures.$inferInsert;

/**
 * The organisation's costs of a calendar year as staff enter them from the bookkeeping, split the way
 * Svensk Insamlingskontroll asks (purpose, fundraising, administration), so the yearly report can show
 * the share going to the purpose against the 75 % rule. One row per year; the app never estimates it.
 */
export const yearlyCosts = pgTable(
  "yearly_costs",
  {
    year: integer("year").primaryKey(),
    purposeOre: bigint("purpose_ore", { mode: "bigint" }).notNull(),
    fundraisingOre: bigint("fundraising_ore", { mode: "bigint" }).notNull(),
    administrationOre: bigint("administration_ore", { mode: "bigint" }).notNull(),
    note: text("note").notNull().default(""),
    updatedBy: integer("updated_by").references(() => people.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("yearly_costs_nonnegative", sql`${t.purposeOre} >= 0 and ${t.fundraisingOre} >= 0 and ${t.administrationOre} >= 0`),
    check("yearly_costs_year_check", sql`${t.year} between 2000 and 2100`),
  ],
);

export type YearlyCosts = typeof yearlyCosts.$inferSelect;

/** The sections of the Giva Sverige effektrapport draft (app/services/reports/effekt.ts), in order. */
export const effektSectionKeys = ["aim", "strategies", "capacity", "progress", "achieved"] as const;
export type EffektSectionKey = (typeof effektSectionKeys)[number];

/**
 * Staff's own text for one section of a year's effektrapport draft, shown in the yearly report and its
 * PDF under what the data says. One row per year and section; saving again replaces it, an empty text
 * removes it.
 */
export const effektTexts = pgTable(
  "effekt_texts",
  {
    year: integer("year").notNull(),
    section: text("section").notNull(),
    body: text("body").notNull(),
    updatedBy: integer("updated_by").references(() => people.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The report reads a year's sections at once; the key is also what a save replaces.
    primaryKey({ columns: [t.year, t.section] }),
    check("effekt_texts_section_check", oneOf(t.section, effektSectionKeys)),
    check("effekt_texts_year_check", sql`${t.year} between 2000 and 2100`),
  ],
);

export type EffektText = typeof effektTexts.$inferSelect;
