import type { LoaderFunctionArgs } from "@remix-run/node";
import { collectionJson } from "~/services/collections/page.server";
import { contextFor } from "~/utils/context.server";

/** GET /api/collections/<slug> (DESIGN.md): public totals, no donor's data; 410 when hidden, 404 unknown. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await collectionJson(await contextFor(request), params.slug ?? "");
  const headers = { "Cache-Control": "public, max-age=2" };
  if (found.kind === "hidden") return Response.json({ error: "collection_hidden" }, { status: 410, headers });
  if (found.kind === "missing") return Response.json({ error: "collection_not_found" }, { status: 404, headers });
  return Response.json(found.body, { headers });
}
