import { listenTo, type Database, type Db } from "~db/client.server";
import type { SessionPerson } from "./sessions.server";

/*
 * The sessions this process has looked up lately, so that a signed-in person's next requests within
 * `ttlMs` skip the session query (one round trip and about a third of the database's work for a page).
 * Only a database the process watches (watchSessionChanges, from getDatabase) gets a cache.
 *
 * What may change an answer is forgotten everywhere within milliseconds: triggers on sessions (a
 * sign-out, a revocation, an expiry), staff_roles, organisation_members and people (migration 0036)
 * send NOTIFY lm_session_changes with the people concerned when they commit, and every process of every
 * instance listens and forgets those people's sessions. A process that writes such a change forgets at
 * once as well (forgetSessions), so its own next request never waits for the notification. A lookup that
 * was under way when something was forgotten is not kept (the generation), so it cannot put back what
 * was just forgotten. If the listening connection is lost (the database restarts), what a process keeps
 * is still at most `ttlMs` old: that is the bound on a change reaching it, as the page cache's is for
 * anonymous pages. The idle and absolute ends of a session are checked on every request, kept or not.
 */

export interface KeptSession {
  person: SessionPerson;
  expiresAt: number;
  lastSeenAt: number;
  keptAt: number;
}

const SESSION_CHANGES_CHANNEL = "lm_session_changes";
const MAX_KEPT = 10_000;

interface Cache {
  ttlMs: number;
  kept: Map<string, KeptSession>;
  /** Counts the times something was forgotten: a lookup started in an earlier generation is not kept. */
  generation: number;
}

const caches = new WeakMap<Db, Cache>();
/** Every cache of this process, for forgetSessions() (a handle inside a transaction is not the cache's key). */
const allCaches = new Set<Cache>();

/** What this process keeps for the session `id`, if it is younger than the cache's time to live. */
export function keptSession(db: Db, id: string, now: number): KeptSession | undefined {
  const cache = caches.get(db);
  const kept = cache?.kept.get(id);
  if (!cache || !kept) return undefined;
  if (now - kept.keptAt >= cache.ttlMs || now < kept.keptAt) {
    cache.kept.delete(id);
    return undefined;
  }
  return kept;
}

/** Call before looking a session up; pass the answer to keepSession. */
export function sessionGeneration(db: Db): number {
  return caches.get(db)?.generation ?? 0;
}

/** Keeps a session looked up since `generation`, unless something was forgotten meanwhile. */
export function keepSession(db: Db, id: string, session: KeptSession, generation: number): void {
  const cache = caches.get(db);
  if (!cache || cache.generation !== generation) return;
  if (cache.kept.size >= MAX_KEPT) cache.kept.clear();
  cache.kept.set(id, session);
}

function forget(cache: Cache, personIds?: Set<number>) {
  cache.generation++;
  if (!personIds) return cache.kept.clear();
  for (const [id, kept] of cache.kept) if (personIds.has(kept.person.personId)) cache.kept.delete(id);
}

/**
 * Forgets the sessions this process keeps, of these people or of everyone: after a write that changes what a
 * session answers (a sign-out, a staff role, a membership), so this process's next request sees it.
 */
export function forgetSessions(personIds?: number[]): void {
  const ids = personIds && new Set(personIds);
  for (const cache of allCaches) forget(cache, ids);
}

/** The people a notification names ("12,40"), or undefined for everyone (an empty payload: a truncate, or too many to name). */
function peopleNamed(payload: string): Set<number> | undefined {
  if (!/^\d+(,\d+)*$/.test(payload)) return undefined;
  return new Set(payload.split(",").map(Number));
}

/**
 * Keeps sessions for `database` from now on, for `ttlMs` each, and forgets them whenever one of the
 * triggers says something changed (or the listening connection was made again: it may have missed one).
 * `ttlMs` 0 keeps nothing.
 */
export async function watchSessionChanges(database: Database, ttlMs: number): Promise<void> {
  if (ttlMs <= 0 || caches.has(database.db)) return;
  const cache: Cache = { ttlMs, kept: new Map(), generation: 0 };
  try {
    await listenTo(database, SESSION_CHANGES_CHANNEL, (payload) => forget(cache, payload === undefined ? undefined : peopleNamed(payload)));
  } catch (error) {
    // Without notifications nothing kept could be trusted: every request looks its session up, as before.
    console.warn(`[sessions] not kept between requests: cannot listen for changes (${(error as Error).message})`);
    return;
  }
  caches.set(database.db, cache);
  allCaches.add(cache);
}
