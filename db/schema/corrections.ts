import { bigint, bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { people } from "./identity";
import { paymentAnomalies } from "./payments";

/**
 * Staff resolving a flagged payment (a failed refund: the money is back with the charity, the
 * reversal stays in the ledger until a correction). Anomalies are facts from Stripe and stay as they
 * are; a resolution is a row of its own, never edited, so the history of who decided what is kept.
 */
export const paymentAnomalyResolutions = pgTable(
  "payment_anomaly_resolutions",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    anomalyId: bigint("anomaly_id", { mode: "bigint" })
      .notNull()
      .references(() => paymentAnomalies.id),
    note: text("note").notNull(),
    /** `staff:<email>` (authorOf). */
    author: text("author").notNull(),
    personId: integer("person_id").references(() => people.id, { onDelete: "set null" }),
    /** The correction posted with it, if any (its entry group, `corr:<uuid>`). */
    correctionGroup: text("correction_group"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // An anomaly is resolved once; a second resolution (two staff at once) is refused.
    uniqueIndex("payment_anomaly_resolutions_anomaly_uq").on(t.anomalyId),
    // The corrections page lists the newest first.
    index("payment_anomaly_resolutions_created_idx").on(t.createdAt),
  ],
);
export type PaymentAnomalyResolution = typeof paymentAnomalyResolutions.$inferSelect;
