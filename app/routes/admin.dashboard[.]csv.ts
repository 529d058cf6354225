import type { LoaderFunctionArgs } from "@remix-run/node";
import { dashboardCsv } from "~/services/dashboard/csv.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";

/**
 * GET /admin/dashboard.csv?table=<key>&from=…&to=…: one of the dashboard's tables as a CSV file for
 * Excel (app/services/dashboard/csv.server.ts). An unknown table or a period that cannot be read is
 * a 400, nothing else is read.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  const file = await orThrowResponse(() => dashboardCsv(ctx, { table: query.get("table"), from: query.get("from"), to: query.get("to") }));
  return fileResponse(file.body, { filename: file.filename, contentType: "text/csv; charset=utf-8" });
}
