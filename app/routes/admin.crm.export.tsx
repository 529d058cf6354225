import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportContactsCsv, exportOrganisationsCsv } from "~/services/crm/export.server";
import { organisationFilters } from "~/services/crm/organisation-search.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";

/**
 * GET /admin/crm/export?what=organisations|contacts&q=…&goal=…&tier=…&status=…: the staff organisation
 * list (or its contacts) as a CSV file for Excel (see app/services/crm/export.server.ts), the list's selection.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  const filters = organisationFilters(query);
  const file = await orThrowResponse(() => (query.get("what") === "contacts" ? exportContactsCsv(ctx, filters) : exportOrganisationsCsv(ctx, filters)));
  return fileResponse(file.body, { filename: file.filename, contentType: "text/csv; charset=utf-8" });
}
