import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "~/utils/env.server";

/**
 * Request guards that run in server.mjs before Remix sees a request, so every route is covered
 * without each form having to remember anything (docs/decisions/0003-csrf-and-sessions.md).
 */
type Req = IncomingMessage & { cspNonce?: string; secure?: boolean; ip?: string; originalUrl?: string };
type Next = (error?: unknown) => void;

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request nonce for the Content-Security-Policy (set by securityHeaders). */
    cspNonce?: string;
    /** The client's address as Express sees it (TRUST_PROXY decides whether proxies are believed). */
    clientIp?: string;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Paths that take POSTs from other sites by design: Stripe's webhook, verified by its signature instead. */
export const csrfExemptPrefixes = ["/webhooks/"];

export function contentSecurityPolicy(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    // React style attributes (e.g. the width of a progress bar); no inline <style> elements.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    development ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    // Chromium applies form-action to the redirect after a POST: the give form ends at Stripe
    // Checkout, the monthly gift's "change card" at Stripe's billing portal.
    "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
    "frame-src 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** True when the request is refused as cross-site. Pure, for unit tests. */
export function isCrossSiteWrite(input: {
  method: string;
  path: string;
  origin?: string;
  host?: string;
  secFetchSite?: string;
  appOrigin: string;
}): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return false;
  if (csrfExemptPrefixes.some((p) => input.path.startsWith(p))) return false;
  const origin = input.origin;
  if (origin && origin !== "null") {
    if (origin === input.appOrigin) return false;
    try {
      // Same host as the one the browser addressed: a same-origin form (e.g. 127.0.0.1 vs localhost).
      if (input.host && new URL(origin).host === input.host.toLowerCase()) return false;
    } catch {
      return true;
    }
    return true;
  }
  // No Origin, or the opaque "null" (Chromium sends it for a form POST from a page whose
  // Referrer-Policy is no-referrer): only a browser that says the request is same-origin passes.
  // Sec-Fetch-Site is set by the browser itself; pages cannot forge it.
  return input.secFetchSite !== "same-origin";
}

/**
 * CSRF: a state-changing request must come from this site's own pages. Browsers send `Origin` on
 * every POST; a request whose Origin is another site, or is `null` or missing without
 * `Sec-Fetch-Site: same-origin`, is refused with 403 before any action runs, so nothing is written.
 */
export function originCheck() {
  const appOrigin = new URL(env().appUrl).origin;
  return (req: Req, res: ServerResponse, next: Next) => {
    const refused = isCrossSiteWrite({
      method: req.method ?? "GET",
      path: (req.originalUrl ?? req.url ?? "/").split("?")[0],
      origin: header(req, "origin"),
      host: header(req, "host"),
      secFetchSite: header(req, "sec-fetch-site"),
      appOrigin,
    });
    if (!refused) {
      // Remix's own document-POST check compares Origin with Host and would answer 500 to the
      // opaque "null" we have just accepted on the browser's word (Sec-Fetch-Site).
      if (header(req, "origin") === "null") delete req.headers.origin;
      return next();
    }
    res.statusCode = 403;
    res.setHeader("Content-Type", "text/plain; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.end(
      "Förfrågan stoppades: den kom inte från Lokala måls egna sidor. Gå tillbaka, ladda om sidan och försök igen.\n" +
        "Request refused: it did not come from Local goals' own pages. Go back, reload the page and try again.\n",
    );
  };
}

/** The largest request body accepted: forms are a few kilobytes, Stripe's events well under this. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Whether a request's body is refused before anything reads it: 411 without a declared length
 * (chunked; browsers and Stripe always declare it, and a declared length lets the limit hold without
 * buffering), 413 over `maxBytes`; null when it may be read (or has no body at all).
 */
export function bodyRefusal(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): 411 | 413 | null {
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  if (/chunked/i.test(header(req, "transfer-encoding") ?? "")) return 411;
  const length = header(req, "content-length");
  if (length === undefined) return null; // no body at all
  return !/^\d+$/.test(length) || Number(length) > maxBytes ? 413 : null;
}

/**
 * Refuses a request body over MAX_BODY_BYTES (413) or of undeclared length (411) before anything
 * reads it (bodyRefusal). Keeps one visitor from filling the server's memory.
 */
export function bodyLimit(maxBytes = MAX_BODY_BYTES) {
  return (req: Req, res: ServerResponse, next: Next) => {
    const refused = bodyRefusal(req, maxBytes);
    if (!refused) return next();
    res.statusCode = refused;
    res.setHeader("Content-Type", "text/plain; charset=utf-8");
    res.setHeader("Connection", "close");
    res.end(
      refused === 411
        ? "Förfrågan saknar längd.\nThe request has no declared length.\n"
        : "Förfrågan är för stor.\nThe request is too large.\n",
    );
    req.destroy();
  };
}

/**
 * Security headers on every response (pages, data, resources, static files). A per-request CSP
 * nonce is generated here and handed to Remix through the load context; a route that sets its own
 * Content-Security-Policy (the dev mailbox's raw email view) keeps it.
 */
export function securityHeaders() {
  const config = env();
  const httpsApp = config.appUrl.startsWith("https:");
  const development = process.env.NODE_ENV === "development";
  return (req: Req, res: ServerResponse, next: Next) => {
    const nonce = randomBytes(16).toString("base64");
    req.cspNonce = nonce;
    const hasSessionCookie = /(?:^|;\s*)(?:__Host-)?lm_session=/.test(header(req, "cookie") ?? "");
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (!res.hasHeader("Content-Security-Policy")) res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, development));
      res.setHeader("X-Content-Type-Options", "nosniff");
      if (!res.hasHeader("Referrer-Policy")) res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
      res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
      res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
      if (httpsApp || req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
      // Pages for a signed-in person are private: never kept by shared caches or the back/forward cache.
      if (hasSessionCookie && !res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "private, no-store");
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}

/** What Remix's loaders and actions get as `context`. */
export function loadContext(req: Req) {
  return { cspNonce: req.cspNonce, clientIp: req.ip ?? req.socket?.remoteAddress ?? "unknown" };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
