import { boolean, pgTable, serial, text } from "drizzle-orm/pg-core";

/**
 * Industries an organisation can belong to: the 21 sections (A–U) of SCB's Swedish Standard Industrial
 * Classification SNI 2007, seeded as reference data (db/reference-industries.ts). Staff mark the ones
 * excluded by the charity's ethical screening; a partnership in one needs their sign-off.
 */
export const industries = pgTable("industries", {
  id: serial("id").primaryKey(),
  /** `sni2007-<section letter>` for the seeded rows. */
  slug: text("slug").notNull().unique(),
  nameSv: text("name_sv").notNull(),
  nameEn: text("name_en").notNull(),
  excluded: boolean("excluded").notNull().default(false),
});
export type Industry = typeof industries.$inferSelect;
export type NewIndustry = typeof industries.$inferInsert;
