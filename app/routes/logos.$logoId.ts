import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOrganisationLogo } from "~/services/organisations/logos.server";
import { idParamOr404 } from "~/services/auth/validation";
import { loginRedirect } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";

/**
 * An organisation's logo, with the type its bytes were checked to be (never what the upload claimed) and
 * nosniff, so a browser never reads it as anything else. A public organisation's logo may be cached
 * publicly for an hour; another's is only for its contacts and staff, cached privately.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idParamOr404(params.logoId);
  const ctx = await contextFor(request);
  const logo = await orThrowResponse(() => getOrganisationLogo(ctx, id)).catch((refused: unknown) => {
    // A hidden organisation's logo asks a visitor to sign in, as its pages do.
    throw refused instanceof Response && refused.status === 401 ? loginRedirect(request) : refused;
  });
  const etag = `"${logo.sha256}"`;
  const headers = {
    "Content-Type": logo.contentType,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    // An hour, not for good: an organisation made hidden again should stop showing within that.
    "Cache-Control": logo.isPublic ? "public, max-age=3600" : "private, max-age=300",
    ETag: etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.bytes), { headers: { ...headers, "Content-Length": String(logo.bytes.length) } });
}
