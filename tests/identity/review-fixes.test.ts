import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, emailOutbox, loginTokens, organisations, people, rateLimits, settings, staffRoles } from "~db/schema";
import { fieldErrorMessages } from "~/i18n/identity-messages";
import { requestSignInLink } from "~/services/auth/login.server";
import { safeReturnTo } from "~/services/auth/return-to";
import { hashToken, newToken } from "~/services/auth/tokens.server";
import { idSchema, MAX_DB_ID } from "~/services/auth/validation";
import { getDevMail, linksIn } from "~/services/email/dev-mailbox.server";
import { enqueueEmail, processOutboxOnce, retryFailedEmail } from "~/services/email/outbox.server";
import { devMailboxTransport, type EmailTransport, type OutgoingEmail } from "~/services/email/transport.server";
import { Conflict, Invalid, NotFound } from "~/services/errors";
import { addMember, createOrganisation, getOrganisation, removeMember, setMemberAdmin } from "~/services/organisations/organisations.server";
import { changeRole, revokeSessions } from "~/services/people/staff.server";
import { updateCharityIdentity } from "~/services/settings/charity.server";
import { startup } from "~/services/system/startup.server";
import { getCurrentUser, requireOrgMember, type CurrentUser } from "~/utils/auth.server";
import { EnvError, parseEnv } from "~/utils/env.server";
import { action as langAction } from "~/routes/lang";
import { action as loginAction } from "~/routes/login";
import { action as verifyAction } from "~/routes/login_.verify";
import { action as settingsAction } from "~/routes/admin.settings";
import { action as orgAction, loader as orgLoader } from "~/routes/admin.organisations.$organisationId";
import { action as peopleAction } from "~/routes/admin.people";
import { loader as devMailIndex } from "~/routes/dev.mail._index";
import { loader as devMailOne } from "~/routes/dev.mail.$id";
import { loader as devMailHtml } from "~/routes/dev.mail.$id_.html";
import { dbTargets, useTestDatabase } from "../setup/db";
import { tempDir } from "../setup/server";
import { cookieFor, createPersonas, useIdentityEnv, type PersonaName, type Personas } from "./helpers";
import { staffContext, userContext } from "../setup/contexts";

const appUrl = "http://127.0.0.1:3999";
// Rows are due at the database's now(); a moment later in the app's clock, so a worker run finds them.
const later = () => new Date(Date.now() + 60_000);

