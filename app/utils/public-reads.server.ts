import { listenTo, type Database, type Db } from "~db/client.server";

/*
 * Public facts kept per process for a moment: what every visitor of a public page sees alike (a goal with
 * its balance, partner wall, collections, competitions and impact figures; the home page's goal cards; the
 * goals to choose from on /give). The anonymous page cache (page-cache.server.ts) keeps whole pages, but
 * only for visitors without a session; a signed-in person's page, and /give for anyone, is rendered per
 * request, and its read of these facts was its one round trip to the database: half the CPU of a signed-in
 * goal page (issue 10 item 6, docs/decisions/0015). Nothing about the reader is kept here.
 *
 * Kept for at most `ttlMs` (PUBLIC_READS_MS, default one second), and forgotten everywhere within
 * milliseconds of a change to what staff, partners and collectors write: statement triggers on those tables
 * (migration 0037) send NOTIFY lm_public_changes when a change commits, and every process of every instance
 * listens. Payments and ledger entries notify nothing (every gift writes them, and notifying commits wait for
 * each other), so a balance may be up to `ttlMs` behind in another process, as on the anonymous page cache's
 * pages; `ttlMs` is also the bound for what changes by the clock alone, such as a collection passing its end.
 * A process that writes public facts itself forgets at once (invalidatePageCache, which the payment events,
 * ledger corrections and goal edits call, calls forgetPublicReads). A read that was under way while
 * something was forgotten is not kept (the generation), so it cannot put back what was just forgotten. If
 * the listening connection is lost and made again, everything is forgotten; until then `ttlMs` is the bound.
 */

const PUBLIC_CHANGES_CHANNEL = "lm_public_changes";
/** More keys than the app has (a few per goal and language): a guard, not a size anyone should reach. */
const MAX_KEPT = 1_000;

interface Cache {
  ttlMs: number;
  kept: Map<string, { value: unknown; keptAt: number }>;
  /** Counts the times everything was forgotten: a read started in an earlier generation is not kept. */
  generation: number;
}

const caches = new WeakMap<Db, Cache>();
const allCaches = new Set<Cache>();

/** Freezes a read's answer to its leaves: a kept answer is shared by every request that gets it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * `read()`'s answer for `key`: kept from an earlier call if this database is watched (watchPublicChanges)
 * and nothing it reads has changed since, else read now (and kept). Frozen either way. Only for facts that
 * are the same for every reader; a read that throws is not kept.
 */
export async function keptPublicRead<T>(db: Db, key: string, read: () => Promise<T>, now = Date.now()): Promise<T> {
  const cache = caches.get(db);
  const kept = cache?.kept.get(key);
  if (kept && now - kept.keptAt < cache!.ttlMs && now >= kept.keptAt) return kept.value as T;
  const generation = cache?.generation;
  const value = deepFreeze(await read());
  if (cache && cache.generation === generation) {
    if (cache.kept.size >= MAX_KEPT) cache.kept.clear();
    cache.kept.set(key, { value, keptAt: now });
  }
  return value;
}

function forget(cache: Cache) {
  cache.generation++;
  cache.kept.clear();
}

/** Forgets every public fact this process keeps: after a write here that changes one (see invalidatePageCache). */
export function forgetPublicReads(): void {
  for (const cache of allCaches) forget(cache);
}

/**
 * Keeps public reads for `database` from now on, for `ttlMs` each, and forgets them whenever a trigger says
 * something they read changed (or the listening connection was made again: it may have missed one). `ttlMs`
 * 0 keeps nothing; so does a process that cannot listen.
 */
export async function watchPublicChanges(database: Database, ttlMs: number): Promise<void> {
  if (ttlMs <= 0 || caches.has(database.db)) return;
  const cache: Cache = { ttlMs, kept: new Map(), generation: 0 };
  try {
    await listenTo(database, PUBLIC_CHANGES_CHANNEL, () => forget(cache));
  } catch (error) {
    console.warn(`[public reads] not kept between requests: cannot listen for changes (${(error as Error).message})`);
    return;
  }
  caches.set(database.db, cache);
  allCaches.add(cache);
}
