import { and, asc, eq, isNull, lte } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { crmTasks, organisations, people } from "~db/schema";
import { crmMessages } from "~/i18n/crm";
import { fill } from "~/i18n/messages";
import { requireSystem, type ServiceContext } from "~/services/context";
import { enqueueEmail } from "~/services/email/outbox.server";
import { enqueueJob, registerJobHandler } from "~/services/jobs/jobs.server";
import { nextDailyRun } from "~/services/jobs/recurring";
import { env } from "~/utils/env.server";
import { stockholmDay } from "~/utils/dates";

/** The daily run that emails each assignee on their task's due day (registered in jobs/registry.server.ts). */
export const TASK_REMINDERS_JOB = "crm_task_reminders";
/** 05:00 UTC: 06:00 or 07:00 in Sweden, in the inbox before the working day starts. */
const HOUR_UTC = 5;

/**
 * Emails the assignee of every open task due today (or earlier and never reminded: a day the job did
 * not run is caught up), once per task. The claim is `reminder_sent_at` set in the transaction that
 * queues the email (`… where reminder_sent_at is null returning`): two runs at once (two instances, a
 * retried job) find the row claimed by the first and queue nothing; the outbox's dedupe key per task
 * is a second guard. The system only (the job).
 */
export async function sendDueTaskReminders(ctx: ServiceContext, now = new Date()): Promise<{ reminded: number }> {
  requireSystem(ctx);
  const today = stockholmDay(now);
  const due = await ctx.db
    .select({ id: crmTasks.id })
    .from(crmTasks)
    .where(and(isNull(crmTasks.doneAt), isNull(crmTasks.reminderSentAt), lte(crmTasks.dueOn, today)))
    .orderBy(asc(crmTasks.id));
  let reminded = 0;
  for (const { id } of due) {
    const sent = await ctx.db.transaction(async (tx) => {
      const [task] = await tx
        .update(crmTasks)
        .set({ reminderSentAt: now })
        .where(and(eq(crmTasks.id, id), isNull(crmTasks.reminderSentAt), isNull(crmTasks.doneAt)))
        .returning();
      if (!task) return false;
      const [assignee] = await tx.select({ email: people.email, name: people.name }).from(people).where(eq(people.id, task.assigneePersonId));
      const [org] = task.organisationId === null ? [] : await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, task.organisationId));
      // Staff read the staff pages in Swedish by default; people have no stored language.
      const t = crmMessages("sv");
      await enqueueEmail(tx, {
        to: assignee.email,
        template: "notice",
        locale: "sv",
        props: {
          subject: fill(t.reminderSubject, { title: task.title }),
          heading: t.reminderHeading,
          body: [fill(t.reminderBody, { title: task.title, dueOn: task.dueOn }), org ? fill(t.reminderOrganisation, { name: org.name }) : ""].filter(Boolean).join("\n\n"),
          actionUrl: `${env().appUrl}/admin/tasks`,
          actionLabel: t.reminderAction,
        },
        dedupeKey: `crm-task-reminder:${task.id}`,
      });
      return true;
    });
    if (sent) reminded++;
  }
  return { reminded };
}

/** Registers the handler and queues the next daily run (one per day whatever the number of instances). */
export async function registerCrmJobs(db: Db, clock: () => Date = () => new Date()): Promise<void> {
  registerJobHandler(TASK_REMINDERS_JOB, async ({ ctx }) => {
    const now = clock();
    await sendDueTaskReminders(ctx, now);
    return { next: { kind: TASK_REMINDERS_JOB, ...nextDailyRun(now, HOUR_UTC) } };
  });
  await enqueueJob(db, { kind: TASK_REMINDERS_JOB, ...nextDailyRun(clock(), HOUR_UTC) });
}
