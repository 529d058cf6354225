import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { forgetSessions, keepSession, keptSession, sessionGeneration, watchSessionChanges, type KeptSession } from "~/services/auth/session-cache.server";
import { createSession, endSession, findSession, revokeSessionsOf } from "~/services/auth/sessions.server";
import { grantRole } from "~/services/people/people.server";
import { organisationMembers, people, sessions, staffRoles } from "~db/schema";
import { addContact, createOrganisation, createPerson } from "../factories";
import { personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements } from "../setup/statements";

/**
 * The sessions a process keeps a moment (services/auth/session-cache.server.ts). Kept for a minute here, so that
 * only the notifications of migration 0036's triggers, or this process's own sign-out, can make it forget.
 * Changes are written straight to the database, as another process or instance would write them.
 */
const TTL_MS = 60_000;

describe.each(dbTargets)("the session a process keeps on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(async () => {
    await watchSessionChanges(ctx.database, TTL_MS);
  });
  afterEach(() => vi.restoreAllMocks());

  const statementsOf = () => countStatements(ctx.db as unknown as { $client: unknown });

  async function signedIn() {
    const person = await createPerson(ctx.db);
    const { token, id } = await createSession(ctx.db, person.id);
    const first = await findSession(ctx.db, token);
    expect(first).toMatchObject({ personId: person.id, roles: [] });
    return { person, token, id };
  }

  /** What the lookup answers once the notification has come (at once on PGlite; the listening connection's next read on PostgreSQL). */
  const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 3000, interval: 20 });

  it("answers the next lookups without a statement, and again from the database after its time", async () => {
    const { person, token } = await signedIn();
    const kept = statementsOf();
    expect(await findSession(ctx.db, token)).toMatchObject({ personId: person.id });
    expect(kept).not.toHaveBeenCalled();
    vi.restoreAllMocks();

    const later = statementsOf();
    const after = new Date(Date.now() + TTL_MS + 1);
    expect(await findSession(ctx.db, token, after)).toMatchObject({ personId: person.id });
    // Looked up again, and touched: a minute and more since it was last seen.
    expect(later.mock.calls.length).toBeGreaterThanOrEqual(1);
  });

  it("writes the touch of a kept session that is due one", async () => {
    const person = await createPerson(ctx.db);
    const started = new Date(Date.now() - 50_000);
    const { token, id } = await createSession(ctx.db, person.id, { now: started });
    expect(await findSession(ctx.db, token)).not.toBeNull();

    // 65 s after it was last seen: kept, but due a touch, which is written.
    const touchAt = new Date(started.getTime() + 65_000);
    expect(await findSession(ctx.db, token, touchAt)).not.toBeNull();
    const [row] = await ctx.db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.id, id));
    expect(row.lastSeenAt.getTime()).toBe(touchAt.getTime());
  });

  it("forgets at once when this process signs the person out", async () => {
    const { person, token, id } = await signedIn();
    await endSession(personContext(ctx.db, { id: person.id, sessionId: id }));
    expect(await findSession(ctx.db, token)).toBeNull();
  });

  it("forgets when an admin revokes every session of the person", async () => {
    const { person, token } = await signedIn();
    const admin = await createPerson(ctx.db);
    await revokeSessionsOf(personContext(ctx.db, { id: admin.id, roles: ["admin"] }), person.id);
    expect(await findSession(ctx.db, token)).toBeNull();
  });

  it("forgets when another process ends the session", async () => {
    const { token, id } = await signedIn();
    await ctx.db.delete(sessions).where(eq(sessions.id, id));
    await eventually(async () => expect(await findSession(ctx.db, token)).toBeNull());
  });

  it("forgets when a staff role is granted or revoked elsewhere", async () => {
    const { person, token } = await signedIn();
    await ctx.db.insert(staffRoles).values({ personId: person.id, role: "admin" });
    await eventually(async () => expect((await findSession(ctx.db, token))?.roles).toEqual(["admin"]));
    await ctx.db.delete(staffRoles).where(eq(staffRoles.personId, person.id));
    await eventually(async () => expect((await findSession(ctx.db, token))?.roles).toEqual([]));
  });

  it("forgets when the person joins or leaves an organisation, or changes address", async () => {
    const { person, token } = await signedIn();
    const organisation = await createOrganisation(ctx.db);
    await addContact(ctx.db, organisation.id, person.id, { isAdmin: true });
    await eventually(async () => expect((await findSession(ctx.db, token))?.organisations).toEqual([{ organisationId: organisation.id, isAdmin: true }]));
    await ctx.db.delete(organisationMembers).where(eq(organisationMembers.personId, person.id));
    await eventually(async () => expect((await findSession(ctx.db, token))?.organisations).toEqual([]));
    await ctx.db.update(people).set({ email: `moved-${person.id}@example.com` }).where(eq(people.id, person.id));
    await eventually(async () => expect((await findSession(ctx.db, token))?.email).toBe(`moved-${person.id}@example.com`));
  });

  /** Waits until a notification sent after the statements before it has come: notifications arrive in order. */
  async function notificationsDelivered() {
    const { token, id } = await signedIn();
    await ctx.db.delete(sessions).where(eq(sessions.id, id));
    await eventually(async () => expect(await findSession(ctx.db, token)).toBeNull());
  }

  it("forgets nothing when a session is only touched, or a statement changed no row", async () => {
    const { person, token, id } = await signedIn();
    await ctx.db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id));
    await ctx.db.delete(sessions).where(eq(sessions.id, "no such session"));
    await ctx.db.update(people).set({ locale: "en" }).where(eq(people.id, person.id));
    await notificationsDelivered();
    const kept = statementsOf();
    expect(await findSession(ctx.db, token)).toMatchObject({ personId: person.id });
    expect(kept).not.toHaveBeenCalled();
  });

  it("forgets only the people a change is about", async () => {
    const one = await signedIn();
    const other = await signedIn();
    await ctx.db.insert(staffRoles).values({ personId: other.person.id, role: "fundraiser" });
    await eventually(async () => expect((await findSession(ctx.db, other.token))?.roles).toEqual(["fundraiser"]));
    const kept = statementsOf();
    expect(await findSession(ctx.db, one.token)).toMatchObject({ personId: one.person.id });
    expect(kept).not.toHaveBeenCalled();
  });

  it("shows a role this process granted at once, without waiting for the notification", async () => {
    const { person, token } = await signedIn();
    // No notification at all: only the process's own forgetting can show it.
    await ctx.db.execute(sql`alter table staff_roles disable trigger staff_roles_inserted`);
    try {
      await grantRole(ctx.db, null, person.id, "admin");
    } finally {
      await ctx.db.execute(sql`alter table staff_roles enable trigger staff_roles_inserted`);
    }
    expect((await findSession(ctx.db, token))?.roles).toEqual(["admin"]);
  });

  it("does not keep an answer that was on its way while the person's sessions were forgotten", async () => {
    const person = await createPerson(ctx.db);
    const { token } = await createSession(ctx.db, person.id);
    const underWay = findSession(ctx.db, token);
    forgetSessions([person.id]);
    expect(await underWay).toMatchObject({ personId: person.id });
    const next = statementsOf();
    await findSession(ctx.db, token);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it("gives every answer frozen, so no request can change what another is given", async () => {
    const { person, token } = await signedIn();
    const organisation = await createOrganisation(ctx.db);
    await addContact(ctx.db, organisation.id, person.id);
    await eventually(async () => expect((await findSession(ctx.db, token))?.organisations).toHaveLength(1));
    const found = (await findSession(ctx.db, token))!;
    expect(Object.isFrozen(found) && Object.isFrozen(found.roles) && Object.isFrozen(found.organisations) && Object.isFrozen(found.organisations[0])).toBe(true);
    expect(() => found.roles.push("admin")).toThrow(TypeError);
  });
});

describe("a process that cannot listen for session changes", () => {
  it("keeps no session, and says so once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    // Not a database openDatabase made: there is no connection to listen on.
    const database = { db: {}, kind: "postgres", close: async () => undefined } as unknown as Parameters<typeof watchSessionChanges>[0];
    await watchSessionChanges(database, TTL_MS);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("not kept between requests"));
    const kept = { person: { personId: 1 }, expiresAt: Date.now() + 60_000, lastSeenAt: Date.now(), keptAt: Date.now() } as unknown as KeptSession;
    keepSession(database.db, "id", kept, sessionGeneration(database.db));
    expect(keptSession(database.db, "id", Date.now())).toBeUndefined();
    warn.mockRestore();
  });
});
