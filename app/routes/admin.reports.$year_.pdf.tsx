import type { LoaderFunctionArgs } from "@remix-run/node";
import { yearlyReportPdf } from "~/services/reports/report-pdf.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";

/** The yearly report as a PDF (all goals, or ?goal=<slug>): the page's sections from the same data. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const goalSlug = new URL(request.url).searchParams.get("goal");
  const pdf = await orThrowResponse(() => yearlyReportPdf(ctx, { year: params.year, goalSlug }));
  return fileResponse(pdf.content, { filename: pdf.filename, contentType: "application/pdf" });
}