function post(path: string, fields: Record<string, string>, cookie?: string) {
  return new Request(`${appUrl}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
  });
}

/** A route call's outcome as "status" (a data() result, a Response returned or thrown). */
async function statusOf(work: () => Promise<unknown>): Promise<number> {
  try {
    const r = await work();
    if (r instanceof Response) return r.status;
    return (r as { init?: { status?: number } | null })?.init?.status ?? 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

describe("safeReturnTo (finding 1)", () => {
  it("keeps paths on this site, as the URL parser reads them", () => {
    expect(safeReturnTo("/account")).toBe("/account");
    expect(safeReturnTo("/account?tab=1#x")).toBe("/account?tab=1#x");
    expect(safeReturnTo("/org/12")).toBe("/org/12");
    expect(safeReturnTo("/å")).toBe("/%C3%A5");
  });

  it("refuses anything a browser could read as another site, and control characters", () => {
    for (const bad of [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "/\r\n/evil.example",
      "/\u0000",
      "/%00\u0000",
      "/\u007f/evil.example",
      "/\\evil.example",
      "/\\/evil.example",
      "//evil.example",
      "/.//evil.example",
      "/a/..//evil.example",
      "https://evil.example",
      " /account",
      "account",
      "",
      "/".repeat(501),
    ]) {
      expect(safeReturnTo(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(safeReturnTo(null)).toBeNull();
    expect(safeReturnTo(["/a"])).toBeNull();
  });

  it("never returns to the sign-in or sign-out pages, except for the language switch", () => {
    expect(safeReturnTo("/login")).toBeNull();
    expect(safeReturnTo("/login?returnTo=%2F")).toBeNull();
    expect(safeReturnTo("/logout")).toBeNull();
    expect(safeReturnTo("/login?x", { allowAuthPages: true })).toBe("/login?x");
  });
});

describe("TRUST_PROXY (finding 8)", () => {
  it("refuses true, naming the variable; accepts a hop count, loopback and addresses", () => {
    const base = { DATA_DIR: tempDir("trust-proxy") };
    let error: unknown;
    try {
      parseEnv({ ...base, TRUST_PROXY: "true" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).variable).toBe("TRUST_PROXY");
    expect((error as EnvError).message).toMatch(/^Invalid configuration: TRUST_PROXY /);
    for (const ok of ["1", "2", "loopback", "10.0.0.1, 10.0.0.2", "10.0.0.0/8"]) expect(() => parseEnv({ ...base, TRUST_PROXY: ok }), ok).not.toThrow();
  });
});

describe("the shared id rule (finding 4)", () => {
  it("accepts 1…2147483647 written in digits, nothing else", () => {
    expect(idSchema.parse("1")).toBe(1);
    expect(idSchema.parse(String(MAX_DB_ID))).toBe(2147483647);
    expect(idSchema.parse(42)).toBe(42);
    for (const bad of ["0", "-1", "2147483648", "99999999999", "abc", "1.5", "1e3", "0x10", "", " ", null, undefined, 1.5, 2147483648, Number.NaN]) {
      expect(idSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe.each(dbTargets)("review fixes on %s", (target) => {
  const ctx = useTestDatabase(target);
  let p: Personas;
  const as = async (persona: PersonaName): Promise<CurrentUser> =>
    (await getCurrentUser(new Request(`${appUrl}/`, { headers: { Cookie: p.cookie[persona] } })))!;

  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(ctx.db);
  });
  beforeEach(async () => {
    useIdentityEnv();
    await ctx.db.delete(rateLimits);
  });

  it("finding 1: a sign-in link whose stored returnTo points off-site lands on /account", async () => {
    const token = newToken();
    await ctx.db.insert(loginTokens).values({
      tokenHash: hashToken(token),
      personId: p.ids.donor,
      returnTo: "/\t/evil.example",
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 600_000),
    });
    const res = (await verifyAction({ request: post("/login/verify", { token }), params: {}, context: {} })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account");
  });

  it("finding 1: a control character or backslash in returnTo is not stored with the link", async () => {
    for (const returnTo of ["/\t/evil.example", "/\\evil.example", "/.//evil.example"]) {
      await requestSignInLink(ctx.db, { email: "contactB@example.com", locale: "sv", clientKey: "rt", appUrl, returnTo });
    }
    const rows = await ctx.db.select().from(loginTokens).where(eq(loginTokens.personId, p.ids.contactB));
    expect(rows.map((r) => r.returnTo)).toEqual([null, null, null]);
  });

  it("finding 1: the language switch only returns to a path on this site", async () => {
    const go = async (returnTo: string) =>
      ((await langAction({ request: post("/lang", { lang: "en", returnTo }), params: {}, context: {} })) as Response).headers.get("Location");
    expect(await go("/\\evil.com")).toBe("/");
    expect(await go("/\t/evil.com")).toBe("/");
    expect(await go("/.//evil.com")).toBe("/");
    expect(await go("/about?x=1")).toBe("/about?x=1");
    expect(await go("/login?returnTo=%2Faccount")).toBe("/login?returnTo=%2Faccount");
  });

  it("finding 2: known and unknown addresses get the same answer with a NUL (or CR/LF) in returnTo", async () => {
    for (const returnTo of ["/\u0000", "/\r\n", "/%00\u0000x"]) {
      const answer = async (email: string) => {
        try {
          const r = (await loginAction({ request: post("/login", { email, returnTo }), params: {}, context: { clientIp: `nul-${email}` } })) as {
            data: unknown;
            init: { status?: number } | null;
          };
          return { status: r.init?.status ?? 200, data: JSON.stringify(r.data).replace(email, "EMAIL") };
        } catch (refused) {
          // A NUL in any field is refused by readForm before the action looks at the address (issue 8, item 7).
          if (!(refused instanceof Response)) throw refused;
          return { status: refused.status, data: await refused.text() };
        }
      };
      const known = await answer("donor@example.com");
      const unknown = await answer("nobody-nul@example.com");
      expect(known).toEqual(unknown);
      expect(known.status).toBe(returnTo.includes("\u0000") ? 400 : 200);
    }
  });

  it("finding 4: ids beyond PostgreSQL's integer range are 404 / 400, never a database error", async () => {
    const fundraiser = await as("fundraiser");
    const admin = await as("admin");
    const big = "2147483648";
    await expect(requireOrgMember(new Request(`${appUrl}/org/${big}`, { headers: { Cookie: p.cookie.contactA } }), big)).rejects.toMatchObject({ status: 404 });
    await expect(requireOrgMember(new Request(`${appUrl}/org/1e3`, { headers: { Cookie: p.cookie.admin } }), "1e3")).rejects.toMatchObject({ status: 404 });
    await expect(getOrganisation(userContext(ctx.db, fundraiser), 2147483648)).rejects.toBeInstanceOf(NotFound);
    for (const bad of ["abc", "1.5", big, "", "-3"]) {
      await expect(removeMember(userContext(ctx.db, fundraiser), p.orgA, bad), bad).rejects.toMatchObject({ status: 400, fieldErrors: { personId: "invalid_id" } });
      await expect(setMemberAdmin(userContext(ctx.db, fundraiser), p.orgA, bad, true), bad).rejects.toBeInstanceOf(Invalid);
    }
    for (const bad of ["99999999999", big, "1.5"]) {
      await expect(revokeSessions(userContext(ctx.db, admin), { personId: bad }), bad).rejects.toMatchObject({ status: 400, fieldErrors: { personId: "invalid_id" } });
      await expect(changeRole(userContext(ctx.db, admin), { personId: bad, role: "fundraiser" }, true), bad).rejects.toBeInstanceOf(Invalid);
    }
    // The routes, as staff: GET and POST on a too-large organisation id, and bad person ids.
    const staffCookie = p.cookie.fundraiser;
    expect(await statusOf(() => orgLoader({ request: new Request(`${appUrl}/admin/organisations/${big}`, { headers: { Cookie: staffCookie } }), params: { organisationId: big }, context: {} }))).toBe(404);
    expect(
      await statusOf(() => orgAction({ request: post(`/admin/organisations/${big}`, { intent: "add", email: "x@example.com" }, staffCookie), params: { organisationId: big }, context: {} })),
    ).toBe(404);
    for (const personId of ["abc", "1.5", big]) {
      for (const intent of ["remove", "admin"]) {
        const status = await statusOf(() =>
          orgAction({ request: post(`/admin/organisations/${p.orgA}`, { intent, personId, isAdmin: "true" }, staffCookie), params: { organisationId: String(p.orgA) }, context: {} }),
        );
        expect(status, `${intent} ${personId}`).toBe(400);
      }
    }
    for (const intent of ["grant", "revoke", "revoke-sessions"]) {
      const status = await statusOf(() => peopleAction({ request: post("/admin/people", { intent, personId: "99999999999", role: "fundraiser" }, p.cookie.admin), params: {}, context: {} }));
      expect(status, intent).toBe(400);
    }
    // The valid path still works.
    expect(await statusOf(() => orgAction({ request: post(`/admin/organisations/${p.orgA}`, { intent: "admin", personId: String(p.ids.contactA), isAdmin: "true" }, staffCookie), params: { organisationId: String(p.orgA) }, context: {} }))).toBe(200);
  });

  it("finding 4: the dev mailbox answers 404 for an id out of range", async () => {
    expect(await statusOf(() => devMailOne({ request: new Request(`${appUrl}/dev/mail/2147483648`), params: { id: "2147483648" }, context: {} }))).toBe(404);
    expect(await statusOf(() => devMailHtml({ request: new Request(`${appUrl}/dev/mail/1e3/html`), params: { id: "1e3" }, context: {} }))).toBe(404);
  });

  it("finding 5: a NUL character in free text is a 400 with a message in both languages, and nothing is written", async () => {
    const fundraiser = await as("fundraiser");
    const orgsBefore = (await ctx.db.select().from(organisations)).length;
    await expect(createOrganisation(userContext(ctx.db, fundraiser), { name: "\u0000" })).rejects.toMatchObject({ status: 400, fieldErrors: { name: "invalid_characters" } });
    await expect(createOrganisation(userContext(ctx.db, fundraiser), { name: "Bra AB", orgNumber: "556000-0000\u0000" })).rejects.toBeInstanceOf(Invalid);
    await expect(addMember(userContext(ctx.db, fundraiser), p.orgA, { email: "a\u0000@example.com" })).rejects.toBeInstanceOf(Invalid);
    expect((await ctx.db.select().from(organisations)).length).toBe(orgsBefore);

    await expect(updateCharityIdentity(staffContext(ctx.db, p.ids.fundraiser, "fundraiser"), { name: "x\u0000", organisationNumber: "", address: "", email: "", phone: "", website: "" })).rejects.toMatchObject({
      status: 400,
      fieldErrors: { name: "invalid_characters" },
    });
    await expect(updateCharityIdentity(staffContext(ctx.db, p.ids.fundraiser, "fundraiser"), { name: "Stadsmissionen", organisationNumber: "", address: "Gatan 1\u0000", email: "", phone: "", website: "" })).rejects.toMatchObject({
      fieldErrors: { address: "invalid_characters" },
    });
    expect(await statusOf(() => settingsAction({ request: post("/admin/settings", { name: "x\u0000" }, p.cookie.fundraiser), params: {}, context: {} }))).toBe(400);
    expect(await ctx.db.select().from(settings)).toHaveLength(0);
    expect(fieldErrorMessages("sv").invalid_characters).toMatch(/otillåtet tecken/);
    expect(fieldErrorMessages("en").invalid_characters).toMatch(/not allowed/);
  });

  describe("finding 6: the sign-in link is not kept in the outbox after sending", () => {
    const recorder = (name: string, opts: { local?: boolean; fail?: boolean } = {}) => {
      const sent: OutgoingEmail[] = [];
      const transport: EmailTransport = {
        name,
        local: opts.local,
        send: async (m) => {
          if (opts.fail) throw new Error("provider down");
          sent.push(m);
          return {};
        },
      };
      return { transport, sent };
    };

    it("sent through a real provider: the recipient gets the link, the row keeps only subject and status", async () => {
      await ctx.db.delete(emailOutbox);
      await requestSignInLink(ctx.db, { email: "contactA@example.com", locale: "sv", clientKey: "scrub", appUrl });
      const { transport, sent } = recorder("resend");
      expect(await processOutboxOnce({ db: ctx.db, clock: later, transport })).toMatchObject({ sent: 1 });
      const token = new URL(linksIn(sent[0].text).find((l) => l.includes("/login/verify"))!).searchParams.get("token")!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [row] = await ctx.db.select().from(emailOutbox);
      expect(row.status).toBe("sent");
      expect(row.subject).toBe("Din inloggningslänk till Lokala mål");
      expect(JSON.stringify(row)).not.toContain(token);
      expect(row.html).toBeNull();
      expect(row.text).toBeNull();
      expect(row.props).toMatchObject({ redacted: true, expiresMinutes: 15 });
      expect((row.props as Record<string, unknown>).url).toBeUndefined();
      // The link still works: it was the recipient's copy that counted.
      const [stored] = await ctx.db.select().from(loginTokens).where(eq(loginTokens.tokenHash, hashToken(token)));
      expect(stored).toBeTruthy();
      // The dev mailbox (local mode) says the link was removed and shows none.
      const shown = await getDevMail(ctx.db, String(row.id));
      expect(shown.linkRemoved).toBe(true);
      expect(shown.text).toBeNull();
      expect(shown.html).toBeNull();
    });

    it("failed for good: the link is removed too, and the message cannot be queued again", async () => {
      await ctx.db.delete(emailOutbox);
      await enqueueEmail(ctx.db, { to: "x@example.com", template: "sign-in-link", locale: "en", props: { url: `${appUrl}/login/verify?token=secret-token`, expiresMinutes: 15 } });
      const { transport } = recorder("resend", { fail: true });
      expect(await processOutboxOnce({ db: ctx.db, clock: later, transport, maxAttempts: 1 })).toMatchObject({ failed: 1 });
      const [row] = await ctx.db.select().from(emailOutbox);
      expect(row.status).toBe("failed");
      expect(JSON.stringify(row)).not.toContain("secret-token");
      expect(await retryFailedEmail(staffContext(ctx.db, 1, "admin"), row.id)).toBe(false);
    });

    it("sent by the dev mailbox (local mode): the row is the inbox, so the link stays readable there", async () => {
      await ctx.db.delete(emailOutbox);
      await enqueueEmail(ctx.db, { to: "x@example.com", template: "sign-in-link", locale: "sv", props: { url: `${appUrl}/login/verify?token=local-token`, expiresMinutes: 15 } });
      expect(devMailboxTransport.local).toBe(true);
      await processOutboxOnce({ db: ctx.db, clock: later, transport: devMailboxTransport });
      const [row] = await ctx.db.select().from(emailOutbox);
      const shown = await getDevMail(ctx.db, String(row.id));
      expect(shown.linkRemoved).toBe(false);
      expect(linksIn(shown.text ?? "")).toContain(`${appUrl}/login/verify?token=local-token`);
    });

    it("other templates keep their contents", async () => {
      await ctx.db.delete(emailOutbox);
      await enqueueEmail(ctx.db, { to: "x@example.com", template: "notice", locale: "sv", props: { subject: "S", heading: "H", body: "Hej" } });
      await processOutboxOnce({ db: ctx.db, clock: later, transport: recorder("resend").transport });
      const [row] = await ctx.db.select().from(emailOutbox);
      expect(row.text).toContain("Hej");
      expect(row.props).toEqual({ subject: "S", heading: "H", body: "Hej" });
    });
  });

  it("finding 3: the dev mailbox is a 404 whenever real mail is configured (RESEND_API_KEY), and in production", async () => {
    await enqueueEmail(ctx.db, { to: "y@example.com", template: "notice", locale: "sv", props: { subject: "S", heading: "H", body: "B" } });
    const [row] = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.to, "y@example.com"));
    const all = () => [
      () => devMailIndex({ request: new Request(`${appUrl}/dev/mail`), params: {}, context: {} }),
      () => devMailOne({ request: new Request(`${appUrl}/dev/mail/${row.id}`), params: { id: String(row.id) }, context: {} }),
      () => devMailHtml({ request: new Request(`${appUrl}/dev/mail/${row.id}/html`), params: { id: String(row.id) }, context: {} }),
    ];
    useIdentityEnv();
    for (const load of all()) expect(await statusOf(load)).toBe(200);
    useIdentityEnv({ RESEND_API_KEY: "re_live_key", MAIL_FROM: "Lokala mål <noreply@example.org>" });
    for (const load of all()) expect(await statusOf(load)).toBe(404);
    // The sign-in page does not point to it either.
    const { loader: loginLoader } = await import("~/routes/login");
    expect(((await loginLoader({ request: new Request(`${appUrl}/login`), params: {}, context: {} })) as { devMailbox: boolean }).devMailbox).toBe(false);
    useIdentityEnv({ APP_ENV: "production", DATABASE_URL: "postgres://unused@127.0.0.1/x", ALLOW_LOCAL_STANDINS: "1" });
    for (const load of all()) expect(await statusOf(load)).toBe(404);
    useIdentityEnv();
  });

  it("finding 10: two admins removing each other at the same moment leave one admin", async () => {
    const rounds = target === "postgres" ? 15 : 3;
    for (let i = 0; i < rounds; i++) {
      const [a] = await ctx.db.insert(people).values({ email: `race-a-${i}@example.com` }).returning();
      const [b] = await ctx.db.insert(people).values({ email: `race-b-${i}@example.com` }).returning();
      // Only these two are admins during the round.
      await ctx.db.delete(staffRoles).where(eq(staffRoles.role, "admin"));
      await ctx.db.insert(staffRoles).values([
        { personId: a.id, role: "admin" },
        { personId: b.id, role: "admin" },
      ]);
      const userOf = async (id: number) => (await getCurrentUser(new Request(`${appUrl}/`, { headers: { Cookie: await cookieFor(ctx.db, id) } })))!;
      const [ua, ub] = [await userOf(a.id), await userOf(b.id)];
      const results = await Promise.allSettled([
        changeRole(userContext(ctx.db, ua), { personId: String(b.id), role: "admin" }, false),
        changeRole(userContext(ctx.db, ub), { personId: String(a.id), role: "admin" }, false),
      ]);
      const admins = await ctx.db.select().from(staffRoles).where(eq(staffRoles.role, "admin"));
      expect(admins, `round ${i}`).toHaveLength(1);
      const refused = results.filter((r) => r.status === "rejected");
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
    }
    // Leave the personas' admin in place for any later test.
    await ctx.db.insert(staffRoles).values({ personId: p.ids.admin, role: "admin" }).onConflictDoNothing();
  });

  describe("finding 11: ADMIN_EMAILS does not undo a removal", () => {
    afterAll(() => {
      useIdentityEnv();
    });

    it("grants at start, but not again after an admin removed the role; a newly listed address still becomes admin", async () => {
      const listed = "listed-boss@example.com";
      useIdentityEnv({ ADMIN_EMAILS: listed, DEMO_DATA: "0" });
      await startup();
      const [boss] = await ctx.db.select().from(people).where(eq(people.email, listed));
      const isAdmin = async (id: number) => (await ctx.db.select().from(staffRoles).where(and(eq(staffRoles.personId, id), eq(staffRoles.role, "admin")))).length === 1;
      expect(await isAdmin(boss.id)).toBe(true);

      // Another admin removes the role; restarts keep it removed.
      await changeRole(userContext(ctx.db, await as("admin")), { personId: String(boss.id), role: "admin" }, false);
      await startup();
      await startup();
      expect(await isAdmin(boss.id)).toBe(false);
      // …and so does asking for a sign-in link.
      await requestSignInLink(ctx.db, { email: listed, locale: "sv", clientKey: "adm", appUrl, adminEmails: [listed] });
      expect(await isAdmin(boss.id)).toBe(false);

      // A second address added to the list later is made admin (someone else being admin does not matter).
      useIdentityEnv({ ADMIN_EMAILS: `${listed},second-boss@example.com`, DEMO_DATA: "0" });
      await startup();
      const [second] = await ctx.db.select().from(people).where(eq(people.email, "second-boss@example.com"));
      expect(await isAdmin(second.id)).toBe(true);
      expect(await isAdmin(boss.id)).toBe(false);

      // Given back on purpose by an admin, it stays (and survives restarts).
      await changeRole(userContext(ctx.db, await as("admin")), { personId: String(boss.id), role: "admin" }, true);
      await startup();
      expect(await isAdmin(boss.id)).toBe(true);
      // The audit log says where the first grant came from.
      const [grant] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectPersonId, boss.id), eq(auditLog.action, "role_granted")));
      expect(grant.details).toEqual({ role: "admin", source: "ADMIN_EMAILS" });
    });
  });
});
