import { listenTo, type Database, type Db } from "~db/client.server";
import type { SessionPerson } from "./sessions.server";

/*
 * The sessions this process has looked up lately, so that a signed-in person's next requests within
 * `ttlMs` skip the session query (one round trip and about a third of the database's work for a page).
 * Only a database the process watches (watchSessionChanges, from getDatabase) gets a cache.
 *
 * What may change an answer is forgotten everywhere within milliseconds: triggers on sessions (a
 * sign-out, a revocation, an expiry), staff_roles, organisation_members and people (migration 0036)
 * send NOTIFY lm_session_changes when they commit, and every process of every instance listens and
 * forgets all it keeps. A sign-out in this process also forgets at once, before its response is sent.
 * If the listening connection is lost (the database restarts), what a process keeps is still at most
 * `ttlMs` old: that is the bound on a change reaching it, as the page cache's is for anonymous pages.
 * The idle and absolute ends of a session are checked on every request, kept or not.
 */

export interface KeptSession {
  person: SessionPerson;
  expiresAt: number;
  lastSeenAt: number;
  keptAt: number;
}

export const SESSION_CHANGES_CHANNEL = "lm_session_changes";
const MAX_KEPT = 10_000;

interface Cache {
  ttlMs: number;
  kept: Map<string, KeptSession>;
}

const caches = new WeakMap<Db, Cache>();

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

export function keepSession(db: Db, id: string, session: KeptSession): void {
  const cache = caches.get(db);
  if (!cache) return;
  if (cache.kept.size >= MAX_KEPT) cache.kept.clear();
  Object.freeze(session.person.roles);
  Object.freeze(session.person.organisations);
  cache.kept.set(id, session);
}

/** Forgets every session this process keeps for `db` (all of them: changes are rare, lookups are cheap). */
export function forgetSessions(db: Db): void {
  caches.get(db)?.kept.clear();
}

/**
 * Keeps sessions for `database` from now on, for `ttlMs` each, and forgets them whenever one of the
 * triggers says something changed (or the listening connection was made again: it may have missed one).
 * `ttlMs` 0 keeps nothing.
 */
export async function watchSessionChanges(database: Database, ttlMs: number): Promise<void> {
  if (ttlMs <= 0 || caches.has(database.db)) return;
  const cache: Cache = { ttlMs, kept: new Map() };
  await listenTo(database, SESSION_CHANGES_CHANNEL, () => cache.kept.clear());
  caches.set(database.db, cache);
}
