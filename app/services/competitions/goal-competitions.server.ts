import { and, eq, gt, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import { competitionGoals, competitions } from "~db/schema";
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
      const raisedOre = figures.reduce((sum, f) => sum + f.raisedOre, 0n);
      const status = competitionStatus(c, now) as GoalCompetition["status"];
      return { slug: c.slug, title: c.title, mode: c.mode, status, startsAt: c.startsAt, endsAt: c.endsAt, raisedOre, targetOre: c.targetOre, id: c.id };
    }),
  );
  return listed
    .sort((a, b) => (a.raisedOre === b.raisedOre ? a.id - b.id : a.raisedOre > b.raisedOre ? -1 : 1))
    .map(({ id: _id, ...c }) => c);
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
  return goalCompetitionsJson(await competitionsForGoal(db, goalId)).map((c) => ({
    ...c,
    raisedOre: String(c.raisedOre),
    targetOre: c.targetOre === null ? null : String(c.targetOre),
  }));
}
