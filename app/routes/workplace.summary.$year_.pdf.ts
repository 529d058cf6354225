import type { LoaderFunctionArgs } from "@remix-run/node";
import { myWorkplaceSummaryPdf } from "~/services/workplace/summary.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";
import { summaryYearSchema } from "~/validation/workplace-pledge";

/** /workplace/summary/<year>/pdf: the employee's own yearly summary as a PDF (issue 13 item 4). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const year = summaryYearSchema.safeParse(params.year);
  if (!year.success) throw new Response("year_invalid", { status: 404 });
  const pdf = await orThrowResponse(() => myWorkplaceSummaryPdf(ctx, year.data));
  return fileResponse(pdf, { filename: `workplace-giving-${year.data}.pdf`, contentType: "application/pdf" });
}
