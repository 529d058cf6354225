import { eq, sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import { goals } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { goalCollectionItemsFromJson, goalCollectionsColumn } from "~/services/collections/collections.server";
import { goalCompetitionItemsFromJson, goalCompetitionsColumn } from "~/services/competitions/goal-competitions.server";
import { NotFound } from "~/services/errors";
import { goalImpactColumn, goalImpactFromJson } from "~/services/impact/impact.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { goalPartnerWallColumns, goalPartnerWallFromJson } from "~/services/partners/wall.server";
import { keptPublicRead } from "~/utils/public-reads.server";
import { goalView, raisedColumn } from "./goals.server";

/**
 * Everything /goals/<slug> shows, in one statement (issue 10 item 6): the goal with its balance
 * (getGoal), its partner wall (goalPartnerWall), collections (goalCollectionItems), impact figures
 * (goalImpact) and competitions (goalCompetitionItems), the same values those give. Each list is a json
 * column whose SQL its own area writes next to its own read (the `…Column` functions) and reads back
 * (`…FromJson`); tests/reads/goal-page.test.ts holds the two ways to the same result.
 *
 * Why one statement: the page was 7 statements (and one more per collection or competition list with
 * rows), and a statement has a fixed cost that dwarfs these reads: on PGlite ~3 ms each on its one
 * connection (the page took 21–25 ms of CPU), on PostgreSQL ~0.1 ms of the app's CPU in postgres.js,
 * plus a pooled connection per parallel read. Public facts only, so nothing here depends on the actor,
 * and a process keeps the answer a moment for every reader (app/utils/public-reads.server.ts).
 */
export async function goalPage(db: Db, slug: string, locale: Locale): Promise<GoalPage> {
  return keptPublicRead(db, `goal_page:${slug}:${locale}`, () => readGoalPage(db, slug, locale));
}

export type GoalPage = Awaited<ReturnType<typeof readGoalPage>>;

/** goalPage's read, at `now`: what a process keeps for a moment (app/utils/public-reads.server.ts). */
async function readGoalPage(db: Db, slug: string, locale: Locale, now = new Date()) {
  const [row] = await preparedQuery(db, "goal_page", (d) => {
    const goalId = sql`${sql.identifier("goals")}.${sql.identifier("id")}`;
    const at = sql`${sql.placeholder("now")}`;
    const wall = goalPartnerWallColumns(goalId, sql`${sql.placeholder("today")}`);
    // Each column is nested in sql`…`: Drizzle writes the top-level columns of a one-table select's
    // fields without their table, and the subqueries' own columns must keep their aliases.
    return d
      .select({
        goal: goals,
        raised: sql<string>`${raisedColumn}`,
        wallTiers: sql<unknown>`${wall.tiers}`,
        wallRows: sql<unknown>`${wall.rows}`,
        collections: sql<unknown>`${goalCollectionsColumn(goalId, at)}`,
        impact: sql<unknown>`${goalImpactColumn(goalId)}`,
        competitions: sql<unknown>`${goalCompetitionsColumn(goalId, at)}`,
      })
      .from(goals)
      .where(eq(goals.slug, sql.placeholder("slug")))
      .limit(1)
      .prepare("goal_page");
  }).execute({ slug, now: now.toISOString(), today: swedishDate(now) });
  if (!row) throw new NotFound("goal_not_found");
  return {
    goal: goalView(row.goal, BigInt(row.raised), locale),
    wall: goalPartnerWallFromJson(row.wallTiers, row.wallRows, locale),
    collections: goalCollectionItemsFromJson(row.collections),
    impact: goalImpactFromJson(row.impact, locale),
    competitions: goalCompetitionItemsFromJson(row.competitions, now),
  };
}
