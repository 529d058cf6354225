import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { loginTokens, sessions } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { recordAudit } from "~/services/audit/audit.server";
import { enqueueEmail } from "~/services/email/outbox.server";
import { ServiceError } from "~/services/errors";
import { hasGivenWith } from "~/services/account/account.server";
import { ensureDonorPerson, findPersonByEmail, grantAdminFromConfig, normaliseEmail } from "~/services/people/people.server";
import { hitRateLimit, type RateLimitRule } from "./rate-limit.server";
import { safeReturnTo } from "./return-to";
import { createSession } from "./sessions.server";
import { hashToken, newToken } from "./tokens.server";

export const LOGIN_TOKEN_TTL_MS = 15 * 60_000;

/** Sign-in requests: per address (someone flooding one inbox) and per client (someone probing many). */
export const loginRateLimits: { perEmail: RateLimitRule; perClient: RateLimitRule } = {
  perEmail: { max: 5, windowMs: 15 * 60_000 },
  perClient: { max: 20, windowMs: 15 * 60_000 },
};

export class RateLimited extends ServiceError {
  constructor(public retryAfterS: number) {
    super(429, "rate_limited");
  }
}

export { safeReturnTo } from "./return-to";

/**
 * A sign-in request is answered no sooner than this after it arrived, whatever the address: with a
 * known address the request also writes a token and queues the email (and for a donor without a
 * person, makes the person), which an unknown address does not; the floor keeps that difference out
 * of the response time. Sending itself happens later, in the outbox worker.
 */
export const SIGN_IN_MIN_RESPONSE_MS = 300;

/**
 * Sends a sign-in link when the address belongs to someone, has given a paid gift (the person is
 * made then: donors sign in with the address they gave with), or is listed in ADMIN_EMAILS. The
 * caller gives the same answer either way, so the form does not reveal which addresses are known.
 * Rate limits are counted for known and unknown addresses alike, and the same lookups run for both.
 * `minDurationMs`: see SIGN_IN_MIN_RESPONSE_MS (the route passes it; tests may leave it out).
 */
export async function requestSignInLink(
  db: Db,
  input: {
    email: string;
    locale: Locale;
    returnTo?: string | null;
    clientKey: string;
    appUrl: string;
    adminEmails?: string[];
    now?: Date;
    minDurationMs?: number;
  },
): Promise<void> {
  const started = performance.now();
  try {
    await sendSignInLink(db, input);
  } finally {
    const wait = (input.minDurationMs ?? 0) - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function sendSignInLink(
  db: Db,
  input: { email: string; locale: Locale; returnTo?: string | null; clientKey: string; appUrl: string; adminEmails?: string[]; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const email = normaliseEmail(input.email);
  const perClient = await hitRateLimit(db, `login:client:${input.clientKey}`, loginRateLimits.perClient, now);
  const perEmail = await hitRateLimit(db, `login:email:${email}`, loginRateLimits.perEmail, now);
  if (!perClient.allowed || !perEmail.allowed) {
    throw new RateLimited(Math.max(perClient.allowed ? 0 : perClient.retryAfterS, perEmail.allowed ? 0 : perEmail.retryAfterS));
  }

  const [found, given] = await Promise.all([findPersonByEmail(db, email), hasGivenWith(db, email)]);
  let person: { id: number; email: string } | null = found;
  if (!person && input.adminEmails?.includes(email)) {
    await grantAdminFromConfig(db, email);
    person = await findPersonByEmail(db, email);
  }
  if (!person && given) person = await ensureDonorPerson(db, email);
  if (!person) return;
  const { id: personId, email: to } = person;

  const token = newToken();
  const url = `${input.appUrl}/login/verify?token=${encodeURIComponent(token)}`;
  await db.transaction(async (tx) => {
    await tx.insert(loginTokens).values({
      tokenHash: hashToken(token),
      personId,
      returnTo: safeReturnTo(input.returnTo),
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS),
    });
    await enqueueEmail(tx, {
      to,
      template: "sign-in-link",
      locale: input.locale,
      props: { url, expiresMinutes: LOGIN_TOKEN_TTL_MS / 60_000 },
    });
  });
}

/**
 * Uses a link: one UPDATE marks the token used only if it is unused and unexpired, so two clicks
 * racing each other sign in at most once. A new session is created (new id at every sign-in) and
 * the session the browser had before, if any, is ended.
 */
export async function consumeSignInLink(
  db: Db,
  input: { token: string; userAgent?: string | null; previousSessionId?: string | null; now?: Date },
): Promise<{ sessionToken: string; personId: number; returnTo: string | null } | null> {
  const now = input.now ?? new Date();
  if (!input.token || input.token.length > 200) return null;
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(loginTokens)
      .set({ usedAt: now })
      .where(and(eq(loginTokens.tokenHash, hashToken(input.token)), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now)))
      .returning({ personId: loginTokens.personId, returnTo: loginTokens.returnTo });
    if (!used) return null;
    if (input.previousSessionId) await tx.delete(sessions).where(eq(sessions.id, input.previousSessionId));
    const session = await createSession(tx, used.personId, { userAgent: input.userAgent, now });
    await recordAudit(tx, { actorPersonId: used.personId, action: "sign_in", subjectPersonId: used.personId, details: { method: "magic_link" } });
    return { sessionToken: session.token, personId: used.personId, returnTo: used.returnTo };
  });
}

/** Whether a link would still sign in, without using it (the confirmation page says so up front). */
export async function isSignInLinkUsable(db: Db, token: string, now = new Date()): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const [row] = await db
    .select({ id: loginTokens.id })
    .from(loginTokens)
    .where(and(eq(loginTokens.tokenHash, hashToken(token)), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now)));
  return !!row;
}
