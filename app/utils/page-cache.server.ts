import type { IncomingMessage, ServerResponse } from "node:http";
import { forgetPublicReads } from "./public-reads.server";

/**
 * A micro-cache for the public pages that everyone sees alike (home, goal pages, about), for visitors
 * without a session: their HTML is rendered at most once per `ttlMs` per address and language, and
 * dropped at once when this instance writes to the ledger (`invalidatePageCache`). Other instances
 * see a new balance within `ttlMs`. The cached page's CSP nonce is replaced by this request's own
 * (the one already in its Content-Security-Policy header), so no two responses share a nonce. See docs/decisions/0002-page-micro-cache.md.
 */
export interface PageCacheOptions<Req extends IncomingMessage> {
  /** Renders a page (Remix's request handler, with the request's load context). */
  handle: (request: Request, req: Req) => Promise<Response>;
  /** This request's CSP nonce, already in its Content-Security-Policy header (http-guards.server.ts). */
  nonceFor: (req: Req) => string | undefined;
  ttlMs?: number;
  /** Paths that may be cached. */
  paths?: RegExp;
  maxEntries?: number;
}

interface Entry {
  status: number;
  headers: [string, string][];
  body: string;
  nonce: string | null;
  expires: number;
  generation: number;
}

let generation = 0;

/**
 * Call after a write that changes what public pages show (a ledger entry, a goal's text): this process's
 * pages, and the public facts it keeps for pages rendered per request (public-reads.server.ts), go at once.
 */
export function invalidatePageCache() {
  generation++;
  forgetPublicReads();
}

const DEFAULT_PATHS = /^\/(?:|about|goals\/[a-z0-9-]+|c\/[a-z0-9-]+)$/;
const ALLOWED_COOKIES = new Set(["lang"]);

function cookieNames(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => part.split("=")[0].trim())
    .filter(Boolean);
}

export function createPageCache<Req extends IncomingMessage>(options: PageCacheOptions<Req>) {
  const ttlMs = options.ttlMs ?? 1000;
  const paths = options.paths ?? DEFAULT_PATHS;
  const maxEntries = options.maxEntries ?? 200;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<Entry | Response>>();

  async function render(url: string, headers: Headers, req: Req): Promise<Entry | Response> {
    const response = await options.handle(new Request(url, { headers }), req);
    const type = response.headers.get("content-type") ?? "";
    if (response.status !== 200 || !type.startsWith("text/html") || response.headers.has("set-cookie")) return response;
    const entry: Entry = {
      status: response.status,
      headers: [...response.headers.entries()],
      body: await response.text(),
      nonce: options.nonceFor(req) ?? null,
      expires: Date.now() + ttlMs,
      generation,
    };
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    return entry;
  }

  function send(req: Req, res: ServerResponse, entry: Entry) {
    let body = entry.body;
    const fresh = options.nonceFor(req);
    if (entry.nonce && fresh && fresh !== entry.nonce) body = body.replaceAll(entry.nonce, fresh);
    const headers = entry.headers;
    res.statusCode = entry.status;
    for (const [k, v] of headers) if (k !== "content-length") res.setHeader(k, v);
    res.setHeader("content-length", Buffer.byteLength(body));
    res.end(body);
  }

  async function sendResponse(res: ServerResponse, response: Response) {
    res.statusCode = response.status;
    response.headers.forEach((v, k) => res.setHeader(k, v));
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  return async function pageCache(req: Req, res: ServerResponse, next: (err?: unknown) => void) {
    try {
      if (req.method !== "GET" || !req.url) return next();
      const url = new URL(req.url, `http://${req.headers.host ?? "localhost"}`);
      if (!paths.test(url.pathname) || url.search) return next();
      const cookies = cookieNames(req.headers.cookie);
      if (cookies.some((name) => !ALLOWED_COOKIES.has(name))) return next();
      // Remix's own data requests (.data) and anything asking for JSON go straight through.
      if (req.headers.accept?.includes("application/json")) return next();
      const lang = /(?:^|;\s*)lang=([^;]*)/.exec(req.headers.cookie ?? "")?.[1] ?? "";
      const key = `${lang}|${url.pathname}`;
      const cached = entries.get(key);
      if (cached && cached.expires > Date.now() && cached.generation === generation) return send(req, res, cached);

      let work = pending.get(key);
      const mine = !work;
      if (!work) {
        const headers = new Headers();
        if (req.headers.cookie) headers.set("cookie", req.headers.cookie);
        if (req.headers["user-agent"]) headers.set("user-agent", String(req.headers["user-agent"]));
        headers.set("accept", "text/html");
        work = render(url.toString(), headers, req).finally(() => pending.delete(key));
        pending.set(key, work);
      }
      const result = await work;
      if (result instanceof Response) {
        // Not cacheable (a 404, a redirect): only the request that rendered it may send that body.
        return mine ? await sendResponse(res, result) : next();
      }
      entries.set(key, result);
      send(req, res, result);
    } catch (error) {
      next(error);
    }
  };
}
