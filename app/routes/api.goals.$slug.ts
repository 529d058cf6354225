import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client.server";
import { collectionsForGoal } from "~/services/collections/collections.server";
import { competitionsForGoal, goalCompetitionsJson } from "~/services/competitions/goal-competitions.server";
import { publicGoalJson } from "~/services/goals/goals.server";
import { publicPartnersJson } from "~/services/partners/wall.server";

/**
 * Public JSON (DESIGN.md): one goal with the fields of /api/goals, its `partners` and its
 * `collections` and `competitions` (running or upcoming, most raised first), each list from its own area's service. 404 with a JSON body for an unknown slug.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = await getDb();
  const goal = await publicGoalJson(db, params.slug ?? "");
  if (!goal) return Response.json({ error: "goal_not_found" }, { status: 404, headers: { "Cache-Control": "no-store" } });
  const [partners, collections, competitions] = await Promise.all([publicPartnersJson(db, goal.id), collectionsForGoal(db, goal.id), competitionsForGoal(db, goal.id)]);
  return Response.json(
    {
      ...goal.json,
      partners,
      collections: collections.map((c) => ({ slug: c.slug, title: c.title, raisedOre: Number(c.raisedOre), targetOre: c.targetOre === null ? null : Number(c.targetOre) })),
      competitions: goalCompetitionsJson(competitions),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
