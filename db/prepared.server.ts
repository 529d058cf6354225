import { entityKind, is } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db, Tx } from "./client.server";

/**
 * A hot read as a Drizzle prepared query, built once per database handle: Drizzle otherwise builds
 * the SQL text from the query objects on every call, which on a page view cost about as much as
 * sending the statement (bench:pages profile, issue 10 item 6). Values go in as `sql.placeholder(name)`
 * and are given to `execute({ name: value })`.
 *
 * On PostgreSQL postgres.js prepares it on each connection (db/postgres-pool.server.ts `prepared`), and
 * PostgreSQL plans it once. On PGlite, Drizzle sends the text every time, and PGlite parses and plans it
 * every time: 3.4 ms for the goal page's statement, against 0.65 ms for the same statement prepared in
 * PGlite's one session (PREPARE once, then EXECUTE with the values): see executedAsPrepared.
 *
 * Keyed by the handle: a test file runs PGlite and PostgreSQL in one process, each with its own.
 * Inside a transaction the query is built on the transaction (so it runs there), each time, as before.
 */
export function preparedQuery<Q>(db: Db | Tx, name: string, build: (db: Db | Tx) => Q): Q {
  if (is(db, PgTransaction)) return build(db);
  let queries = byHandle.get(db);
  if (!queries) byHandle.set(db, (queries = new Map()));
  let query = queries.get(name) as Q | undefined;
  if (query === undefined) queries.set(name, (query = executedAsPrepared(build(db), name)));
  return query;
}

const byHandle = new WeakMap<object, Map<string, unknown>>();

interface PgliteClient {
  query(text: string, params?: unknown[], options?: unknown): Promise<unknown>;
  exec(text: string): Promise<unknown>;
}

/**
 * A Drizzle prepared query on PGlite (its `client` is the PGlite instance) is given a client of its own that
 * runs its text as a statement prepared in PGlite's session: `PREPARE lm_<name> AS <text>` once (through
 * exec, outside any transaction: PGlite runs one thing at a time), then `EXECUTE lm_<name>('value', …)`.
 * The values become quoted literals, which PostgreSQL types from the prepared statement's parameters as it
 * does the unnamed statement's untyped ones. Anything but a string, number, bigint, boolean, Date or null
 * (none of the hot reads has one), or a statement PGlite would not prepare, runs as before. Other kinds of
 * query (postgres.js) are left as they are.
 */
function executedAsPrepared<Q>(query: Q, name: string): Q {
  const drizzleQuery = query as { constructor?: { [entityKind]?: string }; client?: PgliteClient };
  if (drizzleQuery.constructor?.[entityKind] !== "PglitePreparedQuery" || !drizzleQuery.client) return query;
  const pglite = drizzleQuery.client;
  const statement = `lm_${name.replace(/\W/g, "_")}`;
  let prepared: Promise<boolean> | undefined;
  drizzleQuery.client = {
    query: async (text, params = [], options) => {
      prepared ??= pglite.exec(`prepare ${statement} as ${text}`).then(
        () => true,
        () => false,
      );
      const values = params.map(literal);
      if (!(await prepared) || values.includes(undefined)) return pglite.query(text, params, options);
      return pglite.query(values.length ? `execute ${statement}(${values.join(", ")})` : `execute ${statement}`, [], options);
    },
    exec: (text) => pglite.exec(text),
  };
  return query;
}

/** A value as an SQL literal of unknown type (the prepared parameter's type applies), or undefined when it cannot be one here. */
function literal(value: unknown): string | undefined {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return quoted(value.toISOString());
  if (typeof value === "string") return value.includes("\0") ? undefined : quoted(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return quoted(String(value));
  return undefined;
}

/** standard_conforming_strings is on (PostgreSQL's default since 9.1): only the quote is doubled. */
const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;
