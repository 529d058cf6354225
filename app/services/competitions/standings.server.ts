import { and, asc, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { collections, competitions, competitionTeams, ledgerEntries, payments, people, type Competition, type CompetitionScoringMode } from "~db/schema";
import { isStaffActor, type PersonActor } from "~/services/context";
import { computeStandings, type Standing, type TeamFigures } from "./scoring";

/**
 * A competition's figures from the ledger (issue 12, item 6). A team's money is every payment
 * credited to it (payments.competition_team_id, set when the gift is made through the team's
 * collection or one of its member pages) that was paid within the competition's period, net of
 * refunds and lost disputes, whenever those came. A gift still standing (net > 0) counts as a gift.
 * Participants are the distinct people who gave (by email) or collected (owners of the team's
 * member pages); a donor with no email cannot be told apart and is not counted as a participant.
 */

export function mayOrganise(actor: PersonActor, competition: Pick<Competition, "organiserPersonId">): boolean {
  return actor.personId === competition.organiserPersonId || isStaffActor(actor);
}

export interface TeamRow {
  id: number;
  name: string;
  collectionId: number | null;
  statedHeadcount: number | null;
  invitedCount: number | null;
}

export async function teamsOf(db: Db | Tx, competitionId: number): Promise<TeamRow[]> {
  return db
    .select({
      id: competitionTeams.id,
      name: competitionTeams.name,
      collectionId: competitionTeams.collectionId,
      statedHeadcount: competitionTeams.statedHeadcount,
      invitedCount: competitionTeams.invitedCount,
    })
    .from(competitionTeams)
    .where(eq(competitionTeams.competitionId, competitionId))
    .orderBy(asc(competitionTeams.id));
}

/** Each team's raised total, standing gifts and participants, from the ledger. */
export async function teamFigures(db: Db | Tx, competition: Pick<Competition, "id" | "startsAt" | "endsAt">, teams?: TeamRow[]): Promise<TeamFigures[]> {
  const rows = teams ?? (await teamsOf(db, competition.id));
  const ids = rows.map((t) => t.id);
  if (ids.length === 0) return [];
  const perPayment = db
    .select({
      teamId: payments.competitionTeamId,
      email: sql<string | null>`lower(${payments.donorEmail})`.as("email"),
      netOre: sql<string>`sum(${ledgerEntries.amountOre})`.as("net_ore"),
    })
    .from(payments)
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(and(inArray(payments.competitionTeamId, ids), gte(payments.paidAt, competition.startsAt), lt(payments.paidAt, competition.endsAt)))
    .groupBy(payments.id)
    .as("per_payment");
  const money = await db
    .select({
      teamId: perPayment.teamId,
      raisedOre: sql<string>`coalesce(sum(${perPayment.netOre}), 0)::text`,
      giftCount: sql<number>`(count(*) filter (where ${perPayment.netOre} > 0))::int`,
      donors: sql<string[]>`coalesce(array_agg(distinct ${perPayment.email}) filter (where ${perPayment.netOre} > 0 and ${perPayment.email} is not null), '{}')`,
    })
    .from(perPayment)
    .groupBy(perPayment.teamId);
  const teamCollectionIds = rows.map((t) => t.collectionId).filter((id): id is number => id !== null);
  const collectors = teamCollectionIds.length
    ? await db
        .select({ parentId: collections.parentCollectionId, email: people.email })
        .from(collections)
        .innerJoin(people, eq(people.id, collections.ownerPersonId))
        .where(and(inArray(collections.parentCollectionId, teamCollectionIds), isNotNull(collections.parentCollectionId)))
    : [];
  return rows.map((team) => {
    const m = money.find((r) => r.teamId === team.id);
    const everyone = new Set<string>(m?.donors ?? []);
    for (const c of collectors) if (c.parentId === team.collectionId) everyone.add(c.email.toLowerCase());
    return {
      teamId: team.id,
      name: team.name,
      raisedOre: BigInt(m?.raisedOre ?? "0"),
      giftCount: m?.giftCount ?? 0,
      participants: everyone.size,
      statedHeadcount: team.statedHeadcount,
      invitedCount: team.invitedCount,
    };
  });
}

export interface CompetitionBoard {
  competition: Competition;
  teams: (TeamRow & { collectionSlug: string | null })[];
  standings: Standing[];
  /** All teams together. */
  combinedOre: bigint;
  /** The shared target is reached (the match pot, if any, is unlocked). */
  targetReached: boolean;
  status: "upcoming" | "running" | "ended";
}

export function competitionStatus(c: Pick<Competition, "startsAt" | "endsAt">, now = new Date()): CompetitionBoard["status"] {
  return now < c.startsAt ? "upcoming" : now < c.endsAt ? "running" : "ended";
}

/** Everything the leaderboard shows, read fresh (the page and the JSON cache it briefly: board-cache.server.ts). */
export async function readBoard(db: Db | Tx, competition: Competition, now = new Date()): Promise<CompetitionBoard> {
  const rows = await db
    .select({
      id: competitionTeams.id,
      name: competitionTeams.name,
      collectionId: competitionTeams.collectionId,
      statedHeadcount: competitionTeams.statedHeadcount,
      invitedCount: competitionTeams.invitedCount,
      collectionSlug: collections.slug,
    })
    .from(competitionTeams)
    .leftJoin(collections, eq(collections.id, competitionTeams.collectionId))
    .where(eq(competitionTeams.competitionId, competition.id))
    .orderBy(asc(competitionTeams.id));
  const figures = await teamFigures(db, competition, rows);
  const standings = computeStandings(competition.scoringMode as CompetitionScoringMode, figures);
  const combinedOre = figures.reduce((sum, f) => sum + f.raisedOre, 0n);
  const targetReached = competition.matchUnlockedAt !== null || (competition.targetOre !== null && combinedOre >= competition.targetOre);
  return { competition, teams: rows, standings, combinedOre, targetReached, status: competitionStatus(competition, now) };
}

/** The competition at /competitions/<slug>, or null. */
export async function competitionBySlug(db: Db | Tx, slug: string): Promise<Competition | null> {
  const [row] = await db.select().from(competitions).where(eq(competitions.slug, slug)).limit(1);
  return row ?? null;
}

/** GET /api/competitions/<slug> (DESIGN.md): no personal data, only team names and figures. */
export function boardJson(board: CompetitionBoard) {
  const c = board.competition;
  return {
    slug: c.slug,
    title: c.title,
    mode: c.scoringMode,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    status: board.status,
    combinedOre: Number(board.combinedOre),
    targetOre: c.targetOre === null ? null : Number(c.targetOre),
    matchPot:
      c.matchPotOre === null ? null : { sponsor: c.matchSponsorName, amountOre: Number(c.matchPotOre), state: board.targetReached ? "unlocked" : "promised" },
    standings: board.standings.map((s) => ({ team: s.name, raisedOre: Number(s.raisedOre), giftCount: s.giftCount, participants: s.participants, score: s.score, rank: s.rank })),
  };
}
export type BoardJson = ReturnType<typeof boardJson>;
