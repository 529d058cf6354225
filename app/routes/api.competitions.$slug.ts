import type { LoaderFunctionArgs } from "@remix-run/node";
import { competitionJson } from "~/services/competitions/board.server";
import { contextFor } from "~/utils/context.server";

/** GET /api/competitions/<slug> (DESIGN.md): the standings as JSON; in `together` every rank is null. 404 with a JSON body for an unknown slug. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const json = await competitionJson(ctx, params.slug ?? "");
  const headers = { "Cache-Control": "no-store" };
  return json ? Response.json(json, { headers }) : Response.json({ error: "not_found" }, { status: 404, headers });
}
