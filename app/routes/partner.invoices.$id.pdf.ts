import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParamOr404 } from "~/services/auth/validation";
import { partnerInvoicePdf } from "~/services/partners/dashboard.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";

/** An issued bank invoice's PDF for the organisation's contacts (and staff): the same document the buyer was emailed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const pdf = await orThrowResponse(() => partnerInvoicePdf(ctx, idParamOr404(params.id)));
  return fileResponse(pdf.content, { filename: pdf.filename, contentType: "application/pdf" });
}
