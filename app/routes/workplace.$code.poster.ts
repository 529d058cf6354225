import type { LoaderFunctionArgs } from "@remix-run/node";
import { invitePosterPdf } from "~/services/workplace/invite-poster.server";
import { contextFor } from "~/utils/context.server";
import { env } from "~/utils/env.server";
import { fileResponse } from "~/utils/http.server";

/**
 * The join link's A4 poster as a PDF (issue 13 item 2). Public like the link: the code is the secret.
 * An unknown code is 404; a rotated or expired one 410 (it existed and was withdrawn).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const poster = await invitePosterPdf(ctx.db, params.code ?? "", { locale: ctx.locale, appUrl: env().appUrl });
  if (!poster.ok) return new Response(poster.reason, { status: poster.reason === "unknown" ? 404 : 410, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return fileResponse(poster.pdf, { filename: `workplace-poster-${params.code}.pdf`, contentType: "application/pdf", inline: true });
}
