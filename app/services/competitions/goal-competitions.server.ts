import { and, eq, gt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import { competitionGoals, competitions, competitionTeams, ledgerEntries, payments } from "~db/schema";
import { jsonRows } from "~db/json-rows";
import { competitionStatus, teamFigures } from "./standings.server";

export interface GoalCompetition {
  slug: string;
  title: string;
  mode: string;
  status: "upcoming" | "running";
  startsAt: Date;
  endsAt: Date;
  /** All teams together, as on the leaderboard: the whole competition's money, also when it collects for several goals. */
  raisedOre: bigint;
  /** The shared target, if any. */
  targetOre: bigint | null;
}

/**
 * A goal's competitions that have not ended (running or upcoming), most raised first (issue 12
 * item 8), for /goals/<slug> and GET /api/goals/<slug>. A competition for several goals is listed on
 * each of them with its combined total, the figure its own page shows, so the two never disagree.
 */
export async function competitionsForGoal(db: Db | Tx, goalId: number, now = new Date()): Promise<GoalCompetition[]> {
  // Prepared: every goal page reads it (issue 10 item 6). The time goes in as ISO text: a placeholder's
  // value skips the column's Date mapping.
  const rows = await preparedQuery(db, "goal_competitions", (d) =>
    d
      .select({
        id: competitions.id,
        slug: competitions.slug,
        title: competitions.title,
        mode: competitions.scoringMode,
        startsAt: competitions.startsAt,
        endsAt: competitions.endsAt,
        targetOre: competitions.targetOre,
      })
      .from(competitionGoals)
      .innerJoin(competitions, eq(competitions.id, competitionGoals.competitionId))
      .where(and(eq(competitionGoals.goalId, sql.placeholder("goalId")), gt(competitions.endsAt, sql.placeholder("now"))))
      .prepare("goal_competitions"),
  ).execute({ goalId, now: now.toISOString() });
  const listed = await Promise.all(
    rows.map(async (c) => {
      const figures = await teamFigures(db, c);
      return { ...c, raisedOre: figures.reduce((sum, f) => sum + f.raisedOre, 0n) };
    }),
  );
  return goalCompetitionList(listed, now);
}

type CompetitionRow = Omit<GoalCompetition, "status"> & { id: number };

/** The list as the goal page and the API show it: with its status, most raised first. */
function goalCompetitionList(rows: CompetitionRow[], now: Date): GoalCompetition[] {
  return rows
    .map((c) => ({ slug: c.slug, title: c.title, mode: c.mode, status: competitionStatus(c, now) as GoalCompetition["status"], startsAt: c.startsAt, endsAt: c.endsAt, raisedOre: c.raisedOre, targetOre: c.targetOre, id: c.id }))
    .sort((a, b) => (a.raisedOre === b.raisedOre ? a.id - b.id : a.raisedOre > b.raisedOre ? -1 : 1))
    .map(({ id: _id, ...c }) => c);
}

const cg = alias(competitionGoals, "goal_cg");
const c = alias(competitions, "goal_cc");
const team = alias(competitionTeams, "goal_ct");
const pay = alias(payments, "goal_cp");
const entry = alias(ledgerEntries, "goal_ce");

/**
 * goalCompetitionItems as a column of the goal page's one statement (goals/goal-page.server.ts): the
 * competitions competitionsForGoal lists, each with the sum of teamFigures' raisedOre (the ledger's net
 * of the payments credited to its teams within its period), as json. Times as text, as Drizzle reads
 * them. `goalId` is the goal's id column of the outer query, `now` a placeholder (ISO text).
 */
export function goalCompetitionsColumn(goalId: SQL, now: SQL) {
  return sql<unknown>`(select json_agg(json_build_object('id', ${c.id}, 'slug', ${c.slug}, 'title', ${c.title}, 'mode', ${c.scoringMode},
      'startsAt', ${c.startsAt}::text, 'endsAt', ${c.endsAt}::text, 'targetOre', ${c.targetOre}::text,
      'raisedOre', (select coalesce(sum(${entry.amountOre}), 0)::text from ${competitionTeams} ${team} join ${payments} ${pay} on ${pay.competitionTeamId} = ${team.id} join ${ledgerEntries} ${entry} on ${entry.paymentId} = ${pay.id}
        where ${team.competitionId} = ${c.id} and ${pay.paidAt} >= ${c.startsAt} and ${pay.paidAt} < ${c.endsAt})))
    from ${competitionGoals} ${cg} join ${competitions} ${c} on ${c.id} = ${cg.competitionId}
    where ${cg.goalId} = ${goalId} and ${c.endsAt} > ${now})`;
}

/** goalCompetitionItems' result from goalCompetitionsColumn's json. */
export function goalCompetitionItemsFromJson(json: unknown, now: Date) {
  type Row = { id: number; slug: string; title: string; mode: string; startsAt: string; endsAt: string; targetOre: string | null; raisedOre: string };
  const rows = jsonRows<Row>(json).map((r) => ({
    ...r,
    startsAt: new Date(r.startsAt),
    endsAt: new Date(r.endsAt),
    targetOre: r.targetOre === null ? null : BigInt(r.targetOre),
    raisedOre: BigInt(r.raisedOre),
  }));
  return competitionItems(goalCompetitionList(rows, now));
}

/** The JSON entries of GET /api/goals/<slug>'s `competitions`. */
export function goalCompetitionsJson(list: GoalCompetition[]) {
  return list.map((c) => ({
    slug: c.slug,
    title: c.title,
    mode: c.mode,
    status: c.status,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    raisedOre: Number(c.raisedOre),
    targetOre: c.targetOre === null ? null : Number(c.targetOre),
  }));
}

/** For the goal page: öre as strings and dates as ISO strings (they cross JSON to the browser). */
export async function goalCompetitionItems(db: Db | Tx, goalId: number) {
  return competitionItems(await competitionsForGoal(db, goalId));
}
export type GoalCompetitionItem = ReturnType<typeof competitionItems>[number];

function competitionItems(list: GoalCompetition[]) {
  return goalCompetitionsJson(list).map((c) => ({
    ...c,
    raisedOre: String(c.raisedOre),
    targetOre: c.targetOre === null ? null : String(c.targetOre),
  }));
}
