import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { people } from "./identity";

/**
 * The accounts the SIE 4I export books on (issue 14 item 5), one row per purpose, set by staff at
 * /admin/exports/accounts. A purpose without a row uses the default in
 * app/services/exports/accounts.ts; the defaults are BAS suggestions (research/formats.md §2.6),
 * not the charity's own chart, which only its accountant knows.
 */
export const bookkeepingAccounts = pgTable(
  "bookkeeping_accounts",
  {
    /** One of bookkeepingPurposes (app/services/exports/accounts.ts): `income:<channel>`, `bank`, `stripe`, `fees`, `corrections`. */
    purpose: text("purpose").primaryKey(),
    /** A four-digit BAS account number. */
    account: text("account").notNull(),
    /** The account's name as written in #KONTO. */
    name: text("name").notNull(),
    updatedBy: integer("updated_by").references(() => people.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("bookkeeping_accounts_four_digits", sql`${t.account} ~ '^[0-9]{4}$'`)],
);
export type BookkeepingAccount = typeof bookkeepingAccounts.$inferSelect;
