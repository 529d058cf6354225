import { is } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db, Tx } from "./client.server";

/**
 * A hot read as a Drizzle prepared query, built once per database handle: Drizzle otherwise builds
 * the SQL text from the query objects on every call, which on a page view cost about as much as
 * sending the statement (bench:pages profile, issue 10 item 6). Values go in as `sql.placeholder(name)`
 * and are given to `execute({ name: value })`.
 *
 * Keyed by the handle: a test file runs PGlite and PostgreSQL in one process, each with its own.
 * Inside a transaction the query is built on the transaction (so it runs there), each time, as before.
 */
export function preparedQuery<Q>(db: Db | Tx, name: string, build: (db: Db | Tx) => Q): Q {
  if (is(db, PgTransaction)) return build(db);
  let queries = byHandle.get(db);
  if (!queries) byHandle.set(db, (queries = new Map()));
  let query = queries.get(name) as Q | undefined;
  if (query === undefined) queries.set(name, (query = build(db)));
  return query;
}

const byHandle = new WeakMap<object, Map<string, unknown>>();
