import type { LoaderFunctionArgs } from "@remix-run/node";
import { collectionImage } from "~/services/collections/create.server";
import { contextFor } from "~/utils/context.server";

/** A collection's image with the type its bytes were checked to be, never sniffed as anything else. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const image = await collectionImage(await contextFor(request), params.slug ?? "");
  if (!image) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } });
  if (request.headers.get("if-none-match") === image.etag) return new Response(null, { status: 304, headers: { ETag: image.etag } });
  return new Response(image.bytes, {
    headers: {
      "Content-Type": image.contentType,
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline",
      "Cache-Control": "public, max-age=300",
      ETag: image.etag,
    },
  });
}
