import { and, asc, desc, eq, gte, inArray, isNotNull, lt, lte, sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { collections, competitions, competitionTeams, goals, ledgerEntries, organisations, partnerships, payments } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { addDays, stockholmMidnight, stockholmMidnightAfter } from "./period";
import type { RenewalRow, TopRow } from "./types";

/**
 * Partnerships and the top lists. Read-only queries over small tables (partnerships, collections,
 * competitions), and for the money of the top lists only payments that have such a source: the
 * partial indexes on payments.partnership_id / collection_id / competition_team_id hold just those,
 * so a million plain gifts add nothing here.
 */

/** Active partnerships (or ones already due for renewal) whose period ends from today to 60 days on, soonest first. */
export async function renewalsDue(db: Db, locale: Locale, today: string, limit: number): Promise<RenewalRow[]> {
  const rows = await db
    .select({ p: partnerships, organisation: organisations.name, goalNumber: goals.number, goalSv: goals.titleSv, goalEn: goals.titleEn })
    .from(partnerships)
    .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
    .innerJoin(goals, eq(goals.id, partnerships.goalId))
    .where(and(inArray(partnerships.status, ["active", "renewal_due"]), gte(partnerships.endsOn, today), lte(partnerships.endsOn, addDays(today, 60))))
    .orderBy(asc(partnerships.endsOn), asc(partnerships.id))
    .limit(limit);
  return rows.map(({ p, organisation, goalNumber, goalSv, goalEn }) => ({
    id: p.id,
    organisationId: p.organisationId,
    organisation,
    goalNumber,
    goal: locale === "en" ? goalEn : goalSv,
    status: p.status,
    endsOn: p.endsOn!,
    agreedOre: p.agreedYearlyOre?.toString() ?? null,
  }));
}

/** Ledger entries written in the period (Stockholm days), as the read model counts them. */
function entriesIn(period: { from: string; to: string }) {
  return and(gte(ledgerEntries.createdAt, stockholmMidnight(period.from)), lt(ledgerEntries.createdAt, stockholmMidnightAfter(period.to)));
}

const net = sql<string>`sum(${ledgerEntries.amountOre})`;

/** The organisations whose partner fees brought in most in the period (net of refunds). */
export async function topPartners(db: Db, period: { from: string; to: string }, limit: number): Promise<TopRow[]> {
  const rows = await db
    .select({ id: partnerships.organisationId, name: organisations.name, amountOre: sql<string>`${net}::text` })
    .from(partnerships)
    .innerJoin(payments, eq(payments.partnershipId, partnerships.id))
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
    .where(and(isNotNull(payments.partnershipId), entriesIn(period)))
    .groupBy(partnerships.organisationId, organisations.name)
    .having(sql`${net} <> 0`)
    .orderBy(desc(net), asc(organisations.name))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, name: r.name, href: `/admin/organisations/${r.id}`, amountOre: r.amountOre }));
}

/** Collections by money in the period; a member page's gifts count for its team (the top-level collection). */
export async function topCollections(db: Db, period: { from: string; to: string }, limit: number): Promise<TopRow[]> {
  const top = sql<number>`coalesce(${collections.parentCollectionId}, ${collections.id})`;
  const rows = await db
    .select({ id: top, amountOre: sql<string>`${net}::text` })
    .from(collections)
    .innerJoin(payments, eq(payments.collectionId, collections.id))
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(and(isNotNull(payments.collectionId), entriesIn(period)))
    .groupBy(top)
    .having(sql`${net} <> 0`)
    .orderBy(desc(net), asc(top))
    .limit(limit);
  if (rows.length === 0) return [];
  const names = await db.select({ id: collections.id, title: collections.title }).from(collections).where(inArray(collections.id, rows.map((r) => Number(r.id))));
  return rows.map((r) => {
    const id = Number(r.id);
    return { id, name: names.find((n) => n.id === id)?.title ?? String(id), href: `/admin/collections/${id}`, amountOre: r.amountOre };
  });
}

/** Competitions by the money their teams brought in during the period. */
export async function topCompetitions(db: Db, period: { from: string; to: string }, limit: number): Promise<TopRow[]> {
  const rows = await db
    .select({ id: competitions.id, name: competitions.title, slug: competitions.slug, amountOre: sql<string>`${net}::text` })
    .from(competitionTeams)
    .innerJoin(competitions, eq(competitions.id, competitionTeams.competitionId))
    .innerJoin(payments, eq(payments.competitionTeamId, competitionTeams.id))
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(and(isNotNull(payments.competitionTeamId), entriesIn(period)))
    .groupBy(competitions.id, competitions.title, competitions.slug)
    .having(sql`${net} <> 0`)
    .orderBy(desc(net), asc(competitions.title))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, name: r.name, href: `/competitions/${r.slug}`, amountOre: r.amountOre }));
}
