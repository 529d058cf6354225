import type { LoaderFunctionArgs } from "@remix-run/node";
import { periodMessages } from "~/i18n/transparency";
import { transparencyJson } from "~/services/reporting/transparency.server";
import { contextFor } from "~/utils/context.server";
import { attemptJson } from "~/utils/json.server";

/**
 * GET /api/transparency (DESIGN.md): per goal its balance and money in per channel per month, oldest
 * first; `?from=YYYY-MM&to=YYYY-MM` narrows the months (`?goal=<slug>` to one goal). A bad range is a
 * 400 with a message, an unknown goal a 404. No donor's data: it is built from aggregates only.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const q = new URL(request.url).searchParams;
  return attemptJson(ctx.locale, () => transparencyJson(ctx, { from: q.get("from"), to: q.get("to"), goal: q.get("goal") }), {
    messages: periodMessages,
    headers: { "Cache-Control": "public, max-age=5" },
  });
}
