import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, useActionData, useLoaderData } from "@remix-run/react";
import { TaskForm, TaskTable } from "~/components/crm/tasks";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { crmMessages } from "~/i18n/crm";
import { taskPage } from "~/services/crm/tasks.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { crmAction } from "~/utils/crm-actions.server";
import { orThrowResponse, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: crmMessages(data?.locale ?? "sv").tasksTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const page = await orThrowResponse(() => taskPage(ctx, new URL(request.url).searchParams.get("view")));
  return { locale: ctx.locale, ...page };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const view = new URL(request.url).searchParams.get("view");
  return crmAction(ctx, await readForm(request), `/admin/tasks${view ? `?view=${encodeURIComponent(view)}` : ""}`);
}

export default function AdminTasks() {
  const { locale, view, tasks, staff, organisations, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = crmMessages(locale);
  const empty = { mine: [t.emptyMine, t.emptyMineNext], overdue: [t.emptyOverdue, t.emptyOverdueNext], all: [t.emptyAll, t.emptyAllNext] }[view];
  const views = [
    ["mine", t.viewMine],
    ["overdue", t.viewOverdue],
    ["all", t.viewAll],
  ] as const;
  return (
    <section aria-labelledby="tasks-heading">
      <PageHeader id="tasks-heading" title={t.tasksHeading} lead={t.tasksLead} />
      <DoneToast messages={{ task: t.taskSaved, task_done: t.taskDone, task_reopened: t.taskReopened }} />
      <nav aria-label={t.views} className="filters">
        {views.map(([v, label]) => (
          <NavLink key={v} to={`/admin/tasks?view=${v}`} className={`button ${v === view ? "" : "secondary"} small`} aria-current={v === view ? "page" : undefined}>
            {label}
          </NavLink>
        ))}
      </nav>
      {tasks.length === 0 ? (
        <EmptyState title={empty[0]}>
          <p>{empty[1]}</p>
        </EmptyState>
      ) : (
        <TaskTable tasks={tasks} locale={locale} action={`/admin/tasks?view=${view}`} labelledBy="tasks-heading" />
      )}
      <h2 id="new-task-heading">{t.newTask}</h2>
      <TaskForm locale={locale} action={`/admin/tasks?view=${view}`} result={result} staff={staff} me={me} organisations={organisations} />
    </section>
  );
}
