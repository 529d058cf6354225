import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParamOr404 } from "~/services/auth/validation";
import { partnerCertificatePdf } from "~/services/partners/certificate.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";

/** A partnership year's certificate as a PDF, for the organisation's contacts and staff (the service checks which). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const partnershipId = idParamOr404(params.partnershipId);
  if (!/^\d{4}$/.test(params.year ?? "")) throw new Response("Not Found", { status: 404 });
  const pdf = await orThrowResponse(() => partnerCertificatePdf(ctx, partnershipId, Number(params.year)));
  return fileResponse(pdf.content, { filename: pdf.filename, contentType: "application/pdf" });
}
