import { Form, Link } from "@remix-run/react";
import { AppForm, SelectField, TextField, useAppForm } from "~/components/form";
import { StatusBadge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { crmErrorMessages, crmMessages } from "~/i18n/crm";
import { fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { taskSchema } from "~/validation/crm";

/** A task as the loaders send it (TaskRow from app/services/crm/tasks.server.ts). */
export interface TaskItem {
  id: number;
  title: string;
  dueOn: string;
  overdue: boolean;
  assignee: { id: number; name: string | null; email: string };
  organisation: { id: number; name: string } | null;
  doneAt: string | null;
  doneBy: string | null;
}

/** An action's refusal for the form whose hidden `intent` it carries (two forms share one action). */
export function resultFor(result: unknown, intent: string): unknown {
  const values = (result as { values?: Record<string, string> } | undefined)?.values;
  return values?.intent === intent ? result : undefined;
}

/** The tasks with done / reopen buttons posting `intent` and `taskId` to `action`. */
export function TaskTable({ tasks, locale, action, labelledBy, showOrganisation = true }: { tasks: TaskItem[]; locale: Locale; action: string; labelledBy: string; showOrganisation?: boolean }) {
  const t = crmMessages(locale);
  return (
    <DataTable
      labelledBy={labelledBy}
      rows={tasks}
      rowKey={(task) => task.id}
      columns={[
        { label: t.colTitle, cell: (task) => task.title },
        { label: t.colDue, nowrap: true, cell: (task) => formatDate(task.dueOn, locale) },
        { label: t.colAssignee, cell: (task) => task.assignee.name ?? task.assignee.email },
        ...(showOrganisation
          ? [{ label: t.colOrganisation, cell: (task: TaskItem) => (task.organisation ? <Link to={`/admin/organisations/${task.organisation.id}`}>{task.organisation.name}</Link> : "–") }]
          : []),
        {
          label: t.colDone,
          cell: (task) =>
            task.doneAt ? (
              <StatusBadge status="paid" label={fill(t.doneBy, { when: formatDate(task.doneAt, locale), name: task.doneBy ?? "–" })} />
            ) : task.overdue ? (
              <StatusBadge status="overdue" label={t.overdue} />
            ) : (
              <StatusBadge status="open" label={t.open} />
            ),
        },
        {
          label: t.colAction,
          hiddenLabel: true,
          cell: (task) => (
            <Form method="post" action={action}>
              <input type="hidden" name="taskId" value={task.id} />
              <button type="submit" name="intent" value={task.doneAt ? "reopen" : "done"} className="button secondary small">
                {task.doneAt ? t.reopen : t.markDone}
              </button>
            </Form>
          ),
        },
      ]}
    />
  );
}

/** A new task; `organisationId` fixed on an organisation's page, a choice on /admin/tasks. */
export function TaskForm({
  locale,
  action,
  result,
  staff,
  me,
  organisations,
  organisationId,
}: {
  locale: Locale;
  action: string;
  result: unknown;
  staff: { id: number; label: string }[];
  me: number;
  organisations?: { id: number; name: string }[];
  organisationId?: number;
}) {
  const t = crmMessages(locale);
  const f = useAppForm({
    id: "new-task",
    schema: taskSchema,
    result: resultFor(result, "task"),
    messages: crmErrorMessages,
    defaultValue: { assigneePersonId: String(me), organisationId: organisationId ? String(organisationId) : "" },
  });
  return (
    <AppForm of={f} action={action} className="stack">
      <input type="hidden" name="intent" value="task" />
      <TextField meta={f.fields.title} label={t.title} />
      <TextField meta={f.fields.dueOn} label={t.dueOn} placeholder="2026-12-31" autoComplete="off" />
      <SelectField meta={f.fields.assigneePersonId} label={t.assignee} options={[{ value: "", label: t.chooseAssignee }, ...staff.map((s) => ({ value: String(s.id), label: s.label }))]} />
      {organisations ? (
        <SelectField meta={f.fields.organisationId} label={t.organisation} options={[{ value: "", label: t.noOrganisation }, ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]} />
      ) : (
        <input type="hidden" name="organisationId" value={organisationId ?? ""} />
      )}
      <p>
        <button type="submit" className="button">
          {t.saveTask}
        </button>
      </p>
    </AppForm>
  );
}
