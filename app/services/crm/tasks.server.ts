import { and, asc, desc, eq, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "~db/client.server";
import { crmTasks, organisations, people, staffRoles, type CrmTask } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { parseId } from "~/services/auth/validation";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { taskSchema } from "~/validation/crm";
import { stockholmDay } from "~/utils/dates";

/**
 * Staff tasks (issue 11 item 2): a title, a due day, a staff assignee and optionally an organisation.
 * "My tasks" are the actor's open ones, "overdue" everyone's open ones past their day. Staff only.
 */

export const taskViews = ["mine", "overdue", "all"] as const;
export type TaskView = (typeof taskViews)[number];

export interface TaskRow {
  id: number;
  title: string;
  dueOn: string;
  overdue: boolean;
  assignee: { id: number; name: string | null; email: string };
  organisation: { id: number; name: string } | null;
  doneAt: string | null;
  doneBy: string | null;
}

async function isStaffPerson(db: Db | Tx, personId: number): Promise<boolean> {
  const [row] = await db.select({ personId: staffRoles.personId }).from(staffRoles).where(eq(staffRoles.personId, personId)).limit(1);
  return !!row;
}

/** Staff create a task for a staff member (themselves or a colleague); audited. */
export async function createTask(ctx: ServiceContext, input: Record<string, unknown>): Promise<CrmTask> {
  const actor = requireStaffActor(ctx);
  const parsed = taskSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_task", fieldErrorCodes(parsed.error));
  const { title, dueOn, assigneePersonId, organisationId } = parsed.data;
  return ctx.db.transaction(async (tx) => {
    // Tasks are staff work: a partner contact or a donor is never an assignee.
    if (!(await isStaffPerson(tx, assigneePersonId))) throw new Invalid("invalid_task", { assigneePersonId: "assignee_not_staff" });
    if (organisationId !== null) {
      const [org] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId));
      if (!org) throw new Invalid("invalid_task", { organisationId: "unknown_organisation" });
    }
    const [task] = await tx.insert(crmTasks).values({ title, dueOn, assigneePersonId, organisationId, createdBy: actor.personId }).returning();
    await recordAudit(tx, { actorPersonId: actor.personId, action: "crm_task_created", subjectPersonId: assigneePersonId, organisationId, details: { taskId: task.id, title, dueOn } });
    return task;
  });
}

/**
 * Marks a task done (who and when). Done already: nothing changes (a second click, two tabs), and the
 * task is returned as it is.
 */
export async function completeTask(ctx: ServiceContext, taskId: number, now = new Date()): Promise<CrmTask> {
  const actor = requireStaffActor(ctx);
  return changeDone(ctx, taskId, isNull(crmTasks.doneAt), { doneAt: now, doneByPersonId: actor.personId }, "crm_task_completed");
}

/** Opens a done task again (its reminder is not sent a second time). */
export async function reopenTask(ctx: ServiceContext, taskId: number): Promise<CrmTask> {
  requireStaffActor(ctx);
  return changeDone(ctx, taskId, isNotNull(crmTasks.doneAt), { doneAt: null, doneByPersonId: null }, "crm_task_reopened");
}

async function changeDone(
  ctx: ServiceContext,
  taskId: number,
  when: SQL,
  set: { doneAt: Date | null; doneByPersonId: number | null },
  action: "crm_task_completed" | "crm_task_reopened",
): Promise<CrmTask> {
  if (parseId(taskId) === null) throw new NotFound();
  return ctx.db.transaction(async (tx) => {
    const [changed] = await tx.update(crmTasks).set(set).where(and(eq(crmTasks.id, taskId), when)).returning();
    if (changed) {
      await recordAudit(tx, { actorPersonId: ctx.actor.kind === "person" ? ctx.actor.personId : null, action, subjectPersonId: changed.assigneePersonId, organisationId: changed.organisationId, details: { taskId, title: changed.title } });
      return changed;
    }
    const [task] = await tx.select().from(crmTasks).where(eq(crmTasks.id, taskId));
    if (!task) throw new NotFound();
    return task;
  });
}

/**
 * A view of the tasks: `mine` (the actor's open tasks, soonest first), `overdue` (everyone's open tasks
 * whose day has passed, oldest first), `all` (open ones soonest first, then the done ones, latest first).
 * With `organisationId`, only that organisation's tasks (its page shows open and done).
 */
export async function listTasks(ctx: ServiceContext, opts: { view: TaskView; organisationId?: number }, now = new Date()): Promise<TaskRow[]> {
  const actor = requireStaffActor(ctx);
  const today = stockholmDay(now);
  const open = isNull(crmTasks.doneAt);
  const where =
    opts.view === "mine"
      ? and(open, eq(crmTasks.assigneePersonId, actor.personId))
      : opts.view === "overdue"
        ? and(open, lt(crmTasks.dueOn, today))
        : undefined;
  const byOrg = opts.organisationId !== undefined ? eq(crmTasks.organisationId, opts.organisationId) : undefined;
  const assignee = alias(people, "assignee");
  const doer = alias(people, "doer");
  const rows = await ctx.db
    .select({ t: crmTasks, assigneeName: assignee.name, assigneeEmail: assignee.email, orgName: organisations.name, doerName: doer.name, doerEmail: doer.email })
    .from(crmTasks)
    .innerJoin(assignee, eq(assignee.id, crmTasks.assigneePersonId))
    .leftJoin(organisations, eq(organisations.id, crmTasks.organisationId))
    .leftJoin(doer, eq(doer.id, crmTasks.doneByPersonId))
    .where(and(where, byOrg))
    // Open before done; open by due day; done, the latest finished first.
    .orderBy(sql`${crmTasks.doneAt} is not null`, asc(crmTasks.dueOn), desc(crmTasks.doneAt), asc(crmTasks.id))
    .limit(500);
  return rows.map(({ t, assigneeName, assigneeEmail, orgName, doerName, doerEmail }) => ({
    id: t.id,
    title: t.title,
    dueOn: t.dueOn,
    overdue: t.doneAt === null && t.dueOn < today,
    assignee: { id: t.assigneePersonId, name: assigneeName, email: assigneeEmail },
    organisation: t.organisationId !== null && orgName !== null ? { id: t.organisationId, name: orgName } : null,
    doneAt: t.doneAt?.toISOString() ?? null,
    doneBy: doerName ?? doerEmail ?? null,
  }));
}

/** What the task form offers: staff members to assign to and organisations to link. */
export async function taskFormOptions(ctx: ServiceContext) {
  const actor = requireStaffActor(ctx);
  const [staff, orgs] = await Promise.all([
    ctx.db
      .selectDistinct({ id: people.id, name: people.name, email: people.email })
      .from(people)
      .innerJoin(staffRoles, eq(staffRoles.personId, people.id))
      .orderBy(asc(people.email)),
    ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name)),
  ]);
  return { me: actor.personId, staff: staff.map((s) => ({ id: s.id, label: s.name ? `${s.name} (${s.email})` : s.email })), organisations: orgs };
}

/** /admin/tasks: the chosen view (`mine` unless told otherwise) and what the new-task form offers. */
export async function taskPage(ctx: ServiceContext, rawView: string | null, now = new Date()) {
  requireStaffActor(ctx);
  const view: TaskView = (taskViews as readonly string[]).includes(rawView ?? "") ? (rawView as TaskView) : "mine";
  const [tasks, options] = await Promise.all([listTasks(ctx, { view }, now), taskFormOptions(ctx)]);
  return { view, tasks, ...options };
}
