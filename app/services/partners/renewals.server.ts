import { and, asc, eq, gte, inArray, lt, lte } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, organisationMembers, organisations, partnershipRenewalNotices, partnerships, people, staffRoles, type Partnership } from "~db/schema";
import { renewalEmailTexts } from "~/i18n/partnerships-email";
import { fill, type Locale } from "~/i18n/messages";
import { recordAudit } from "~/services/audit/audit.server";
import { requireSystem, type ServiceContext } from "~/services/context";
import { outboxInsert, wakeOutbox } from "~/services/email/outbox.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { enqueueJob, registerJobHandler } from "~/services/jobs/jobs.server";
import { nextDailyRun } from "~/services/jobs/recurring";
import { env } from "~/utils/env.server";
import { formatDate } from "~/utils/dates";
import { getPartnershipSettings } from "./partnership-settings.server";

/** The daily renewal run: reminders N days before a period ends, lapse after it (issue 11 item 3). */
export const PARTNERSHIP_RENEWALS_JOB = "partnership_renewals";
/** 06:00 UTC: before the working day in Sweden, so the reminders are there in the morning. */
const HOUR_UTC = 6;

/** `days` after a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface RenewalRunResult {
  /** Partnerships marked renewal_due whose reminders were queued by this run. */
  reminded: number[];
  /** Partnerships past their end that became lapsed, or renewed when their renewal was running. */
  lapsed: number[];
  renewed: number[];
}

/**
 * The renewal run, for the job (system only). First the periods that ended: a partnership whose
 * renewal is running becomes `renewed`, any other active one `lapsed` (and leaves the wall). Then
 * each active partnership ending within N days becomes `renewal_due`, and its reminders go to staff
 * and to the partner's main contacts.
 *
 * Once per partnership and period, whatever runs it: the reminder's partnership_renewal_notices row
 * (primary key partnership + end date) is inserted in the same transaction that queues the emails,
 * so a second run (another instance, a retried job) finds the row and queues nothing. Status updates
 * re-check the status in their WHERE, so a concurrent run changes and audits each row once.
 */
export async function runPartnershipRenewals(ctx: ServiceContext, now = new Date()): Promise<RenewalRunResult> {
  requireSystem(ctx);
  const { db } = ctx;
  const today = swedishDate(now);
  const settings = await getPartnershipSettings(db);
  const result: RenewalRunResult = { reminded: [], lapsed: [], renewed: [] };

  const ended = await db
    .select({ id: partnerships.id })
    .from(partnerships)
    .where(and(inArray(partnerships.status, ["active", "renewal_due"]), lt(partnerships.endsOn, today)))
    .orderBy(asc(partnerships.id));
  for (const { id } of ended) {
    const outcome = await db.transaction((tx) => endPeriod(tx, ctx, id, today, now));
    if (outcome) result[outcome].push(id);
  }

  const horizon = addDays(today, settings.renewalNoticeDays);
  const due = await db
    .select({ id: partnerships.id })
    .from(partnerships)
    .where(and(eq(partnerships.status, "active"), gte(partnerships.endsOn, today), lte(partnerships.endsOn, horizon)))
    .orderBy(asc(partnerships.id));
  for (const { id } of due) {
    if (await db.transaction((tx) => remind(tx, ctx, id, today, now))) result.reminded.push(id);
  }
  if (result.reminded.length) wakeOutbox();
  return result;
}

async function endPeriod(tx: Tx, ctx: ServiceContext, id: number, today: string, now: Date): Promise<"lapsed" | "renewed" | null> {
  const [renewal] = await tx
    .select({ id: partnerships.id })
    .from(partnerships)
    .where(and(eq(partnerships.renewsPartnershipId, id), inArray(partnerships.status, ["active", "renewal_due", "renewed"])));
  const next = renewal ? "renewed" : "lapsed";
  const [changed] = await tx
    .update(partnerships)
    .set({ status: next, updatedAt: now })
    .where(and(eq(partnerships.id, id), inArray(partnerships.status, ["active", "renewal_due"]), lt(partnerships.endsOn, today)))
    .returning({ organisationId: partnerships.organisationId, endsOn: partnerships.endsOn });
  if (!changed) return null; // another run got there first
  await recordAudit(tx, {
    actorPersonId: null,
    action: "partnership_status_changed",
    organisationId: changed.organisationId,
    details: { partnershipId: id, status: { after: next }, endsOn: changed.endsOn, by: ctx.actor.kind === "system" ? ctx.actor.name : "" },
  });
  return next;
}

