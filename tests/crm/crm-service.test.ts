import { and, count, eq, isNull, like, lte } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type Db } from "~db/client.server";
import { auditLog, crmInteractions, crmTasks, emailOutbox, invoices, jobs, organisationMembers, partnerships, payments } from "~db/schema";
import { addInteraction, organisationTimeline } from "~/services/crm/timeline.server";
import { sendDueTaskReminders, TASK_REMINDERS_JOB } from "~/services/crm/reminders.server";
import { completeTask, createTask, listTasks, reopenTask, taskFormOptions } from "~/services/crm/tasks.server";
import { SignInRequired, systemContext } from "~/services/context";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { buildOcr } from "~/services/invoices/ocr";
import { drainJobs, enqueueJob, registerJobHandler, unregisterJobHandler } from "~/services/jobs/jobs.server";
import { createOrganisation, createPerson, createStaff, goalId } from "../factories";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

describe.each(dbTargets)("staff CRM: timeline and tasks (%s)", (target) => {
  const t = useTestDatabase(target);
  // A second handle on the same database, as another app instance has (PGlite is one process's database).
  let other: Database | undefined;
  beforeAll(async () => {
    if (t.database.kind === "postgres") other = await openDatabase({ databaseUrl: t.database.url, max: 4 });
  });
  afterAll(async () => {
    await other?.close();
  });
  const secondDb = (): Db => other?.db ?? t.db;
  const staffCtx = async (role: "admin" | "fundraiser" = "fundraiser") => {
    const person = await createStaff(t.db, role);
    return { person, ctx: staffContext(t.db, person.id, role) };
  };
  const countRows = async (table: typeof crmInteractions | typeof crmTasks) => Number((await t.db.select({ n: count() }).from(table))[0].n);

  it("refuses anyone but staff, before reading or writing anything", async () => {
    const org = await createOrganisation(t.db, {}, { contacts: 1 });
    const contact = personContext(t.db, { id: org.contacts[0].id, organisations: [{ organisationId: org.id, isAdmin: true }] });
    const anonymous = anonymousContext(t.db);
    const system = systemContext(t.db, "test");
    const { person } = await staffCtx();
    const before = [await countRows(crmInteractions), await countRows(crmTasks)];
    const input = { kind: "call", occurredOn: "2026-11-20", text: "Ringde om partnerskap" };
    const task = { title: "Ring tillbaka", dueOn: "2026-12-01", assigneePersonId: String(person.id), organisationId: String(org.id) };
    for (const [ctx, error] of [
      [contact, Forbidden],
      [anonymous, SignInRequired],
      [system, SignInRequired],
    ] as const) {
      await expect(addInteraction(ctx, org.id, input)).rejects.toBeInstanceOf(error);
      await expect(organisationTimeline(ctx, org.id)).rejects.toBeInstanceOf(error);
      await expect(createTask(ctx, task)).rejects.toBeInstanceOf(error);
      await expect(completeTask(ctx, 1)).rejects.toBeInstanceOf(error);
      await expect(reopenTask(ctx, 1)).rejects.toBeInstanceOf(error);
      await expect(listTasks(ctx, { view: "all" })).rejects.toBeInstanceOf(error);
      await expect(taskFormOptions(ctx)).rejects.toBeInstanceOf(error);
    }
    // The reminder run is the job's, not a person's (not even staff).
    await expect(sendDueTaskReminders(staffContext(t.db, person.id))).rejects.toBeInstanceOf(Forbidden);
    expect([await countRows(crmInteractions), await countRows(crmTasks)]).toEqual(before);
  });

  it("timeline: interactions by the day they happened, merged with partnerships, invoices, payments and contacts, newest first", async () => {
    const { person, ctx } = await staffCtx();
    const org = await createOrganisation(t.db, { name: "Fiktiva Byggare AB" });
    const goal = await goalId(t.db, "alla-ar-trygga");
    const contact = await createPerson(t.db, { email: `kontakt-${org.id}@example.com`, name: "Kim Kontakt" });
    await t.db.insert(organisationMembers).values({ organisationId: org.id, personId: contact.id, createdAt: new Date("2026-10-01T09:00:00Z") });
    const [deal] = await t.db
      .insert(partnerships)
      .values({ organisationId: org.id, goalId: goal, tier: "vanforetag", status: "active", createdAt: new Date("2026-10-05T09:00:00Z") })
      .returning();
    const [bill] = await t.db
      .insert(invoices)
      .values({ organisationId: org.id, number: BigInt(900_000 + org.id), ocrReference: buildOcr(BigInt(900_000 + org.id)), issueDate: "2026-10-10", dueDate: "2026-11-09", buyerName: org.name, buyerEmail: "faktura@example.com", totalOre: 500_000n, status: "sent", sentAt: new Date("2026-10-10T10:00:00Z") })
      .returning();
    await t.db.insert(payments).values({ channel: "partner_fee", method: "bank_transfer", status: "paid", amountOre: 500_000n, goalId: goal, partnershipId: deal.id, paidAt: new Date("2026-10-20T08:00:00Z") });
    // A started card payment that never completed is not part of the relationship.
    await t.db.insert(payments).values({ channel: "partner_fee", method: "card", status: "pending", amountOre: 500_000n, goalId: goal, organisationId: org.id });
    // Written down today, but the meeting was on 15 October: it sorts by the meeting's day.
    await addInteraction(ctx, org.id, { kind: "meeting", occurredOn: "2026-10-15", text: "Möte om vänföretag" });
    await addInteraction(ctx, org.id, { kind: "call", occurredOn: "2026-11-02", text: "Samtal om förnyelse" });
    await addInteraction(ctx, org.id, { kind: "note", occurredOn: "2026-11-02", text: "Senare samma dag" });
    // Another organisation's note stays on its own timeline.
    const otherOrg = await createOrganisation(t.db);
    await addInteraction(ctx, otherOrg.id, { kind: "email", occurredOn: "2026-11-03", text: "Annan organisation" });

    const timeline = await organisationTimeline(ctx, org.id);
    expect(timeline.map((e) => (e.type === "interaction" ? `${e.kind}:${e.day}` : `${e.type}:${e.day}`))).toEqual([
      "note:2026-11-02",
      "call:2026-11-02",
      "payment:2026-10-20",
      "meeting:2026-10-15",
      "invoice:2026-10-10",
      "partnership:2026-10-05",
      "contact:2026-10-01",
    ]);
    const first = timeline[0];
    expect(first.type === "interaction" && first.author).toBe(person.name);
    expect(timeline.find((e) => e.type === "invoice")).toMatchObject({ invoiceId: bill.id, totalOre: "500000", status: "sent" });
    expect(timeline.find((e) => e.type === "partnership")).toMatchObject({ goal: "Alla är trygga", status: "active" });
    expect(timeline.find((e) => e.type === "contact")).toMatchObject({ email: contact.email });
    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "crm_interaction_added"), eq(auditLog.organisationId, org.id)));
    expect(audits).toHaveLength(3);
    expect(audits.every((a) => a.actorPersonId === person.id)).toBe(true);
  });

  it("refuses a bad interaction with a code per field and writes nothing; an unknown organisation is NotFound", async () => {
    const { ctx } = await staffCtx();
    const org = await createOrganisation(t.db);
    const before = await countRows(crmInteractions);
    const error = (await addInteraction(ctx, org.id, { kind: "fax", occurredOn: "2026-02-31", text: "  " }).catch((e: unknown) => e)) as Invalid;
    expect(error).toBeInstanceOf(Invalid);
    expect(error.fieldErrors).toEqual({ kind: "interaction_kind", occurredOn: "date", text: "required" });
    await expect(addInteraction(ctx, 2_000_000_000, { kind: "note", occurredOn: "2026-11-02", text: "x" })).rejects.toBeInstanceOf(NotFound);
    await expect(organisationTimeline(ctx, 2_000_000_000)).rejects.toBeInstanceOf(NotFound);
    expect(await countRows(crmInteractions)).toBe(before);
  });

  it("tasks: my tasks, overdue and all; done and reopened (audited); assignee must be staff", async () => {
    const me = await staffCtx();
    const colleague = await staffCtx("admin");
    const org = await createOrganisation(t.db, { name: "Uppgiftsbolaget AB" });
    const donor = await createPerson(t.db);
    const now = new Date("2026-11-30T10:00:00Z");
    const before = await countRows(crmTasks);
    const refused = (await createTask(me.ctx, { title: "", dueOn: "30/11", assigneePersonId: String(donor.id), organisationId: "" }).catch((e: unknown) => e)) as Invalid;
    expect(refused.fieldErrors).toEqual({ title: "required", dueOn: "date" });
    await expect(createTask(me.ctx, { title: "X", dueOn: "2026-12-01", assigneePersonId: String(donor.id), organisationId: "" })).rejects.toMatchObject({ fieldErrors: { assigneePersonId: "assignee_not_staff" } });
    await expect(createTask(me.ctx, { title: "X", dueOn: "2026-12-01", assigneePersonId: String(me.person.id), organisationId: "2000000000" })).rejects.toMatchObject({ fieldErrors: { organisationId: "unknown_organisation" } });
    expect(await countRows(crmTasks)).toBe(before);

    const mine = (title: string, dueOn: string, assignee = me.person.id) => createTask(me.ctx, { title, dueOn, assigneePersonId: String(assignee), organisationId: String(org.id) });
    const late = await mine("Försenad sak", "2026-11-20");
    const today = await mine("Dagens sak", "2026-11-30");
    const later = await mine("Senare sak", "2026-12-15");
    const theirs = await mine("Kollegans försenade", "2026-11-25", colleague.person.id);

    const ids = (rows: { id: number }[]) => rows.map((r) => r.id);
    const ours = (rows: { id: number }[]) => ids(rows).filter((id) => [late.id, today.id, later.id, theirs.id].includes(id));
    expect(ours(await listTasks(me.ctx, { view: "mine" }, now))).toEqual([late.id, today.id, later.id]);
    expect(ours(await listTasks(colleague.ctx, { view: "mine" }, now))).toEqual([theirs.id]);
    // A task due today is not overdue yet; the colleague's late task is.
    expect(ours(await listTasks(me.ctx, { view: "overdue" }, now))).toEqual([late.id, theirs.id]);

    const done = await completeTask(me.ctx, late.id, now);
    expect(done.doneByPersonId).toBe(me.person.id);
    // A second click changes nothing and is not audited again.
    expect((await completeTask(colleague.ctx, late.id, new Date("2026-12-01T00:00:00Z"))).doneByPersonId).toBe(me.person.id);
    expect(ours(await listTasks(me.ctx, { view: "mine" }, now))).toEqual([today.id, later.id]);
    expect(ours(await listTasks(me.ctx, { view: "overdue" }, now))).toEqual([theirs.id]);
    // All: open ones by due day, then the done ones.
    const all = await listTasks(me.ctx, { view: "all", organisationId: org.id }, now);
    expect(ids(all)).toEqual([theirs.id, today.id, later.id, late.id]);
    expect(all[3]).toMatchObject({ doneBy: me.person.name, overdue: false, organisation: { id: org.id, name: org.name } });
    expect(all[0]).toMatchObject({ overdue: true, assignee: { id: colleague.person.id } });

    await reopenTask(colleague.ctx, late.id);
    expect(ours(await listTasks(me.ctx, { view: "overdue" }, now))).toEqual([late.id, theirs.id]);
    await expect(completeTask(me.ctx, 2_000_000_000)).rejects.toBeInstanceOf(NotFound);

    const actions = (await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.organisationId, org.id))).map((a) => a.action);
    expect(actions.filter((a) => a === "crm_task_created")).toHaveLength(4);
    expect(actions.filter((a) => a === "crm_task_completed")).toHaveLength(1);
    expect(actions.filter((a) => a === "crm_task_reopened")).toHaveLength(1);
    const options = await taskFormOptions(me.ctx);
    expect(options.staff.map((s) => s.id)).toEqual(expect.arrayContaining([me.person.id, colleague.person.id]));
    expect(options.staff.map((s) => s.id)).not.toContain(donor.id);
  });

  it("reminds each assignee on the due day, once per task, even with two workers draining at once", async () => {
    const me = await staffCtx();
    const org = await createOrganisation(t.db, { name: "Påminnelse Åkeri AB" });
    const now = new Date("2026-12-07T05:00:30Z");
    const make = (title: string, dueOn: string) => createTask(me.ctx, { title, dueOn, assigneePersonId: String(me.person.id), organisationId: String(org.id) });
    const dueToday = await make("Ring Åkeriet", "2026-12-07");
    const missed = await make("Missad igår", "2026-12-06");
    const tomorrow = await make("Inte än", "2026-12-08");
    const finished = await make("Redan klar", "2026-12-07");
    await completeTask(me.ctx, finished.id, now);

    // Two jobs of the kind (today's run and a retry of it) drained by two workers on two handles at once.
    const kind = `${TASK_REMINDERS_JOB}_test_${target}`;
    // Every open task not yet reminded and due by today (other tests' tasks too): each is claimed once.
    const due = Number(
      (await t.db.select({ n: count() }).from(crmTasks).where(and(isNull(crmTasks.doneAt), isNull(crmTasks.reminderSentAt), lte(crmTasks.dueOn, "2026-12-07"))))[0].n,
    );
    expect(due).toBeGreaterThanOrEqual(2);
    let reminded = 0;
    registerJobHandler(kind, async ({ ctx }) => {
      // Read the result first: `reminded += await …` would read the total before the await and lose the other run's share.
      const run = await sendDueTaskReminders(ctx, now);
      reminded += run.reminded;
    });
    try {
      await enqueueJob(t.db, { kind, dedupeKey: "a", runAt: new Date(0) });
      await enqueueJob(t.db, { kind, dedupeKey: "b", runAt: new Date(0) });
      const results = await Promise.all([drainJobs({ db: t.db, kinds: [kind], batchSize: 1 }), drainJobs({ db: secondDb(), kinds: [kind], batchSize: 1 })]);
      expect(results.reduce((n, r) => n + r.done, 0)).toBe(2);
      // Each task claimed by exactly one run (the reminder_sent_at guard), not only deduplicated by the outbox.
      expect(reminded).toBe(due);
      // And a third run straight after: nothing left to remind.
      expect((await sendDueTaskReminders(systemContext(t.db, "test"), now)).reminded).toBe(0);
    } finally {
      unregisterJobHandler(kind);
      await t.db.delete(jobs).where(eq(jobs.kind, kind));
    }
    const mail = await t.db.select().from(emailOutbox).where(like(emailOutbox.dedupeKey, "crm-task-reminder:%"));
    const forTask = (id: number) => mail.filter((m) => m.dedupeKey === `crm-task-reminder:${id}`);
    expect(forTask(dueToday.id)).toHaveLength(1);
    expect(forTask(missed.id)).toHaveLength(1);
    expect(forTask(tomorrow.id)).toHaveLength(0);
    expect(forTask(finished.id)).toHaveLength(0);
    expect(forTask(dueToday.id)[0]).toMatchObject({ to: me.person.email, template: "notice" });
    const props = forTask(dueToday.id)[0].props as Record<string, string>;
    expect(props.subject).toBe("Påminnelse: Ring Åkeriet");
    expect(props.body).toContain("Påminnelse Åkeri AB");
    const [row] = await t.db.select().from(crmTasks).where(eq(crmTasks.id, tomorrow.id));
    expect(row.reminderSentAt).toBeNull();
  });
});
