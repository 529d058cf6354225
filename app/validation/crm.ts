import { z } from "zod";
import type { InteractionKind } from "~db/schema/crm";
import { idSchema, optionalText, requiredText } from "./fields";

/**
 * The staff CRM's forms (issue 11 item 2): an interaction on an organisation's timeline, a task, and
 * the organisation list's search. Browser-safe; messages are codes (app/i18n/crm.ts).
 */

/** A calendar day typed as YYYY-MM-DD (what <input type="date"> sends) that exists (no 31 February). */
export const dayField = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .min(1, { message: "required" })
    .refine((v) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
      if (!m) return false;
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100;
    }, { message: "date" }),
);

/**
 * The kinds again, for the browser (the schema module pulls in drizzle); the two lines below make the
 * type checker refuse a list that differs from db/schema/crm.ts's `interactionKinds`.
 */
export const interactionKindList = ["call", "meeting", "email", "note"] as const satisfies readonly InteractionKind[];
const sameKinds: [InteractionKind] extends [(typeof interactionKindList)[number]] ? true : never = true;
void sameKinds;

/** An id chosen in a select; empty means none. */
const optionalId = z.preprocess((v) => (v === "" || v === undefined || v === null ? null : v), idSchema.nullable());

export const interactionSchema = z.object({
  kind: z.enum(interactionKindList, { message: "interaction_kind" }),
  occurredOn: dayField,
  text: requiredText(5000),
});
export type InteractionInput = z.output<typeof interactionSchema>;

export const taskSchema = z.object({
  title: requiredText(200),
  dueOn: dayField,
  assigneePersonId: z.preprocess((v) => (v === "" ? undefined : v), idSchema),
  organisationId: optionalId,
});
export type TaskInput = z.output<typeof taskSchema>;

/** Done / reopen buttons carry the task's id. */
export const taskIdSchema = z.object({ taskId: idSchema });

/** /admin/organisations?q=…&goal=…&tier=…&status=…: read from the query string, never refused (a bad value is ignored). */
export const organisationSearchSchema = z.object({
  q: optionalText(100).catch(""),
  goal: optionalId.catch(null),
  tier: optionalText(40).catch(""),
  status: optionalText(40).catch(""),
});
export type OrganisationSearch = z.output<typeof organisationSearchSchema>;
