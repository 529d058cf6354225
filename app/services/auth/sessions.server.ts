import { and, eq, lt, ne, or, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { jsonRows } from "~db/json-rows";
import { preparedQuery } from "~db/prepared.server";
import { organisationMembers, people, sessions, staffRoles, type StaffRole } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { isAdminActor, requirePerson, type ServiceContext } from "~/services/context";
import { Forbidden } from "~/services/errors";
import { forgetSessions, keepSession, keptSession, sessionGeneration, type KeptSession } from "./session-cache.server";
import { hashToken, newToken } from "./tokens.server";

/** Signed out after this long without a request (ASVS 4.0.3 3.3.2 suggests 30 min–12 h at L2). */
export const SESSION_IDLE_MS = 2 * 60 * 60_000;
/** Signed out this long after sign-in, whatever happens. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** lastSeenAt is written at most this often, so a page view is not a write every time. */
const TOUCH_EVERY_MS = 60_000;

export interface SessionPerson {
  sessionId: string;
  personId: number;
  email: string;
  name: string | null;
  roles: StaffRole[];
  organisations: { organisationId: number; isAdmin: boolean }[];
}

/** A new session with a fresh random token: every sign-in gets a new id (no fixation). */
export async function createSession(db: Db | Tx, personId: number, opts: { userAgent?: string | null; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const token = newToken();
  const id = hashToken(token);
  await db.insert(sessions).values({
    id,
    personId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    userAgent: opts.userAgent?.slice(0, 300) ?? null,
  });
  return { token, id };
}


/** The session and person behind a cookie token, or null when unknown, idle too long or past its end. */
export async function findSession(db: Db, token: string, now = new Date()): Promise<SessionPerson | null> {
  const id = hashToken(token);
  // Looked up in the last moments by this process (session-cache.server.ts): no statement, unless it is due a touch.
  const kept = keptSession(db, id, now.getTime());
  const generation = sessionGeneration(db);
  const found = kept ?? (await lookUpSession(db, id));
  if (!found) return null;
  if (found.expiresAt <= now.getTime() || now.getTime() - found.lastSeenAt > SESSION_IDLE_MS) {
    await db.delete(sessions).where(eq(sessions.id, id));
    forgetSessions([found.person.personId]);
    return null;
  }
  if (now.getTime() - found.lastSeenAt > TOUCH_EVERY_MS) {
    const touched = await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id)).returning({ id: sessions.id });
    // Kept, but ended meanwhile where no notification has reached this process yet.
    if (!touched.length) return (forgetSessions([found.person.personId]), null);
    found.lastSeenAt = now.getTime();
  }
  if (!kept) keepSession(db, id, { ...found, keptAt: now.getTime() }, generation);
  return found.person;
}

/** Object.freeze, with the type left as it was (a write would throw in strict mode, as modules are). */
const frozen = <T extends object>(value: T): T => Object.freeze(value);

async function lookUpSession(db: Db, id: string): Promise<Omit<KeptSession, "keptAt"> | null> {
  // One statement for the session, the person, their staff roles and organisations: every signed-in
  // request asks this, and three round trips (three parses on PGlite) were a measurable part of a page.
  // Prepared once per database (db/prepared.server.ts).
  const [row] = await preparedQuery(db, "find_session", (d) =>
    d
      .select({
        expiresAt: sessions.expiresAt,
        lastSeenAt: sessions.lastSeenAt,
        person: { id: people.id, email: people.email, name: people.name },
        roles: sql<unknown>`(select json_agg(${staffRoles.role}) from ${staffRoles} where ${staffRoles.personId} = ${people.id})`,
        organisations: sql<unknown>`(select json_agg(json_build_object('organisationId', ${organisationMembers.organisationId}, 'isAdmin', ${organisationMembers.isAdmin})) from ${organisationMembers} where ${organisationMembers.personId} = ${people.id})`,
      })
      .from(sessions)
      .innerJoin(people, eq(people.id, sessions.personId))
      .where(eq(sessions.id, sql.placeholder("id")))
      .prepare("find_session"),
  ).execute({ id });
  if (!row) return null;
  const { person } = row;
  const organisations = jsonRows<{ organisationId: number; isAdmin: boolean }>(row.organisations).sort((a, b) => a.organisationId - b.organisationId);
  // Frozen, kept or not: a kept answer is shared by the person's requests, and one that changed it would change them all.
  return {
    expiresAt: row.expiresAt.getTime(),
    lastSeenAt: row.lastSeenAt.getTime(),
    person: frozen({
      sessionId: id,
      personId: person.id,
      email: person.email,
      name: person.name,
      roles: frozen(jsonRows<StaffRole>(row.roles).sort()),
      organisations: frozen(organisations.map(frozen)),
    }),
  };
}

/**
 * Sign-out: the person's own session row goes, so the cookie is worthless even if someone kept a
 * copy. An anonymous visitor (no session, or one that already ended) has nothing to end.
 */
export async function endSession(ctx: ServiceContext): Promise<void> {
  if (ctx.actor.kind !== "person" || !ctx.actor.sessionId) return;
  const { personId, sessionId } = ctx.actor;
  await ctx.db.transaction(async (tx) => {
    const gone = await tx
      .delete(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.personId, personId)))
      .returning({ id: sessions.id });
    if (gone.length) await recordAudit(tx, { actorPersonId: personId, action: "sign_out", subjectPersonId: personId });
  });
  // This process forgets at once; the others when the trigger's notification reaches them.
  forgetSessions([personId]);
}

export async function listSessionsOf(db: Db, personId: number) {
  return db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(eq(sessions.personId, personId));
}

/**
 * Every session of a person ends: an admin for anyone (a lost phone, a contact who left the
 * company), anyone else only for themselves ("sign out everywhere").
 */
export async function revokeSessionsOf(ctx: ServiceContext, personId: number): Promise<number> {
  const actor = requirePerson(ctx);
  if (actor.personId !== personId && !isAdminActor(actor)) throw new Forbidden("admin_only");
  const actorPersonId = actor.personId;
  const count = await ctx.db.transaction(async (tx) => {
    const gone = await tx.delete(sessions).where(eq(sessions.personId, personId)).returning({ id: sessions.id });
    await recordAudit(tx, { actorPersonId, action: "session_revoked", subjectPersonId: personId, details: { count: gone.length } });
    return gone.length;
  });
  forgetSessions([personId]);
  return count;
}

/** "Sign out on other devices": every session of the signed-in person except the one making the request. */
export async function revokeOtherSessions(ctx: ServiceContext): Promise<number> {
  const { personId, sessionId: keepSessionId } = requirePerson(ctx);
  // Without the current session's id every session would go, this one included: not what was asked.
  if (!keepSessionId) throw new Forbidden();
  const count = await ctx.db.transaction(async (tx) => {
    const gone = await tx
      .delete(sessions)
      .where(and(eq(sessions.personId, personId), ne(sessions.id, keepSessionId)))
      .returning({ id: sessions.id });
    if (gone.length) await recordAudit(tx, { actorPersonId: personId, action: "session_revoked", subjectPersonId: personId, details: { count: gone.length, kept: "current" } });
    return gone.length;
  });
  forgetSessions([personId]);
  return count;
}

/** Housekeeping: expired sessions. */
export async function deleteExpiredSessions(db: Db, now = new Date()) {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS))));
}