async function remind(tx: Tx, ctx: ServiceContext, id: number, today: string, now: Date): Promise<boolean> {
  const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, id));
  if (!p || p.status !== "active" || !p.endsOn || p.endsOn < today) return false;
  // The once-only guard: a second run (on any instance) inserts nothing here and so sends nothing.
  const [notice] = await tx
    .insert(partnershipRenewalNotices)
    .values({ partnershipId: id, endsOn: p.endsOn, sentAt: now })
    .onConflictDoNothing()
    .returning({ partnershipId: partnershipRenewalNotices.partnershipId });
  if (!notice) return false;
  await tx.update(partnerships).set({ status: "renewal_due", updatedAt: now }).where(and(eq(partnerships.id, id), eq(partnerships.status, "active")));
  const recipients = await renewalRecipients(tx, p);
  await Promise.all(recipients.map((r) => outboxInsert(tx, r)));
  await tx.update(partnershipRenewalNotices).set({ recipients: recipients.length }).where(and(eq(partnershipRenewalNotices.partnershipId, id), eq(partnershipRenewalNotices.endsOn, p.endsOn)));
  await recordAudit(tx, {
    actorPersonId: null,
    action: "partnership_status_changed",
    organisationId: p.organisationId,
    details: { partnershipId: id, status: { before: "active", after: "renewal_due" }, endsOn: p.endsOn, reminders: recipients.length, by: ctx.actor.kind === "system" ? ctx.actor.name : "" },
  });
  return true;
}

/**
 * Who hears about a renewal: every staff member (admins and fundraisers), and the partner's main
 * contacts (organisation admins until contact roles exist), each in their own email with a dedupe
 * key naming the partnership and period.
 */
async function renewalRecipients(tx: Tx, p: Partnership) {
  const [facts] = await tx
    .select({ organisation: organisations.name, goalSv: goals.titleSv, goalEn: goals.titleEn })
    .from(organisations)
    .innerJoin(goals, eq(goals.id, p.goalId))
    .where(eq(organisations.id, p.organisationId));
  const staff = await tx.selectDistinct({ email: people.email }).from(staffRoles).innerJoin(people, eq(people.id, staffRoles.personId)).orderBy(asc(people.email));
  const contacts = await mainContacts(tx, p.organisationId);
  const base = env().appUrl;
  const make = (email: string, audience: "staff" | "partner", locale: Locale) => {
    const t = renewalEmailTexts(locale);
    const tier = t[p.tier as "huvudpartner" | "partner" | "vanforetag"] ?? p.tier;
    const values = { organisation: facts.organisation, goal: locale === "en" ? facts.goalEn : facts.goalSv, tier, endsOn: formatDate(p.endsOn!, locale) };
    const staffSide = audience === "staff";
    return {
      to: email,
      template: "notice" as const,
      locale,
      props: {
        subject: fill(staffSide ? t.staffSubject : t.partnerSubject, values),
        heading: fill(staffSide ? t.staffHeading : t.partnerHeading, values),
        body: fill(staffSide ? t.staffBody : t.partnerBody, values),
        actionUrl: staffSide ? `${base}/admin/partnerships/${p.id}` : `${base}/partner`,
        actionLabel: staffSide ? t.staffAction : t.partnerAction,
      },
      dedupeKey: `partnership-renewal:${p.id}:${p.endsOn}:${email}`,
    };
  };
  return [...staff.map((s) => make(s.email, "staff", "sv")), ...contacts.filter((c) => !staff.some((s) => s.email === c.email)).map((c) => make(c.email, "partner", c.locale))];
}

/**
 * The organisation's main contacts (role `main`); without one, its admins; without those, every
 * contact, so a reminder always reaches someone at the company.
 */
export async function mainContacts(db: Db | Tx, organisationId: number): Promise<{ email: string; locale: Locale }[]> {
  const rows = await db
    .select({ email: people.email, locale: people.locale, isAdmin: organisationMembers.isAdmin, roles: organisationMembers.roles })
    .from(organisationMembers)
    .innerJoin(people, eq(people.id, organisationMembers.personId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(people.email));
  const main = rows.filter((r) => r.roles.includes("main"));
  const admins = rows.filter((r) => r.isAdmin);
  const chosen = main.length ? main : admins.length ? admins : rows;
  // In the language the person last signed in with (people.locale); Swedish, the charity's language, until they have.
  return chosen.map((r) => ({ email: r.email, locale: (r.locale === "en" ? "en" : "sv") as Locale }));
}

/** Registers the daily run and queues the next one (its per-day dedupe key makes that a no-op elsewhere). */
export async function registerPartnershipJobs(db: Db, clock: () => Date = () => new Date()): Promise<void> {
  registerJobHandler(PARTNERSHIP_RENEWALS_JOB, async ({ ctx }) => {
    const now = clock();
    await runPartnershipRenewals(ctx, now);
    return { next: { kind: PARTNERSHIP_RENEWALS_JOB, ...nextDailyRun(now, HOUR_UTC) } };
  });
  await enqueueJob(db, { kind: PARTNERSHIP_RENEWALS_JOB, ...nextDailyRun(clock(), HOUR_UTC) });
}
