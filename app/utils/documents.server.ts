import type { ServerResponse } from "node:http";

/**
 * Pages rendered whole to a string (entry.server.tsx) are Responses like any other, with the HTML as
 * their body; their HTML is also kept here, so that the server can send it as it is instead of reading
 * it back out of the Response's web stream chunk by chunk (issue 10 item 6).
 */
const documents = new WeakMap<Response, string>();

/** A Response for a whole page's HTML, whose HTML `documentHtml` finds again. */
export function htmlResponse(html: string, init: ResponseInit): Response {
  const response = new Response(html, init);
  documents.set(response, html);
  return response;
}

/** The HTML of `response` when htmlResponse made it; otherwise undefined (read its body instead). */
export function documentHtml(response: Response): string | undefined {
  return documents.get(response);
}

/**
 * Sends a page made by htmlResponse as @remix-run/express's sendRemixResponse would (status, every
 * header appended in order, Set-Cookie one by one), with the HTML in one end(): Node adds its length.
 * Returns false (nothing sent) for any other Response.
 */
export function sendDocument(res: ServerResponse, response: Response): boolean {
  const html = documents.get(response);
  if (html === undefined) return false;
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [key, value] of response.headers) res.appendHeader(key, value);
  res.end(html);
  return true;
}
