import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, organisationMembers, sessions, staffRoles } from "~db/schema";
import { Conflict, Forbidden, Invalid } from "~/services/errors";
import { addMember, createOrganisation, getOrganisation, removeMember, setMemberAdmin } from "~/services/organisations/organisations.server";
import { addStaffMember, changeRole, revokeSessions } from "~/services/people/staff.server";
import { getCurrentUser, type CurrentUser } from "~/utils/auth.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { createPersonas, useIdentityEnv, type PersonaName, type Personas } from "./helpers";
import { userContext } from "../setup/contexts";

describe.each(dbTargets)("roles, memberships and their audit trail on %s", (target) => {
  const ctx = useTestDatabase(target);
  let p: Personas;
  const as = async (persona: PersonaName): Promise<CurrentUser> =>
    (await getCurrentUser(new Request("http://x/", { headers: { Cookie: p.cookie[persona] } })))!;

  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(ctx.db);
  });

  it("only an admin manages staff roles; each change is audited with who and when", async () => {
    const admin = await as("admin");
    await expect(changeRole(userContext(ctx.db, await as("fundraiser")), { personId: String(p.ids.donor), role: "admin" }, true)).rejects.toBeInstanceOf(Forbidden);
    const before = new Date(Date.now() - 1000);
    await changeRole(userContext(ctx.db, admin), { personId: String(p.ids.donor), role: "fundraiser" }, true);
    expect((await ctx.db.select().from(staffRoles).where(eq(staffRoles.personId, p.ids.donor))).map((r) => r.role)).toEqual(["fundraiser"]);
    await changeRole(userContext(ctx.db, admin), { personId: String(p.ids.donor), role: "fundraiser" }, false);
    expect(await ctx.db.select().from(staffRoles).where(eq(staffRoles.personId, p.ids.donor))).toHaveLength(0);
    const entries = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectPersonId, p.ids.donor));
    expect(entries.map((e) => [e.action, e.actorPersonId, e.details])).toEqual([
      ["role_granted", p.ids.admin, { role: "fundraiser" }],
      ["role_revoked", p.ids.admin, { role: "fundraiser" }],
    ]);
    expect(entries.every((e) => e.at >= before)).toBe(true);
  });

  it("refuses an unknown role with a field error, and never removes the last admin", async () => {
    const admin = await as("admin");
    await expect(changeRole(userContext(ctx.db, admin), { personId: String(p.ids.donor), role: "king" }, true)).rejects.toMatchObject({ fieldErrors: { role: "invalid_role" } });
    await expect(addStaffMember(userContext(ctx.db, admin), { email: "bad", role: "admin" })).rejects.toBeInstanceOf(Invalid);
    await expect(changeRole(userContext(ctx.db, admin), { personId: String(p.ids.admin), role: "admin" }, false)).rejects.toBeInstanceOf(Conflict);
    expect(await ctx.db.select().from(staffRoles).where(and(eq(staffRoles.personId, p.ids.admin), eq(staffRoles.role, "admin")))).toHaveLength(1);
  });

  it("an admin can end all of a person's sessions, and the person is signed out at once", async () => {
    const victim = await as("contactB");
    expect(victim).not.toBeNull();
    expect(await revokeSessions(userContext(ctx.db, await as("admin")), { personId: String(p.ids.contactB) })).toBeGreaterThan(0);
    expect(await ctx.db.select().from(sessions).where(eq(sessions.personId, p.ids.contactB))).toHaveLength(0);
    expect(await getCurrentUser(new Request("http://x/", { headers: { Cookie: p.cookie.contactB } }))).toBeNull();
    const [entry] = await ctx.db.select().from(auditLog).where(and(eq(auditLog.action, "session_revoked"), eq(auditLog.subjectPersonId, p.ids.contactB)));
    expect(entry.actorPersonId).toBe(p.ids.admin);
  });

  it("staff create organisations and manage contacts; an organisation's admin manages only its own", async () => {
    const fundraiser = await as("fundraiser");
    await expect(createOrganisation(userContext(ctx.db, await as("contactA")), { name: "X AB" })).rejects.toBeInstanceOf(Forbidden);
    await expect(createOrganisation(userContext(ctx.db, fundraiser), { name: "", orgNumber: "1" })).rejects.toMatchObject({ fieldErrors: { name: "required", orgNumber: "org_number" } });
    const org = await createOrganisation(userContext(ctx.db, fundraiser), { name: "Testbolaget C AB", orgNumber: "" });
    expect(org.orgNumber).toBeNull();

    const added = await addMember(userContext(ctx.db, fundraiser), org.id, { email: "New.Contact@Example.com", isAdmin: "on" });
    expect(added.added).toBe(true);
    const contactA = await as("contactA");
    // Contact A administers organisation A: may add a colleague there…
    const colleague = await addMember(userContext(ctx.db, contactA), p.orgA, { email: "colleague@example.com" });
    expect(colleague.added).toBe(true);
    // …but not touch organisation B or C, nor read them.
    await expect(addMember(userContext(ctx.db, contactA), p.orgB, { email: "intruder@example.com" })).rejects.toBeInstanceOf(Forbidden);
    await expect(removeMember(userContext(ctx.db, contactA), p.orgB, p.ids.contactB)).rejects.toBeInstanceOf(Forbidden);
    await expect(setMemberAdmin(userContext(ctx.db, contactA), org.id, added.personId, false)).rejects.toBeInstanceOf(Forbidden);
    await expect(getOrganisation(userContext(ctx.db, contactA), p.orgB)).rejects.toBeInstanceOf(Forbidden);
    const membersOfB = await ctx.db.select({ personId: organisationMembers.personId }).from(organisationMembers).where(eq(organisationMembers.organisationId, p.orgB));
    expect(membersOfB.map((m) => m.personId).sort((x, y) => x - y)).toEqual([p.ids.contactB, p.ids.contactAB].sort((x, y) => x - y));

    await setMemberAdmin(userContext(ctx.db, fundraiser), org.id, added.personId, false);
    await removeMember(userContext(ctx.db, fundraiser), org.id, added.personId);
    const trail = await ctx.db.select().from(auditLog).where(eq(auditLog.organisationId, org.id));
    expect(trail.map((e) => [e.action, e.actorPersonId])).toEqual([
      ["organisation_created", p.ids.fundraiser],
      ["member_added", p.ids.fundraiser],
      ["member_admin_changed", p.ids.fundraiser],
      ["member_removed", p.ids.fundraiser],
    ]);
  });
});

