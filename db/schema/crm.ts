import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { organisations, people } from "./identity";

/**
 * The staff CRM (issue 11 item 2): what staff did with an organisation (interactions) and what they
 * still have to do (tasks). Staff only; partner contacts never read these tables.
 */

export const interactionKinds = ["call", "meeting", "email", "note"] as const;
export type InteractionKind = (typeof interactionKinds)[number];

export const crmInteractions = pgTable(
  "crm_interactions",
  {
    id: serial("id").primaryKey(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    /** One of interactionKinds. */
    kind: text("kind").$type<InteractionKind>().notNull(),
    /** The day it happened (Swedish calendar day), which may be before it was written down. */
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    /** The staff member who wrote it; kept null if the person is removed, the text stays. */
    authorPersonId: integer("author_person_id").references(() => people.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("crm_interactions_kind_check", oneOf(t.kind, interactionKinds)),
    check("crm_interactions_text_present", sql`length(btrim(${t.text})) > 0`),
    // The timeline reads one organisation's interactions, newest first.
    index("crm_interactions_organisation_idx").on(t.organisationId, t.occurredOn),
  ],
);
export type CrmInteraction = typeof crmInteractions.$inferSelect;

export const crmTasks = pgTable(
  "crm_tasks",
  {
    id: serial("id").primaryKey(),
    title: text("title").notNull(),
    /** The day it is due (Swedish calendar day); the reminder goes out on that day. */
    dueOn: date("due_on", { mode: "string" }).notNull(),
    /** A staff member (checked by the service when the task is made or reassigned). */
    assigneePersonId: integer("assignee_person_id")
      .notNull()
      .references(() => people.id),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    doneAt: timestamp("done_at", { withTimezone: true }),
    doneByPersonId: integer("done_by_person_id").references(() => people.id, { onDelete: "set null" }),
    createdBy: integer("created_by").references(() => people.id, { onDelete: "set null" }),
    /** Set in the transaction that queues the reminder email, so a task is reminded once. */
    reminderSentAt: timestamp("reminder_sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("crm_tasks_title_present", sql`length(btrim(${t.title})) > 0`),
    // Who finished it is only known for a finished task (it may be null later: the person was removed).
    check("crm_tasks_done_by_only_when_done", sql`${t.doneAt} is not null or ${t.doneByPersonId} is null`),
    // "My tasks" and the reminder job read open tasks by assignee and due date.
    index("crm_tasks_assignee_due_idx").on(t.assigneePersonId, t.dueOn),
    index("crm_tasks_organisation_idx").on(t.organisationId),
  ],
);
export type CrmTask = typeof crmTasks.$inferSelect;
