import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, emailOutbox, loginTokens, people, rateLimits, sessions } from "~db/schema";
import { consumeSignInLink, LOGIN_TOKEN_TTL_MS, loginRateLimits, RateLimited, requestSignInLink } from "~/services/auth/login.server";
import { renderEmail } from "~/services/email/render.server";
import { defaultCharityIdentity } from "~/services/settings/charity";
import { dbTargets, useTestDatabase } from "../setup/db";
import { useIdentityEnv } from "./helpers";

/**
 * A newcomer signs in (issue 12 item 1, issue 13's employees): any address gets a link; the person
 * is made only when the link is used, with the rate limits of every sign-in.
 */
const appUrl = "http://127.0.0.1:3999";

describe.each(dbTargets)("a newcomer's first sign-in on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => {
    useIdentityEnv();
  });
  beforeEach(async () => {
    await ctx.db.delete(rateLimits);
  });

  const ask = (email: string, extra: { clientKey?: string; returnTo?: string; locale?: "sv" | "en"; now?: Date } = {}) =>
    requestSignInLink(ctx.db, { email, locale: extra.locale ?? "sv", clientKey: extra.clientKey ?? "10.1.0.1", appUrl, returnTo: extra.returnTo, now: extra.now });
  const linksTo = async (email: string) =>
    (await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.to, email)))
      .sort((a, b) => a.id - b.id)
      .map((row) => ({ token: new URL((row.props as { url: string }).url).searchParams.get("token")!, props: row.props as Record<string, unknown>, locale: row.locale }));
  const personBy = async (email: string) => (await ctx.db.select().from(people).where(eq(people.email, email)))[0] ?? null;

  it("sends an unknown address a link that says an account is made on use, and makes no person, role or audit entry yet", async () => {
    await ask("Ny.Person@Example.com", { returnTo: "/collections/new", locale: "en" });
    const [link] = await linksTo("ny.person@example.com");
    expect(link.props.newcomer).toBe(true);
    expect(link.locale).toBe("en");
    expect(await personBy("ny.person@example.com")).toBeNull();
    const [token] = await ctx.db.select().from(loginTokens).where(eq(loginTokens.email, "ny.person@example.com"));
    expect(token).toMatchObject({ personId: null, returnTo: "/collections/new" });
    expect(await ctx.db.select().from(auditLog).where(eq(auditLog.action, "person_created"))).toHaveLength(0);
    const mail = await renderEmail("sign-in-link", "en", link.props, defaultCharityIdentity);
    expect(mail.text).toContain("You do not have an account with us yet");
  });

  it("makes the person when the link is used: signed in, back at returnTo, language stored, audited as a first sign-in", async () => {
    const [link] = await linksTo("ny.person@example.com");
    const result = await consumeSignInLink(ctx.db, { token: link.token, userAgent: "test", locale: "en" });
    const person = await personBy("ny.person@example.com");
    expect(person).toMatchObject({ email: "ny.person@example.com", locale: "en" });
    expect(result).toMatchObject({ personId: person!.id, returnTo: "/collections/new", firstSignIn: true });
    expect(await ctx.db.select().from(sessions).where(eq(sessions.personId, person!.id))).toHaveLength(1);
    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectPersonId, person!.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["person_created", "sign_in"]);
    expect(audit.find((a) => a.action === "sign_in")?.details).toMatchObject({ firstSignIn: true });
    // The link is single use.
    expect(await consumeSignInLink(ctx.db, { token: link.token })).toBeNull();
  });

  it("the next link of that address belongs to the person and is no newcomer's; signing in in Swedish updates the language", async () => {
    await ask("ny.person@example.com");
    const links = await linksTo("ny.person@example.com");
    expect(links.at(-1)!.props.newcomer).toBe(false);
    const person = await personBy("ny.person@example.com");
    const [token] = await ctx.db.select().from(loginTokens).where(and(eq(loginTokens.personId, person!.id)));
    expect(token).toBeTruthy();
    expect(await consumeSignInLink(ctx.db, { token: links.at(-1)!.token, locale: "sv" })).toMatchObject({ personId: person!.id, firstSignIn: false });
    expect((await personBy("ny.person@example.com"))!.locale).toBe("sv");
  });

  it("two newcomer links for one address used at once make one person", async () => {
    await ask("twice@example.com");
    await ask("twice@example.com");
    const [a, b] = await linksTo("twice@example.com");
    const results = await Promise.all([consumeSignInLink(ctx.db, { token: a.token }), consumeSignInLink(ctx.db, { token: b.token })]);
    expect(await ctx.db.select().from(people).where(eq(people.email, "twice@example.com"))).toHaveLength(1);
    expect(new Set(results.map((r) => r?.personId)).size).toBe(1);
  });

  it("an unused or expired link leaves no person", async () => {
    const asked = new Date("2026-11-30T10:00:00Z");
    await ask("never@example.com", { now: asked });
    const [link] = await linksTo("never@example.com");
    expect(await consumeSignInLink(ctx.db, { token: link.token, now: new Date(asked.getTime() + LOGIN_TOKEN_TTL_MS + 1) })).toBeNull();
    expect(await personBy("never@example.com")).toBeNull();
  });

  it("keeps the rate limits for unknown addresses: per address and per client", async () => {
    for (let i = 0; i < loginRateLimits.perEmail.max; i++) await ask("flood@example.com", { clientKey: `10.2.0.${i}` });
    await expect(ask("flood@example.com", { clientKey: "10.2.1.1" })).rejects.toBeInstanceOf(RateLimited);
    expect(await linksTo("flood@example.com")).toHaveLength(loginRateLimits.perEmail.max);

    await ctx.db.delete(rateLimits);
    for (let i = 0; i < loginRateLimits.perClient.max; i++) await ask(`probe${i}@example.com`, { clientKey: "10.3.0.1" });
    await expect(ask("probe-last@example.com", { clientKey: "10.3.0.1" })).rejects.toBeInstanceOf(RateLimited);
    expect(await linksTo("probe-last@example.com")).toHaveLength(0);
    expect(await ctx.db.select().from(people).where(eq(people.email, "probe0@example.com"))).toHaveLength(0);
  });
});
