import type { ServerResponse } from "node:http";

/**
 * A Response for a page rendered whole to a string (entry.server.tsx). It is a Response like any other
 * (status, headers, body, text(), clone()…), but its body stream is made only if something reads it:
 * the server sends the HTML as it is (sendDocument) and never does. `new Response(html)` made a web
 * ReadableStream for every page at once (undici's extractBody, with Node's transferable wrapper): 2.6 % of
 * a signed-in goal page's CPU in a profile, for a stream nobody read (issue 10 item 6).
 */
class DocumentResponse extends Response {
  readonly html: string;
  #read: Response | undefined;

  constructor(html: string, init: ResponseInit) {
    super(null, init);
    this.html = html;
  }

  /** The Response with the HTML as its body, made the first time anything asks for the body. */
  #withBody(): Response {
    return (this.#read ??= new Response(this.html, { status: this.status, statusText: this.statusText, headers: this.headers }));
  }

  override get body() {
    return this.#withBody().body;
  }
  override get bodyUsed() {
    return this.#read?.bodyUsed ?? false;
  }
  override text() {
    return this.#withBody().text();
  }
  override arrayBuffer() {
    return this.#withBody().arrayBuffer();
  }
  override blob() {
    return this.#withBody().blob();
  }
  override json() {
    return this.#withBody().json();
  }
  override formData() {
    return this.#withBody().formData();
  }
  override bytes() {
    return this.#withBody().bytes();
  }
  override clone(): Response {
    if (this.bodyUsed) return this.#withBody().clone();
    return new DocumentResponse(this.html, { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) });
  }
}

/** A Response for a whole page's HTML, whose HTML `documentHtml` finds again. */
export function htmlResponse(html: string, init: ResponseInit): Response {
  return new DocumentResponse(html, init);
}

/** The HTML of `response` when htmlResponse made it and its body was not read; otherwise undefined (read its body instead). */
export function documentHtml(response: Response): string | undefined {
  return response instanceof DocumentResponse && !response.bodyUsed ? response.html : undefined;
}

/**
 * Sends a page made by htmlResponse as @remix-run/express's sendRemixResponse would (status, every
 * header appended in order, Set-Cookie one by one), with the HTML in one end(): Node adds its length.
 * Returns false (nothing sent) for any other Response.
 */
export function sendDocument(res: ServerResponse, response: Response): boolean {
  const html = documentHtml(response);
  if (html === undefined) return false;
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [key, value] of response.headers) res.appendHeader(key, value);
  res.end(html);
  return true;
}
