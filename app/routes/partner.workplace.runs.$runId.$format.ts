import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParamOr404 } from "~/services/auth/validation";
import { payrollFile } from "~/services/workplace/payroll-read.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";

/** The month's payroll list as a file (PAXml 2.0 or CSV) for the employer's contacts and staff; anyone else 403. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const file = await orThrowResponse(() => payrollFile(ctx, idParamOr404(params.runId), params.format ?? ""));
  return fileResponse(file.body, { filename: file.filename, contentType: file.contentType });
}
