import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { watchSessionChanges } from "~/services/auth/session-cache.server";
import { createSession, endSession, findSession, revokeSessionsOf } from "~/services/auth/sessions.server";
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

  it("forgets nothing when a session is only touched", async () => {
    const { person, token, id } = await signedIn();
    await ctx.db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id));
    // A change the triggers do not report (an end moved straight in the database) shows what is still kept.
    await ctx.db.execute(sql`alter table sessions disable trigger sessions_changed`);
    try {
      await ctx.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, id));
    } finally {
      await ctx.db.execute(sql`alter table sessions enable trigger sessions_changed`);
    }
    const kept = statementsOf();
    expect(await findSession(ctx.db, token)).toMatchObject({ personId: person.id });
    expect(kept).not.toHaveBeenCalled();
  });
});
