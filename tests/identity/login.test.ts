import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, emailOutbox, loginTokens, people, rateLimits, sessions, staffRoles } from "~db/schema";
import { consumeSignInLink, LOGIN_TOKEN_TTL_MS, loginRateLimits, RateLimited, requestSignInLink, safeReturnTo } from "~/services/auth/login.server";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, findSession } from "~/services/auth/sessions.server";
import { getCurrentUser } from "~/utils/auth.server";
import { serializeSessionToken, sessionCookie } from "~/utils/session-cookie.server";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as verifyAction } from "~/routes/login_.verify";
import { dbTargets, useTestDatabase } from "../setup/db";
import { useIdentityEnv } from "./helpers";

const appUrl = "http://127.0.0.1:3999";

function tokenFromOutbox(props: unknown): string {
  const url = new URL((props as { url: string }).url);
  return url.searchParams.get("token")!;
}

async function lastLinkFor(db: Parameters<typeof requestSignInLink>[0], email: string) {
  const rows = await db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
  const last = rows.sort((a, b) => b.id - a.id)[0];
  return last ? tokenFromOutbox(last.props) : null;
}

function form(fields: Record<string, string>, cookie?: string, path = "/login") {
  return new Request(`${appUrl}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
  });
}

describe.each(dbTargets)("magic-link sign-in and sessions on %s", (target) => {
  const ctx = useTestDatabase(target);
  let personId: number;
  beforeAll(async () => {
    useIdentityEnv();
    const [p] = await ctx.db.insert(people).values({ email: "known@example.com", name: "Known" }).returning();
    personId = p.id;
  });
  // Each test asks for several links for the same address; the limits get their own test.
  beforeEach(async () => {
    await ctx.db.delete(rateLimits);
  });

  it("sends a link to a known and to an unknown address with the same answer; the unknown one gets no person until the link is used", async () => {
    const known = await loginAction({ request: form({ email: "Known@Example.com" }), params: {}, context: { clientIp: "10.0.0.1" } });
    const unknown = await loginAction({ request: form({ email: "nobody@example.com" }), params: {}, context: { clientIp: "10.0.0.1" } });
    const strip = (r: unknown) => JSON.stringify((r as { data: { ok: boolean } }).data.ok);
    expect(strip(known)).toBe(strip(unknown));
    expect((known as { init: { status?: number } | null }).init?.status ?? 200).toBe(200);
    expect((unknown as { init: { status?: number } | null }).init?.status ?? 200).toBe(200);
    expect(await lastLinkFor(ctx.db, "known@example.com")).toBeTruthy();
    expect(await lastLinkFor(ctx.db, "nobody@example.com")).toBeTruthy();
    expect(await ctx.db.select().from(people).where(eq(people.email, "nobody@example.com"))).toHaveLength(0);
    // Only the hash is stored.
    const token = (await lastLinkFor(ctx.db, "known@example.com"))!;
    const stored = await ctx.db.select().from(loginTokens).where(eq(loginTokens.personId, personId));
    expect(stored.some((t) => t.tokenHash === token)).toBe(false);
  });

  it("rejects a bad address with 400 and a message next to the field, writing nothing", async () => {
    const before = (await ctx.db.select().from(emailOutbox)).length;
    const res = (await loginAction({ request: form({ email: "not-an-email" }), params: {}, context: {} })) as { init: { status: number }; data: { fieldErrors: Record<string, string> } };
    expect(res.init.status).toBe(400);
    expect(res.data.fieldErrors.email).toMatch(/giltig e-postadress/);
    expect((await ctx.db.select().from(emailOutbox)).length).toBe(before);
  });

  it("signs in once with a fresh link; the same link a second time does not sign in", async () => {
    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t1", appUrl, returnTo: "/account?tab=1" });
    const token = (await lastLinkFor(ctx.db, "known@example.com"))!;
    const first = await consumeSignInLink(ctx.db, { token });
    expect(first?.personId).toBe(personId);
    expect(first?.returnTo).toBe("/account?tab=1");
    expect(await findSession(ctx.db, first!.sessionToken)).toMatchObject({ personId, email: "known@example.com" });
    expect(await consumeSignInLink(ctx.db, { token })).toBeNull();
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "sign_in"));
    expect(audits.some((a) => a.subjectPersonId === personId && a.actorPersonId === personId)).toBe(true);
  });

  it("two clicks on one link at once sign in at most once", async () => {
    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t2", appUrl });
    const token = (await lastLinkFor(ctx.db, "known@example.com"))!;
    const results = await Promise.all([consumeSignInLink(ctx.db, { token }), consumeSignInLink(ctx.db, { token })]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("an expired link does not sign in (15 minutes)", async () => {
    const t0 = new Date();
    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "en", clientKey: "t3", appUrl, now: t0 });
    const token = (await lastLinkFor(ctx.db, "known@example.com"))!;
    expect(LOGIN_TOKEN_TTL_MS).toBe(15 * 60_000);
    expect(await consumeSignInLink(ctx.db, { token, now: new Date(t0.getTime() + LOGIN_TOKEN_TTL_MS + 1) })).toBeNull();
    // …while a minute before expiry it would have worked (the test can fail the other way too).
    expect(await consumeSignInLink(ctx.db, { token, now: new Date(t0.getTime() + LOGIN_TOKEN_TTL_MS - 60_000) })).not.toBeNull();
  });

  it("a made-up token does not sign in, and the verify action answers 400 without a cookie", async () => {
    const res = (await verifyAction({ request: form({ token: "x".repeat(43) }, undefined, "/login/verify"), params: {}, context: {} })) as { init: { status: number } };
    expect(res.init.status).toBe(400);
  });

  it("the verify action sets a signed, httpOnly, SameSite=Lax cookie and renews the session id, ending the old one", async () => {
    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t4", appUrl });
    const oldToken = (await consumeSignInLink(ctx.db, { token: (await lastLinkFor(ctx.db, "known@example.com"))! }))!.sessionToken;
    const oldCookie = (await serializeSessionToken(oldToken)).split(";")[0];
    const oldUser = await getCurrentUser(new Request(appUrl, { headers: { Cookie: oldCookie } }));
    expect(oldUser?.personId).toBe(personId);

    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t4", appUrl });
    const token = (await lastLinkFor(ctx.db, "known@example.com"))!;
    const res = (await verifyAction({ request: form({ token }, oldCookie, "/login/verify"), params: {}, context: {} })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account");
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^lm_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const newCookie = setCookie.split(";")[0];
    expect(newCookie).not.toBe(oldCookie);
    const newUser = await getCurrentUser(new Request(appUrl, { headers: { Cookie: newCookie } }));
    expect(newUser?.personId).toBe(personId);
    expect(newUser?.sessionId).not.toBe(oldUser?.sessionId);
    // The session the browser had before sign-in is gone from the server.
    expect(await getCurrentUser(new Request(appUrl, { headers: { Cookie: oldCookie } }))).toBeNull();
  });

  it("rejects a forged cookie: a wrong signature, a tampered value, or a well-signed token the server never issued", async () => {
    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t5", appUrl });
    const { sessionToken } = (await consumeSignInLink(ctx.db, { token: (await lastLinkFor(ctx.db, "known@example.com"))! }))!;
    const good = (await serializeSessionToken(sessionToken)).split(";")[0];
    const asUser = (cookie: string) => getCurrentUser(new Request(appUrl, { headers: { Cookie: cookie } }));
    expect((await asUser(good))?.personId).toBe(personId);

    const [name, value] = good.split("=");
    const decoded = decodeURIComponent(value);
    const [payload] = decoded.split(".");
    // Same payload, signature made with another secret.
    const { createCookie } = await import("@remix-run/node");
    const other = createCookie(name, { secrets: ["another-secret-".padEnd(40, "y")] });
    expect(await asUser((await other.serialize(sessionToken)).split(";")[0])).toBeNull();
    // Payload changed, signature kept.
    expect(await asUser(`${name}=${encodeURIComponent(`${payload.slice(0, -2)}AA.${decoded.split(".")[1]}`)}`)).toBeNull();
    // Unsigned raw token.
    expect(await asUser(`${name}=${sessionToken}`)).toBeNull();
    // Correctly signed, but not a session the server knows.
    expect(await asUser((await sessionCookie().serialize("z".repeat(43))).split(";")[0])).toBeNull();
  });

  it("sign-out deletes the session on the server: the old cookie no longer works", async () => {
    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t6", appUrl });
    const { sessionToken } = (await consumeSignInLink(ctx.db, { token: (await lastLinkFor(ctx.db, "known@example.com"))! }))!;
    const cookie = (await serializeSessionToken(sessionToken)).split(";")[0];
    const user = await getCurrentUser(new Request(appUrl, { headers: { Cookie: cookie } }));
    expect(user).not.toBeNull();
    const res = (await logoutAction({ request: form({}, cookie, "/logout"), params: {}, context: {} })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await ctx.db.select().from(sessions).where(eq(sessions.id, user!.sessionId))).toHaveLength(0);
    expect(await getCurrentUser(new Request(appUrl, { headers: { Cookie: cookie } }))).toBeNull();
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "sign_out"));
    expect(audits.length).toBeGreaterThan(0);
  });

  it("ends a session after the idle timeout and after the absolute lifetime", async () => {
    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t7", appUrl });
    const t0 = new Date();
    const { sessionToken } = (await consumeSignInLink(ctx.db, { token: (await lastLinkFor(ctx.db, "known@example.com"))!, now: t0 }))!;
    // Active use keeps it alive past one idle period…
    let t = t0.getTime();
    for (let i = 0; i < 3; i++) {
      t += SESSION_IDLE_MS - 60_000;
      expect(await findSession(ctx.db, sessionToken, new Date(t))).not.toBeNull();
    }
    // …but never past the absolute end.
    expect(await findSession(ctx.db, sessionToken, new Date(t0.getTime() + SESSION_ABSOLUTE_MS + 1))).toBeNull();

    await requestSignInLink(ctx.db, { email: "known@example.com", locale: "sv", clientKey: "t8", appUrl });
    const t1 = new Date();
    const idle = (await consumeSignInLink(ctx.db, { token: (await lastLinkFor(ctx.db, "known@example.com"))!, now: t1 }))!;
    expect(await findSession(ctx.db, idle.sessionToken, new Date(t1.getTime() + SESSION_IDLE_MS + 1000))).toBeNull();
    // Once expired it is deleted, so going back in time does not revive it.
    expect(await findSession(ctx.db, idle.sessionToken, t1)).toBeNull();
  });

  it("rate-limits sign-in requests per address and per client with RateLimited (429)", async () => {
    const email = "limited@example.com";
    for (let i = 0; i < loginRateLimits.perEmail.max; i++) {
      await requestSignInLink(ctx.db, { email, locale: "sv", clientKey: `c-${i}`, appUrl });
    }
    const err = await requestSignInLink(ctx.db, { email, locale: "sv", clientKey: "c-new", appUrl }).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimited);
    expect(err.status).toBe(429);
    // A new window opens after the period.
    await expect(
      requestSignInLink(ctx.db, { email, locale: "sv", clientKey: "c-later", appUrl, now: new Date(Date.now() + loginRateLimits.perEmail.windowMs + 1000) }),
    ).resolves.toBeUndefined();

    for (let i = 0; i < loginRateLimits.perClient.max; i++) {
      await requestSignInLink(ctx.db, { email: `many-${i}@example.com`, locale: "sv", clientKey: "one-client", appUrl });
    }
    await expect(requestSignInLink(ctx.db, { email: "fresh@example.com", locale: "sv", clientKey: "one-client", appUrl })).rejects.toBeInstanceOf(RateLimited);
  });

  it("creates the first admin from ADMIN_EMAILS when that address asks for a link", async () => {
    await requestSignInLink(ctx.db, { email: "Boss@Example.com", locale: "sv", clientKey: "t9", appUrl, adminEmails: ["boss@example.com"] });
    const [boss] = await ctx.db.select().from(people).where(eq(people.email, "boss@example.com"));
    expect(boss).toBeTruthy();
    const roles = await ctx.db.select().from(staffRoles).where(eq(staffRoles.personId, boss.id));
    expect(roles.map((r) => r.role)).toEqual(["admin"]);
    expect(await lastLinkFor(ctx.db, "boss@example.com")).toBeTruthy();
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectPersonId, boss.id));
    expect(audits.map((a) => a.action).sort()).toEqual(["person_created", "role_granted"]);
  });

  it("only returns to paths on this site", () => {
    expect(safeReturnTo("/account")).toBe("/account");
    expect(safeReturnTo("//evil.example")).toBeNull();
    expect(safeReturnTo("/\\evil.example")).toBeNull();
    expect(safeReturnTo("https://evil.example")).toBeNull();
    expect(safeReturnTo("/logout")).toBeNull();
  });
});
