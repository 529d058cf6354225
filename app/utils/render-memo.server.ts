import type { EntryContext } from "@remix-run/node";

/**
 * Pages rendered once for the data they show (issue 10 item 6). A page rendered whole (entry.server) is a
 * function of what Remix hands the render: the URL, the response status, the loader and action data of
 * every matched route (all of it in the page's turbo-stream handoff, which the render embeds), the build,
 * and the CSP nonce. The same inputs give the same HTML, so the HTML of a GET answered 200 is kept, keyed
 * by the URL, the status and the handoff's text, and served again, with this response's nonce, when a
 * later request brings the same inputs: the next signed-in person who opens the same goal page, while
 * its figures have not changed. Loaders still run for every request, so nothing shown is older than
 * the request: data that changed is a different key, rendered anew. Nothing is shared between people
 * that differs in their data: what differs is in the key.
 *
 * What the key cannot see is left out: loader data turbo-stream cannot encode faithfully (class
 * instances, functions: its SingleFetchClassInstance and SingleFetchFallback markers), data still
 * streaming, a page where something suspended (`<!--$!`), and the development server (`manifest.hmr`).
 * A render must not read the clock, randomness or anything outside its props and Remix's context
 * (the app's pages read the time in loaders: tests/pages/render-purity.test.ts).
 *
 * Bounded: a page is kept the second time its key is seen (a page seen once, such as one with a fresh
 * token in its data, takes no room), at most MAX_BYTES of keys and HTML per build (its manifest: Remix makes the route modules object anew for every request), oldest out first.
 */
const MAX_BYTES = 8 * 1024 * 1024;
const MAX_KEY = 64 * 1024;
const MAX_HTML = 512 * 1024;

type Kept = { parts: string[]; bytes: number };
/** `seen`: keys seen once and not kept yet (at most MAX_BYTES of them, then they start over). */
type Memo = { pages: Map<string, Kept>; bytes: number; seen: Set<string>; seenBytes: number };

const memos = new WeakMap<object, Memo>();

function memoOf(context: EntryContext): Memo {
  let memo = memos.get(context.manifest);
  if (!memo) {
    memo = { pages: new Map(), bytes: 0, seen: new Set(), seenBytes: 0 };
    memos.set(context.manifest, memo);
  }
  return memo;
}

/** The handoff's text when all of it is there (readHandoff read it whole), else undefined. */
function handoffText(context: EntryContext): string | undefined {
  const cache = context.renderMeta?.streamCache;
  if (!cache) return undefined;
  let text = "";
  for (let id = 0; ; id++) {
    const entry = cache[id];
    if (!entry?.result) return undefined;
    text += entry.result.value ?? "";
    if (entry.result.done) return text;
  }
}

/**
 * The key of this render, or undefined when it is not to be kept: only GETs answered 200 by a
 * production build, with all loader data there and faithfully encoded.
 */
export function renderKey(request: Request, status: number, context: EntryContext, nonce: string | undefined): string | undefined {
  const manifest = context.manifest as { hmr?: unknown; hmrRuntime?: unknown };
  if (request.method !== "GET" || status !== 200 || manifest.hmr || manifest.hmrRuntime) return undefined;
  const handoff = handoffText(context);
  if (handoff === undefined || handoff.includes("SingleFetchClassInstance") || handoff.includes("SingleFetchFallback")) return undefined;
  const key = `${nonce ? "n" : nonce === undefined ? "-" : "e"} ${request.url}\n${handoff}`;
  return key.length <= MAX_KEY ? key : undefined;
}

/** The HTML kept for `key`, with `nonce` where the render that made it had its own; else undefined. */
export function keptPage(context: EntryContext, key: string, nonce: string | undefined): string | undefined {
  const memo = memoOf(context);
  const kept = memo.pages.get(key);
  if (!kept) return undefined;
  // Most recently used last: the oldest go first when room is needed.
  memo.pages.delete(key);
  memo.pages.set(key, kept);
  return kept.parts.length === 1 ? kept.parts[0] : kept.parts.join(nonce ?? "");
}

/** Keeps `html` (rendered with `nonce`) for `key` if this is the second time the key is seen. */
export function keepPage(context: EntryContext, key: string, html: string, nonce: string | undefined) {
  const memo = memoOf(context);
  if (html.length > MAX_HTML) return;
  if (!memo.seen.has(key)) {
    if (memo.seenBytes + key.length > MAX_BYTES) {
      memo.seen.clear();
      memo.seenBytes = 0;
    }
    memo.seen.add(key);
    memo.seenBytes += key.length;
    return;
  }
  memo.seen.delete(key);
  memo.seenBytes -= key.length;
  // The nonce is a fresh random value per response (server.mjs), which page content cannot hold by chance.
  const parts = nonce ? html.split(nonce) : [html];
  const bytes = key.length + html.length;
  memo.pages.set(key, { parts, bytes });
  memo.bytes += bytes;
  for (const [oldKey, old] of memo.pages) {
    if (memo.bytes <= MAX_BYTES) break;
    memo.pages.delete(oldKey);
    memo.bytes -= old.bytes;
  }
}
