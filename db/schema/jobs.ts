import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Scheduled work (reminders, payroll runs, the end of a competition): one table for every feature,
 * claimed by workers in any app instance with FOR UPDATE SKIP LOCKED (app/services/jobs/).
 * See docs/decisions/0005-scheduled-jobs.md.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    /** Which registered handler runs it, e.g. `invoice_overdue_reminders`. */
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** Not before this time; after a failed attempt, when the next one is due. */
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    /** When set, unique per kind: a second enqueue with the same key is ignored (`daily:2026-11-30`). */
    dedupeKey: text("dedupe_key"),
    /** queued → running → done, or back to queued with a later run_at, or failed for good. */
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** A claim: who holds the job and until when (a crashed instance's claim runs out and is taken over). */
    claimToken: text("claim_token"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    check("jobs_status_known", sql`${t.status} in ('queued', 'running', 'done', 'failed')`),
    // The dedupe guard: one job per (kind, key) ever, whatever instance enqueues it.
    uniqueIndex("jobs_kind_dedupe_key_idx").on(t.kind, t.dedupeKey),
    // Workers look for due jobs by status and time.
    index("jobs_due_idx").on(t.status, t.runAt),
  ],
);
export type Job = typeof jobs.$inferSelect;
