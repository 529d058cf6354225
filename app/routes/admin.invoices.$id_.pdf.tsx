import type { LoaderFunctionArgs } from "@remix-run/node";
import { invoicePdfFor } from "~/services/invoices/invoices.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { fileResponse, orThrowResponse } from "~/utils/http.server";

/** An issued bank invoice's PDF, the same document the buyer was emailed (rendered again from the invoice). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not Found", { status: 404 });
  const pdf = await orThrowResponse(() => invoicePdfFor(ctx, id));
  return fileResponse(pdf.content, { filename: pdf.filename, contentType: "application/pdf" });
}