describe.each(dbTargets)("sign out everywhere from /account on %s", (target) => {
  const ctx = useTestDatabase(target);
  it("ends every session of the person, and only theirs", async () => {
    useIdentityEnv();
    const p = await createPersonas(ctx.db, "-everywhere");
    const { cookieFor } = await import("./helpers");
    const second = await cookieFor(ctx.db, p.ids.donor);
    const { action } = await import("~/routes/account");
    const post = (fields: Record<string, string>) =>
      new Request("http://127.0.0.1:3999/account", { method: "POST", body: new URLSearchParams(fields), headers: { Cookie: p.cookie.donor, "Content-Type": "application/x-www-form-urlencoded" } });
    const res = (await action({ request: post({ intent: "sign-out-everywhere" }), params: {}, context: {} })) as Response;
    expect(res.status).toBe(302);
    for (const cookie of [p.cookie.donor, second]) {
      expect(await getCurrentUser(new Request("http://x/", { headers: { Cookie: cookie } }))).toBeNull();
    }
    expect(await getCurrentUser(new Request("http://x/", { headers: { Cookie: p.cookie.admin } }))).not.toBeNull();
  });
});

describe.each(dbTargets)("identity housekeeping on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => {
    useIdentityEnv();
  });

  it("removes ended sessions, old links and stale rate-limit windows, and keeps live ones", async () => {
    const { people, loginTokens, rateLimits } = await import("~db/schema");
    const { createSession } = await import("~/services/auth/sessions.server");
    const { identityHousekeeping } = await import("~/services/auth/housekeeping.server");
    const [person] = await ctx.db.insert(people).values({ email: "hk@example.com" }).returning();
    const now = new Date();
    const old = new Date(now.getTime() - 3 * 24 * 60 * 60_000);
    await createSession(ctx.db, person.id, { now: old });
    const live = await createSession(ctx.db, person.id, { now });
    await ctx.db.insert(loginTokens).values([
      { tokenHash: "old", personId: person.id, createdAt: old, expiresAt: new Date(old.getTime() + 900_000) },
      { tokenHash: "fresh", personId: person.id, createdAt: now, expiresAt: new Date(now.getTime() + 900_000) },
    ]);
    await ctx.db.insert(rateLimits).values([
      { key: "old", windowStart: old, count: 3 },
      { key: "fresh", windowStart: now, count: 1 },
    ]);
    await identityHousekeeping(ctx.db, now);
    expect((await ctx.db.select().from(sessions)).map((s) => s.id)).toEqual([live.id]);
    expect((await ctx.db.select().from(loginTokens)).map((t) => t.tokenHash)).toEqual(["fresh"]);
    expect((await ctx.db.select().from(rateLimits)).map((r) => r.key)).toEqual(["fresh"]);
  });
});
