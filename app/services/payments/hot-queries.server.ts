import type { SQL } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";

/**
 * The statements every Stripe event runs (the event id, the payment's row, its ledger entries) are
 * built once with placeholders and then only executed: Drizzle's query building costs 30–130 µs a
 * statement, about a sixth of an event's CPU on the webhook path. A named statement is also a
 * prepared statement in postgres.js, so PostgreSQL parses and plans it once per connection.
 *
 * A Drizzle prepared query belongs to the session it was made on; each execution here runs a copy
 * bound to the current transaction's client. Works on both drivers (postgres.js and PGlite): the
 * cache is per driver.
 */
interface PreparedLike {
  client: unknown;
  execute(values?: Record<string, unknown>): Promise<unknown>;
}
interface SessionLike {
  client: unknown;
  prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean): PreparedLike;
}

const byDriver = new WeakMap<object, Map<string, PreparedLike>>();

function prepared(tx: Db | Tx, name: string, make: (session: SessionLike) => PreparedLike): PreparedLike {
  const session = (tx as unknown as { session: SessionLike }).session;
  let cache = byDriver.get(session.constructor);
  if (!cache) byDriver.set(session.constructor, (cache = new Map()));
  let query = cache.get(name);
  if (!query) cache.set(name, (query = make(session)));
  // Same statement, this transaction's connection.
  return Object.assign(Object.create(Object.getPrototypeOf(query)) as PreparedLike, query, { client: session.client });
}

/** A Drizzle select/insert/update builder with placeholders, run with these values; rows as Drizzle maps them. */
export function runBuilt<T>(tx: Db | Tx, name: string, build: () => { prepare(name: string): unknown }, values: Record<string, unknown>): Promise<T[]> {
  return prepared(tx, name, () => build().prepare(name) as PreparedLike).execute(values) as Promise<T[]>;
}

/** Raw SQL with placeholders, run with these values; rows as the driver returns them. */
export async function runRaw<T>(tx: Tx, name: string, build: () => SQL, values: Record<string, unknown>): Promise<T[]> {
  const dialect = (tx as unknown as { dialect: { sqlToQuery(s: SQL): { sql: string; params: unknown[] } } }).dialect;
  const result = await prepared(tx, name, (session) => session.prepareQuery(dialect.sqlToQuery(build()), undefined, name, false)).execute(values);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
