import { createCookie, type Cookie } from "@remix-run/node";
import { SESSION_ABSOLUTE_MS } from "~/services/auth/sessions.server";
import { env } from "~/utils/env.server";

let cookie: Cookie | undefined;

/**
 * Cookie headers already checked, and the session token each carried (null: none, or a bad signature).
 * Checking the signature is an HMAC per request (about 2 % of a signed-in page's CPU); a browser sends the
 * same header on every request, and the same header always gives the same answer. At most 1,000 headers
 * are kept, then they start over; switching the cookie's configuration (tests) forgets them.
 */
const checked = new Map<string, string | null>();

/**
 * The session cookie: a random token, HMAC-signed with SESSION_SECRET, httpOnly, SameSite=Lax.
 * Served over https (APP_URL https:// or APP_ENV=production) it is `Secure` and takes the `__Host-`
 * prefix, which browsers only accept from a secure origin, for the whole site, without a Domain.
 */
export function sessionCookie(): Cookie {
  if (cookie) return cookie;
  const config = env();
  const secure = config.production || config.appUrl.startsWith("https:");
  cookie = createCookie(secure ? "__Host-lm_session" : "lm_session", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure,
    secrets: [config.sessionSecret],
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
  return cookie;
}

/** For tests that switch configuration. */
export function resetSessionCookieForTests() {
  cookie = undefined;
  checked.clear();
}

export async function readSessionToken(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (header === null) return null;
  const known = checked.get(header);
  if (known !== undefined) return known;
  const value = await sessionCookie().parse(header);
  const token = typeof value === "string" && value.length > 20 ? value : null;
  if (header.length <= 4096) {
    if (checked.size >= 1000) checked.clear();
    checked.set(header, token);
  }
  return token;
}

export function serializeSessionToken(token: string) {
  return sessionCookie().serialize(token);
}

export function clearSessionCookie() {
  return sessionCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}
