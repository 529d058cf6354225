import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The email outbox. A caller inserts a row (inside its own transaction when it has one); workers in
 * any app instance claim rows with FOR UPDATE SKIP LOCKED, render, send, and mark them sent.
 * Rendered subject/html/text are kept, which is also what the dev mailbox shows.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: serial("id").primaryKey(),
    to: text("to").notNull(),
    template: text("template").notNull(),
    locale: text("locale").notNull(),
    props: jsonb("props").$type<Record<string, unknown>>().notNull().default({}),
    /** When set, the same message is never queued twice (e.g. `receipt:<payment id>`). */
    dedupeKey: text("dedupe_key").unique(),
    /** pending → sending → sent, or back to pending with a later nextAttemptAt, or failed for good. */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A claim: who holds the row and until when (a crashed worker's claim runs out and is taken over). */
    claimToken: text("claim_token"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    /** resend | dev-mailbox */
    transport: text("transport"),
    providerId: text("provider_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    check("email_outbox_status_known", sql`${t.status} in ('pending', 'sending', 'sent', 'failed')`),
    // Workers look for due rows by status and time.
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
  ],
);
export type OutboxRow = typeof emailOutbox.$inferSelect;

/**
 * Files sent with an outbox message (a bank invoice's PDF). Stored at enqueue time, in the caller's
 * transaction, so the message carries exactly what was issued even if the source changes before the
 * worker sends it. Base64 text rather than bytea: PGlite and postgres.js agree on text.
 * Or, instead of the bytes, `render`: what to make when the worker sends it, for a file made from
 * rows that no longer change once the message is queued (an issued invoice's PDF: a payroll month
 * issues 200 invoices at once, and rendering each inside the confirmation cost most of its time).
 */
export const emailAttachments = pgTable(
  "email_attachments",
  {
    id: serial("id").primaryKey(),
    outboxId: integer("outbox_id")
      .notNull()
      .references(() => emailOutbox.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    contentBase64: text("content_base64"),
    render: jsonb("render").$type<AttachmentRender>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The worker loads the attachments of the rows it claimed.
    index("email_attachments_outbox_idx").on(t.outboxId),
    check("email_attachments_content_or_render", sql`(${t.contentBase64} is null) <> (${t.render} is null)`),
  ],
);
/** A file the worker makes at send time: an issued invoice's PDF. */
export type AttachmentRender = { kind: "invoice-pdf"; invoiceId: number };
export type EmailAttachmentRow = typeof emailAttachments.$inferSelect;
