import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { htmlResponse } from "~/utils/documents.server";
import { NonceProvider } from "~/utils/nonce";
import { keepPage, keptPage, renderKey } from "~/utils/render-memo.server";

export { startup } from "~/services/system/startup.server";
export { runEmailWorkerThread } from "~/services/email/worker-thread.server";
export { createPageCache } from "~/utils/page-cache.server";
export { existingFilesOnly } from "~/utils/static-files.server";
export { documentHtml, sendDocument } from "~/utils/documents.server";
export { isStripeWebhookRequest, stripeWebhookListener } from "~/services/payments/webhook-http.server";
export { bodyLimit, hostCheck, loadContext, MAX_BODY_BYTES, originCheck, securityHeaders, targetCheck } from "~/utils/http-guards.server";

const ABORT_DELAY = 5_000;

/**
 * React writes a page in views of 2 kB, and each would travel on its own through the web stream Remix
 * reads, the compression and a socket write: for a 60 kB page that cost more CPU than rendering parts of
 * it (bench:pages, issue 10 item 6). Here the views are gathered and passed on once per React flush:
 * React calls `flush()` after writing everything that is ready (the convention of zlib streams), so a
 * page is sent in as many pieces as React has ready moments, and what streams still streams.
 */
export class FlushBuffer extends PassThrough {
  #pending: Buffer[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.#pending.push(chunk);
    callback();
  }

  flush() {
    if (this.#pending.length === 0) return;
    this.push(this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending));
    this.#pending = [];
  }

  override _flush(callback: () => void) {
    this.flush();
    callback();
  }

  /**
   * React's pipe() aborts its render when the destination closes, which happens after every page: the
   * render is finished, and the abort ends the stream again. Node answers a second end() with an
   * ERR_STREAM_ALREADY_FINISHED (or ERR_STREAM_DESTROYED) error it builds, with its stack trace, and
   * drops: about 1 % of a page's CPU in a profile of a signed-in page.
   */
  override end(...args: unknown[]): this {
    if (!this.writableEnded) return super.end(...(args as []));
    const callback = args.find((a) => typeof a === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return this;
  }
}

type StreamCache = NonNullable<NonNullable<EntryContext["renderMeta"]>["streamCache"]>;

/**
 * Reads the page's loader data (Remix's `serverHandoffStream`, turbo-stream) into the cache its
 * StreamTransfer renders from (`renderMeta.streamCache`, entries in its own shape), for as long as each
 * chunk is there at once. True when the whole stream was: the render then never waits for it. Loader
 * data still waiting for a promise (deferred data) stops the reading at the chunk that waits; that read
 * is left in the cache as StreamTransfer would have left it, and StreamTransfer reads on from there.
 */
export async function readHandoff(context: EntryContext): Promise<boolean> {
  const stream = context.serverHandoffStream;
  if (!stream) return true;
  // Loader data with nothing deferred is already in the cache, to its end (the server-runtime patch's
  // encodeDocumentHandoff): there is no stream to read.
  const ready = context.renderMeta?.streamCache;
  if (ready && Object.values(ready).some((entry) => entry.result?.done)) return true;
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const cache: StreamCache = ((context.renderMeta ??= {}).streamCache ??= {});
  // RemixServer takes its reader from here: the one already reading.
  context.serverHandoffStream = { getReader: () => reader } as unknown as ReadableStream<Uint8Array>;
  const waiting = Symbol("waiting");
  for (let id = 0; ; id++) {
    const read = reader.read();
    // A chunk that is there resolves the read at once, so it wins the race with an already resolved promise.
    const first = await Promise.race([read, Promise.resolve(waiting)]);
    if (first === waiting) {
      const entry: StreamCache[number] = read.then(
        (result) => {
          entry.result = { done: result.done, value: decoder.decode(result.value, { stream: true }) };
        },
        (error: unknown) => {
          entry.error = error;
        },
      );
      cache[id] = entry;
      return false;
    }
    cache[id] = Object.assign(Promise.resolve(), { result: { done: first.done, value: decoder.decode(first.value, { stream: true }) } });
    if (first.done) return true;
  }
}

/**
 * A page whose loader data is all there (every page of this app: none defers data) is rendered in one
 * go to a string: no Suspense boundary waits, and no stream carries the HTML (React's 2 kB views, the web
 * stream Remix reads, one write per flush). A page with deferred data streams as before (`streamDocument`),
 * as does one where something suspended after all (a boundary React could not finish, `<!--$!`).
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (await readHandoff(remixContext)) {
    const nonce = loadContext?.cspNonce;
    // The same URL, status and loader data as a page rendered before: its HTML again (render-memo.server.ts).
    const key = renderKey(request, responseStatusCode, remixContext, nonce);
    const kept = key === undefined ? undefined : keptPage(remixContext, key, nonce);
    if (kept !== undefined) {
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      return htmlResponse(kept, { headers: responseHeaders, status: responseStatusCode });
    }
    const html = renderToString(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
    );
    if (!html.includes("<!--$!")) {
      const page = `<!DOCTYPE html>${html}`;
      if (key !== undefined) keepPage(remixContext, key, page, nonce);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      return htmlResponse(page, { headers: responseHeaders, status: responseStatusCode });
    }
  }
  return streamDocument(request, responseStatusCode, responseHeaders, remixContext, loadContext);
}

function streamDocument(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Set by securityHeaders in server.mjs, which also sends the matching Content-Security-Policy.
  const nonce = loadContext?.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    let abortTimer: NodeJS.Timeout | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          // What is still streaming (deferred data) gets ABORT_DELAY from here, not from the request: a render
          // that waited its turn behind many others (a burst after a start) was aborted before its shell was
          // sent, and a whole page then went out with status 500 and nothing logged.
          // Cleared when all is rendered (onAllReady): a timer left behind kept every finished render, its
          // tree and its buffers alive for 5 s, which the garbage collector then had to move and mark.
          if (!waitForAll) abortTimer = setTimeout(abort, ABORT_DELAY).unref();
          const body = new FlushBuffer();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        ...(waitForAll ? {} : { onAllReady: () => clearTimeout(abortTimer) }),
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}
