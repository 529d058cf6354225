import { redirect } from "@remix-run/node";
import { crmErrorMessages } from "~/i18n/crm";
import type { ServiceContext } from "~/services/context";
import { completeTask, createTask, reopenTask } from "~/services/crm/tasks.server";
import { addInteraction } from "~/services/crm/timeline.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt } from "~/utils/http.server";
import { interactionSchema, taskIdSchema, taskSchema } from "~/validation/crm";
import { parseForm } from "~/validation/parse";

/**
 * The CRM forms' actions, shared by /admin/tasks and an organisation's CRM panel: the form's hidden
 * `intent` picks one service call; a refusal is the 400 `ActionFailure` (with `intent` among its
 * values, so the page shows it on the right form); success goes to `back` with `?done=<what>`.
 */
export async function crmAction(ctx: ServiceContext, form: FormData, back: string, organisationId?: number) {
  const intent = String(form.get("intent") ?? "");
  const done = (what: string) => redirect(`${back}${back.includes("?") ? "&" : "?"}done=${what}`);
  if (intent === "interaction" && organisationId !== undefined) {
    const submission = parseForm(form, interactionSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, crmErrorMessages);
    return attempt(ctx.locale, async () => (await addInteraction(ctx, organisationId, submission.value), done("interaction")), {
      messages: crmErrorMessages,
      values: submittedValues(submission.payload),
    });
  }
  if (intent === "task") {
    const submission = parseForm(form, taskSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, crmErrorMessages);
    const values = submittedValues(submission.payload);
    return attempt(ctx.locale, async () => (await createTask(ctx, values), done("task")), { messages: crmErrorMessages, values });
  }
  if (intent === "done" || intent === "reopen") {
    const submission = parseForm(form, taskIdSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, crmErrorMessages);
    const { taskId } = submission.value;
    return attempt(ctx.locale, async () => (await (intent === "done" ? completeTask(ctx, taskId) : reopenTask(ctx, taskId)), done(intent === "done" ? "task_done" : "task_reopened")), {
      messages: crmErrorMessages,
    });
  }
  return rejectSubmission(parseForm(new FormData(), taskIdSchema), ctx.locale, crmErrorMessages);
}
