import { createCookie, type Cookie } from "@remix-run/node";
import { SESSION_ABSOLUTE_MS } from "~/services/auth/sessions.server";
import { env } from "~/utils/env.server";

let cookie: Cookie | undefined;

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
}

export async function readSessionToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

export function serializeSessionToken(token: string) {
  return sessionCookie().serialize(token);
}

export function clearSessionCookie() {
  return sessionCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}
