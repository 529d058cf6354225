import { randomFillSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { badInputMessages } from "~/i18n/bad-input";
import { defaultLocale, isLocale, type Locale } from "~/i18n/messages";
import { targetHasControlCharacters } from "~/utils/control-characters";
import { env, type Env } from "~/utils/env.server";

/**
 * Request guards that run in server.mjs before Remix sees a request, so every route is covered
 * without each form having to remember anything (docs/decisions/0003-csrf-and-sessions.md).
 */
type Req = IncomingMessage & { cspNonce?: string; secure?: boolean; ip?: string; originalUrl?: string; app?: { get?: (setting: string) => unknown } };
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
/**
 * Paths that take POSTs from other sites by design: Stripe's webhook, verified by its signature
 * instead. Compared with the path as Remix routes it (`routedPath`), exactly, not as a prefix.
 */
export const csrfExemptPaths = new Set(["/webhooks/stripe"]);

/**
 * The path Remix will route a request target to. @remix-run/express builds the request's URL as
 * `new URL(protocol + "://" + host + originalUrl)`, and the URL parser resolves dot segments
 * (`..`, `%2e%2e`, `.%2E`), turns `\` into `/` and drops the query: `/webhooks/../admin/people` is
 * routed to `/admin/people`. Checks on the path must look at this, not at the raw target. Null when
 * the target cannot be parsed (Remix cannot route it either).
 */
export function routedPath(target: string): string | null {
  try {
    return new URL(`http://routed.invalid${target}`).pathname;
  } catch {
    return null;
  }
}

/**
 * A Host (or X-Forwarded-Host) value in one spelling: lower case, default port 80 dropped, IPv6 in
 * brackets. Null for anything that is not a plain host[:port] (user info, a path, spaces).
 */
export function canonicalHost(value: string | undefined): string | null {
  if (!value || !/^[A-Za-z0-9.\-_:[\]]+$/.test(value)) return null;
  try {
    const url = new URL(`http://${value}`);
    return url.host;
  } catch {
    return null;
  }
}

/**
 * The host names this server answers for (docs/decisions/0003): APP_URL's host; in local mode also
 * localhost, 127.0.0.1 and [::1] on PORT; and HOST:PORT when HOST is set. A request addressed to
 * any other name (DNS rebinding: a foreign name that resolves to this machine) is refused.
 */
export function allowedHosts(config: Pick<Env, "appUrl" | "port" | "host" | "production">): Set<string> {
  const app = new URL(config.appUrl);
  const names = [app.host];
  // A client may spell out the scheme's default port.
  if (!app.port) names.push(`${app.hostname}:${app.protocol === "https:" ? 443 : 80}`);
  const listen: string[] = config.production ? [] : ["localhost", "127.0.0.1", "[::1]"];
  if (config.host) listen.push(config.host.includes(":") && !config.host.startsWith("[") ? `[${config.host}]` : config.host);
  for (const name of listen) names.push(`${name}:${config.port}`);
  return new Set(names.map((n) => canonicalHost(n)).filter((n): n is string => n !== null));
}

/** Paths answered whatever the Host: a load balancer's health check addresses the instance by its IP. */
const ANY_HOST_PATHS = new Set(["/healthz"]);

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

export type WriteVerdict = "allowed" | "cross-site" | "host-mismatch";

/**
 * Whether a request may change state (pure, for unit tests). `host` is the host the request was
 * addressed to, already checked by hostCheck (the public one from X-Forwarded-Host when a trusted
 * proxy sent it). "host-mismatch": the Origin is one of this site's own, but not the host the
 * request was addressed to; Remix itself would answer such a POST with a 500, and a proxy that
 * rewrites Host without passing X-Forwarded-Host is the usual cause.
 */
export function writeVerdict(input: {
  method: string;
  path: string;
  origin?: string;
  host?: string;
  secFetchSite?: string;
  appOrigin: string;
  ownHosts?: Set<string>;
}): WriteVerdict {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return "allowed";
  const path = routedPath(input.path);
  if (path !== null && csrfExemptPaths.has(path)) return "allowed";
  const origin = input.origin;
  if (origin && origin !== "null") {
    let originHost: string | null;
    try {
      originHost = canonicalHost(new URL(origin).host);
    } catch {
      return "cross-site";
    }
    const host = canonicalHost(input.host);
    // Same host as the one the browser addressed: a same-origin form (this is also what Remix compares).
    if (originHost && host && originHost === host) return "allowed";
    const ours = origin === input.appOrigin || (originHost !== null && input.ownHosts?.has(originHost) === true);
    return ours ? "host-mismatch" : "cross-site";
  }
  // No Origin, or the opaque "null" (Chromium sends it for a form POST from a page whose
  // Referrer-Policy is no-referrer): only a browser that says the request is same-origin passes.
  // Sec-Fetch-Site is set by the browser itself; pages cannot forge it.
  return input.secFetchSite === "same-origin" ? "allowed" : "cross-site";
}

/** True when the request is refused as cross-site (writeVerdict is not "allowed"). */
export function isCrossSiteWrite(input: Parameters<typeof writeVerdict>[0]): boolean {
  return writeVerdict(input) !== "allowed";
}

/**
 * CSRF: a state-changing request must come from this site's own pages. Browsers send `Origin` on
 * every POST; a request whose Origin is not the host it was addressed to, or whose Origin is `null`
 * or missing without `Sec-Fetch-Site: same-origin`, is refused with 403 before any action runs, so
 * nothing is written. Runs after hostCheck, which has settled the Host header.
 */
export function originCheck() {
  const config = env();
  const appOrigin = new URL(config.appUrl).origin;
  const ownHosts = allowedHosts(config);
  return (req: Req, res: ServerResponse, next: Next) => {
    const target = req.originalUrl ?? req.url ?? "/";
    const verdict = writeVerdict({
      method: req.method ?? "GET",
      path: target,
      origin: header(req, "origin"),
      host: header(req, "host"),
      secFetchSite: header(req, "sec-fetch-site"),
      appOrigin,
      ownHosts,
    });
    if (verdict === "allowed") {
      // Remix's own document-POST check compares Origin with Host and would answer 500 to the
      // opaque "null" we have just accepted on the browser's word (Sec-Fetch-Site).
      if (header(req, "origin") === "null") delete req.headers.origin;
      return next();
    }
    if (verdict === "host-mismatch") {
      console.warn(
        `[http] 403 ${req.method} ${routedPath(target) ?? "?"}: Origin ${header(req, "origin")} is this site's, but the request was addressed to host ${header(req, "host")}. ` +
          "A proxy in front that rewrites Host must pass the public host in X-Forwarded-Host, and TRUST_PROXY must be set (docs/identity.md).",
      );
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

/**
 * DNS rebinding: a foreign page whose name resolves to this machine is same-origin with it in the
 * browser, and could read pages (the dev mailbox's sign-in links) if the server answered any Host.
 * Every request (GET too) must be addressed to one of `allowedHosts`, else 421. The host is the
 * `Host` header, or the first `X-Forwarded-Host` when Express trusts the proxy that sent it
 * (TRUST_PROXY, the same rule as `req.hostname`); an untrusted X-Forwarded-Host is ignored.
 * Afterwards `Host` holds that checked host and X-Forwarded-Host is gone, so Remix (its request URL
 * and its own Origin/Host comparison) and originCheck all see the one host that was checked.
 */
export function hostCheck() {
  const allowed = allowedHosts(env());
  let lastLog = 0;
  return (req: Req, res: ServerResponse, next: Next) => {
    const forwarded = trustsProxy(req) ? header(req, "x-forwarded-host")?.split(",")[0]?.trim() : undefined;
    const asked = forwarded || header(req, "host");
    const host = canonicalHost(asked);
    delete req.headers["x-forwarded-host"];
    if (host && allowed.has(host)) {
      req.headers.host = host;
      return next();
    }
    const target = req.originalUrl ?? req.url ?? "/";
    if (SAFE_METHODS.has(req.method ?? "GET") && ANY_HOST_PATHS.has(routedPath(target) ?? "")) return next();
    // Scanners send any Host: one line a minute is enough to notice a misconfigured proxy.
    if (Date.now() - lastLog > 60_000) {
      lastLog = Date.now();
      console.warn(
        `[http] 421 for host ${JSON.stringify(asked ?? "")}: this server answers only ${[...allowed].join(", ")} ` +
          "(APP_URL, HOST; behind a proxy: X-Forwarded-Host with TRUST_PROXY, docs/identity.md).",
      );
    }
    refuse(req, res, 421, "wrongHost");
  };
}

/**
 * The one rule for text input, applied to the request target: a path or query string with a control
 * character (NUL and the other C0 characters but tab, LF, CR), raw or percent-encoded, is a 400
 * before any route sees it, so no loader passes it to the database (PostgreSQL refuses NUL with a
 * 500). Form fields get the same rule in readForm.
 */
export function targetCheck() {
  return (req: Req, res: ServerResponse, next: Next) => {
    if (!targetHasControlCharacters(req.originalUrl ?? req.url ?? "/")) return next();
    refuse(req, res, 400, "badAddress");
  };
}

/** A plain-text refusal in the reader's language (`?lang=`, then the `lang` cookie), then the other one. */
function refuse(req: Req, res: ServerResponse, status: number, message: "wrongHost" | "badAddress" | "noLength" | "tooLarge" | "tooLargeUpload") {
  const first = readerLocale(req);
  const lines = [badInputMessages(first)[message], badInputMessages(first === "sv" ? "en" : "sv")[message]];
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Content-Language", first);
  res.setHeader("Cache-Control", "no-store");
  res.end(lines.join("\n") + "\n");
}

function readerLocale(req: Req): Locale {
  const query = /[?&]lang=(sv|en)(?:&|$)/.exec(req.url ?? "")?.[1];
  if (isLocale(query)) return query;
  // The lang cookie as Remix's createCookie writes it: base64 of the JSON string ("ImVuIg==" is "en").
  const cookie = /(?:^|;\s*)lang=([^;]*)/.exec(header(req, "cookie") ?? "")?.[1];
  if (cookie) {
    try {
      const value: unknown = JSON.parse(Buffer.from(decodeURIComponent(cookie), "base64").toString("utf8"));
      if (isLocale(value)) return value;
    } catch {
      // not ours: the default language
    }
  }
  return defaultLocale;
}

/** Whether Express trusts the peer as a proxy (TRUST_PROXY), exactly as `req.hostname` decides. */
function trustsProxy(req: Req): boolean {
  const trust = req.app?.get?.("trust proxy fn") as ((address: string | undefined, hop: number) => boolean) | undefined;
  return typeof trust === "function" && trust(req.socket?.remoteAddress, 0) === true;
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
/** Forms that carry an image (a collection's, at most 2 MB, with its texts and multipart framing). */
export const UPLOAD_BODY_BYTES = 3 * 1024 * 1024;
const UPLOAD_PATHS = /^\/collections\/new(?:\?|$)/;

export function bodyLimit(maxBytes = MAX_BODY_BYTES) {
  return (req: Req, res: ServerResponse, next: Next) => {
    const upload = UPLOAD_PATHS.test(req.url ?? "");
    const refused = bodyRefusal(req, upload ? Math.max(maxBytes, UPLOAD_BODY_BYTES) : maxBytes);
    if (!refused) return next();
    res.setHeader("Connection", "close");
    closeUnread(req);
    // In the reader's language first: on an upload form the limit is the image's (Conform says so next to the field before sending when JavaScript runs).
    refuse(req, res, refused, refused === 411 ? "noLength" : upload ? "tooLargeUpload" : "tooLarge");
  };
}

/** How long a refused upload is still read (and thrown away) so that its answer reaches the client. */
const LINGER_MS = 2_000;

/**
 * Ends a `Connection: close` answer to a request whose body was refused unread, without losing the
 * answer. Node ends such a response with socket.destroySoon(): FIN, then destroy as soon as it is
 * written. With the upload still arriving, the kernel then resets the connection (unread data at
 * close), and a reset can throw away the 413 before the client has read it: the client sees only
 * ECONNRESET (a test saw it under load). So this socket's destroySoon half-closes instead, lets Node
 * read and discard the rest of the upload (it dumps an unread request body) until the client closes,
 * for at most LINGER_MS, and then destroys it: a "lingering close", as nginx and Apache do.
 */
export function closeUnread(req: IncomingMessage): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    const destroy = () => socket.destroy();
    setTimeout(destroy, LINGER_MS).unref();
    socket.once("end", destroy);
    socket.end();
  };
}

const NONCE_BYTES = 16;
const noncePool = Buffer.alloc(NONCE_BYTES * 256);
let nonceOffset = noncePool.length;

/**
 * A fresh CSP nonce: 16 bytes from the CSPRNG, base64. The bytes are drawn 4 kB at a time and each
 * 16 are used once: one randomFillSync per 256 requests instead of a randomBytes call (a new Buffer and
 * a trip to OpenSSL) per request, 1.2 % of a signed-in page's CPU in a profile (issue 10 item 6).
 */
export function newNonce(): string {
  if (nonceOffset === noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString("base64", nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
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
    const nonce = newNonce();
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
