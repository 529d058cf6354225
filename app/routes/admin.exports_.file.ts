import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportCsv, exportConsentingDonors } from "~/services/exports/csv-export.server";
import { exportSie } from "~/services/exports/sie-export.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";
import { exportRequestSchema } from "~/validation/exports";
import { parseForm } from "~/validation/parse";

/**
 * GET /admin/exports/file?kind=…&from=…&to=…: the file itself, as a download. /admin/exports checks the
 * period and sends the browser here (a redirect after its POST): a page's action cannot answer a
 * document POST with a file under single fetch (its Response becomes the page's action data), a resource
 * route's loader can. A bad address gets a 400; the page is where staff see field messages.
 */
function download(file: { filename: string; stream: ReadableStream<Uint8Array> }, contentType: string) {
  return fileResponse(file.stream, { filename: file.filename, contentType });
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  if (query.get("kind") === "donors") return download(await orThrowResponse(() => exportConsentingDonors(ctx)), "text/csv; charset=utf-8");
  const submission = parseForm(query, exportRequestSchema);
  if (submission.status !== "success") throw new Response("Bad export request", { status: 400 });
  const { kind, ...period } = submission.value;
  if (kind === "sie") return download(await orThrowResponse(() => exportSie(ctx, period)), "text/plain; charset=IBM437");
  return download(await orThrowResponse(() => exportCsv(ctx, kind, period)), "text/csv; charset=utf-8");
}
