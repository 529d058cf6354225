import { getDb } from "~db/client.server";
import { publicGoalsJson } from "~/services/goals/goals.server";

/** Public JSON (DESIGN.md): every goal with slug, number, title, raisedOre, targetOre. */
export async function loader() {
  const goals = await publicGoalsJson(await getDb());
  return Response.json(goals, { headers: { "Cache-Control": "no-store" } });
}
