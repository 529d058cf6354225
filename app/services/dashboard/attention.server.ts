import { and, asc, count, desc, eq, gte, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { crmTasks, goals, monthlyGifts, organisations, paymentAnomalies, payments, people } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { stockholmMidnight, stockholmMidnightAfter } from "./period";
import type { AnomalyRow, FailedPaymentRow, GiftFigures, Listed, PastDueRow, TaskRowLite } from "./types";

/**
 * What staff should act on (failed payments, monthly gifts whose charge failed, anomalies, overdue
 * tasks) and the monthly donors. Read-only; each list is the newest `limit` rows with a count of all.
 * Failed payments are found through payments_failed_idx (partial: only failed rows), so their count
 * costs what there is to act on, not what has been paid.
 */

type Period = { from: string; to: string };

const createdIn = (column: typeof payments.createdAt | typeof paymentAnomalies.createdAt, period: Period) =>
  and(gte(column, stockholmMidnight(period.from)), lt(column, stockholmMidnightAfter(period.to)));

export async function failedPayments(db: Db, locale: Locale, period: Period, limit: number): Promise<Listed<FailedPaymentRow>> {
  const where = and(eq(payments.status, "failed"), createdIn(payments.createdAt, period));
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(payments).where(where),
    db
      .select({ p: payments, goalNumber: goals.number, goalSv: goals.titleSv, goalEn: goals.titleEn })
      .from(payments)
      .leftJoin(goals, eq(goals.id, payments.goalId))
      .where(where)
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(limit),
  ]);
  return {
    count: n,
    rows: rows.map(({ p, goalNumber, goalSv, goalEn }) => ({
      id: p.id.toString(),
      createdAt: p.createdAt.toISOString(),
      channel: p.channel,
      amountOre: p.amountOre.toString(),
      goalNumber,
      goal: (locale === "en" ? goalEn : goalSv) ?? null,
    })),
  };
}

/** Monthly gifts whose last charge failed (Stripe's past_due): now, whatever the period. */
export async function pastDueMonthlyGifts(db: Db, locale: Locale, limit: number): Promise<Listed<PastDueRow>> {
  const where = eq(monthlyGifts.status, "past_due");
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(monthlyGifts).where(where),
    db
      .select({ g: monthlyGifts, goalNumber: goals.number, goalSv: goals.titleSv, goalEn: goals.titleEn })
      .from(monthlyGifts)
      .leftJoin(goals, eq(goals.id, monthlyGifts.goalId))
      .where(where)
      .orderBy(asc(monthlyGifts.updatedAt), asc(monthlyGifts.id))
      .limit(limit),
  ]);
  return {
    count: n,
    rows: rows.map(({ g, goalNumber, goalSv, goalEn }) => ({
      id: g.id.toString(),
      donor: g.donorName,
      amountOre: g.amountOre.toString(),
      goalNumber,
      goal: (locale === "en" ? goalEn : goalSv) ?? null,
      since: g.updatedAt.toISOString(),
    })),
  };
}

export async function anomaliesIn(db: Db, period: Period, limit: number): Promise<Listed<AnomalyRow>> {
  const where = createdIn(paymentAnomalies.createdAt, period);
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(paymentAnomalies).where(where),
    db.select().from(paymentAnomalies).where(where).orderBy(desc(paymentAnomalies.createdAt), desc(paymentAnomalies.id)).limit(limit),
  ]);
  return {
    count: n,
    rows: rows.map((a) => ({ id: a.id.toString(), paymentId: a.paymentId?.toString() ?? null, kind: a.kind, createdAt: a.createdAt.toISOString() })),
  };
}

/** Open tasks in all, and the overdue ones (due before today, Swedish day), oldest first. */
export async function taskFigures(db: Db, today: string, limit: number): Promise<{ open: number; overdue: Listed<TaskRowLite> }> {
  const open = isNull(crmTasks.doneAt);
  const overdue = and(open, lt(crmTasks.dueOn, today));
  const [[{ openCount }], [{ overdueCount }], rows] = await Promise.all([
    db.select({ openCount: count() }).from(crmTasks).where(open),
    db.select({ overdueCount: count() }).from(crmTasks).where(overdue),
    db
      .select({ t: crmTasks, name: people.name, email: people.email, orgName: organisations.name })
      .from(crmTasks)
      .innerJoin(people, eq(people.id, crmTasks.assigneePersonId))
      .leftJoin(organisations, eq(organisations.id, crmTasks.organisationId))
      .where(overdue)
      .orderBy(asc(crmTasks.dueOn), asc(crmTasks.id))
      .limit(limit),
  ]);
  return {
    open: openCount,
    overdue: {
      count: overdueCount,
      rows: rows.map(({ t, name, email, orgName }) => ({
        id: t.id,
        title: t.title,
        dueOn: t.dueOn,
        assignee: name ?? email,
        organisation: t.organisationId !== null && orgName !== null ? { id: t.organisationId, name: orgName } : null,
      })),
    },
  };
}

/**
 * Monthly donors: new (a monthly gift set up in the period: its checkout completed, so not pending),
 * lapsed (cancelled in the period) and active now. Counted over monthly_gifts, one row per donor's
 * subscription, never over their monthly payments.
 */
export async function monthlyDonors(db: Db, period: Period): Promise<Pick<GiftFigures, "newMonthlyDonors" | "lapsedMonthlyDonors" | "activeMonthlyDonors">> {
  const start = stockholmMidnight(period.from);
  const end = stockholmMidnightAfter(period.to);
  const [row] = await db
    .select({
      created: sql<number>`(count(*) filter (where ${monthlyGifts.status} <> 'pending' and ${monthlyGifts.createdAt} >= ${start} and ${monthlyGifts.createdAt} < ${end}))::int`,
      lapsed: sql<number>`(count(*) filter (where ${monthlyGifts.canceledAt} >= ${start} and ${monthlyGifts.canceledAt} < ${end}))::int`,
      active: sql<number>`(count(*) filter (where ${monthlyGifts.status} = 'active'))::int`,
    })
    .from(monthlyGifts);
  return { newMonthlyDonors: Number(row.created), lapsedMonthlyDonors: Number(row.lapsed), activeMonthlyDonors: Number(row.active) };
}
