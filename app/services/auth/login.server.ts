import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { loginTokens, people, sessions } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { recordAudit } from "~/services/audit/audit.server";
import { enqueueEmail } from "~/services/email/outbox.server";
import { ServiceError } from "~/services/errors";
import { ensurePerson, findPersonByEmail, grantAdminFromConfig, normaliseEmail } from "~/services/people/people.server";
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
 * A sign-in request is answered no sooner than this after it arrived, whatever the address: a known
 * person's link, a newcomer's link and a rate-limited request do slightly different work; the floor
 * keeps that difference out of the response time. Sending itself happens later, in the outbox worker.
 */
export const SIGN_IN_MIN_RESPONSE_MS = 300;

/**
 * Sends a sign-in link to any address, known or not, so that a newcomer can sign in to start a
 * collection or join a workplace programme (issues 12 and 13). The caller gives the same answer for
 * every address, so the form does not reveal which addresses are known.
 *
 * A newcomer's person is NOT made here but when the link is used (consumeSignInLink): typing
 * someone else's address into the form then leaves no person, no role and no audit entry about
 * them, only a token that expires in 15 minutes and is deleted by housekeeping after a day, and the
 * email. Using the link proves the address is theirs. Rejected alternative: making the person only
 * for sign-ins asked for from pages that need an account (by returnTo) — returnTo is chosen by the
 * client, so it would not stop anyone, and a newcomer who opens /login first would be shut out.
 * Flooding an inbox is bounded by the rate limits (per address and per client), counted for known
 * and unknown addresses alike. See docs/identity.md.
 *
 * ADMIN_EMAILS addresses are made admin at the request, as before (configuration, not a visitor).
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

  let person: { id: number } | null = await findPersonByEmail(db, email);
  if (!person && input.adminEmails?.includes(email)) {
    await grantAdminFromConfig(db, email);
    person = await findPersonByEmail(db, email);
  }

  const token = newToken();
  const url = `${input.appUrl}/login/verify?token=${encodeURIComponent(token)}`;
  await db.transaction(async (tx) => {
    await tx.insert(loginTokens).values({
      tokenHash: hashToken(token),
      personId: person?.id ?? null,
      email,
      returnTo: safeReturnTo(input.returnTo),
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS),
    });
    await enqueueEmail(tx, {
      to: email,
      template: "sign-in-link",
      locale: input.locale,
      props: { url, expiresMinutes: LOGIN_TOKEN_TTL_MS / 60_000, newcomer: !person },
    });
  });
}

/**
 * Uses a link: one UPDATE marks the token used only if it is unused and unexpired, so two clicks
 * racing each other sign in at most once. A newcomer's link makes the person now (two newcomer links
 * for one address used at once make one person: ensurePerson inserts ON CONFLICT DO NOTHING). A new
 * session is created (new id at every sign-in) and the session the browser had before, if any, is
 * ended. `locale`: the language the link was used in, stored as the person's language for the
 * emails the app sends them later on its own.
 */
export async function consumeSignInLink(
  db: Db,
  input: { token: string; userAgent?: string | null; previousSessionId?: string | null; locale?: Locale; now?: Date },
): Promise<{ sessionToken: string; personId: number; returnTo: string | null; firstSignIn: boolean } | null> {
  const now = input.now ?? new Date();
  if (!input.token || input.token.length > 200) return null;
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(loginTokens)
      .set({ usedAt: now })
      .where(and(eq(loginTokens.tokenHash, hashToken(input.token)), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now)))
      .returning({ personId: loginTokens.personId, email: loginTokens.email, returnTo: loginTokens.returnTo });
    if (!used) return null;
    let personId = used.personId;
    let firstSignIn = false;
    if (personId === null) {
      // The check constraint login_tokens_person_or_email guarantees the address when there is no person.
      const made = await ensurePerson(tx, { email: used.email! }, null);
      personId = made.id;
      firstSignIn = made.created;
    }
    if (input.locale) await tx.update(people).set({ locale: input.locale }).where(eq(people.id, personId));
    if (input.previousSessionId) await tx.delete(sessions).where(eq(sessions.id, input.previousSessionId));
    const session = await createSession(tx, personId, { userAgent: input.userAgent, now });
    await recordAudit(tx, { actorPersonId: personId, action: "sign_in", subjectPersonId: personId, details: { method: "magic_link", firstSignIn } });
    return { sessionToken: session.token, personId, returnTo: used.returnTo, firstSignIn };
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
