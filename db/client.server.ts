import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres, PostgresJsSession, PostgresJsTransaction } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { postgresPool, prepared, Reservation, type PostgresPool } from "./postgres-pool.server";
import * as schema from "./schema";

/** The same Drizzle query code runs on both drivers; services see only this type. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbKind = "postgres" | "pglite";

export interface Database {
  db: Db;
  kind: DbKind;
  url?: string;
  close(): Promise<void>;
}

export const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");

/** Opens PostgreSQL when a URL is given, otherwise PGlite in `dataDir` (or in memory for `memory://`). */
export async function openDatabase(opts: { databaseUrl?: string; pgliteDir?: string; max?: number }): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = postgresPool(opts.databaseUrl, opts.max ?? 10);
    const db = drizzlePostgres(pool.client, { schema }) as unknown as Db;
    postgresPools.set(db, pool);
    return { db, kind: "postgres", url: opts.databaseUrl, close: () => pool.client.end({ timeout: 5 }) };
  }
  const dir = opts.pgliteDir ?? "memory://";
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  // Loaded only here: PGlite's WASM module costs a server process on PostgreSQL ~80 MB it never uses.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
  const client = new PGlite(dir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}

/**
 * Applies the committed migrations. Harmless to run twice; on PostgreSQL an advisory lock keeps two
 * app instances starting at once from racing each other.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  await underSessionLock(database, 4242001, (db) => migratePostgres(db, { migrationsFolder }));
}

/**
 * Runs `work` while one connection of its own holds PostgreSQL's session advisory lock `key`, so two
 * app instances starting at once take turns (migrations; the demo data, whose seeders run many
 * transactions). `work` gets that connection's handle; it may use the pool as well. On PGlite (one
 * process) it just runs.
 */
export async function underSessionLock<T>(database: Database, key: number, work: (db: ReturnType<typeof drizzlePostgres>) => Promise<T>): Promise<T> {
  if (database.kind !== "postgres") return work(database.db as never);
  const { client } = postgresPool(database.url!, 1);
  try {
    const db = drizzlePostgres(client);
    await db.execute(sql`select pg_advisory_lock(${key})`);
    try {
      return await work(db);
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${key})`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

const postgresPools = new WeakMap<object, PostgresPool>();

/**
 * Calls `fn` with the payload of each NOTIFY on `channel` in this database. On PostgreSQL postgres.js
 * listens on a connection of its own and listens again when that one is lost; `fn` is called then too,
 * without a payload, since notifications sent meanwhile were missed. On PGlite notifications come from this
 * process's own statements.
 */
export async function listenTo(database: Database, channel: string, fn: (payload?: string) => void): Promise<void> {
  if (database.kind === "pglite") {
    await (database.db as unknown as { $client: { listen(channel: string, fn: (payload: string) => void): Promise<unknown> } }).$client.listen(channel, (payload) => fn(payload));
    return;
  }
  const pool = postgresPools.get(database.db);
  if (!pool) throw new Error("listenTo: not a database opened by openDatabase");
  await pool.raw.listen(channel, (payload) => fn(payload), () => fn());
}

/**
 * Several writes as one statement: `with w0 as (…), w1 as (…) <tail>` (data-modifying CTEs all run,
 * on one snapshot: they must not touch the same row twice). Without a tail the last write ends it.
 */
export function oneStatement(writes: SQL[], tail?: SQL): SQL | undefined {
  if (writes.length === 0) return tail;
  if (!tail && writes.length === 1) return writes[0];
  const ctes = tail ? writes : writes.slice(0, -1);
  const end = tail ?? writes[writes.length - 1];
  return sql`with ${sql.join(
    ctes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`),
    sql`, `,
  )} ${end}`;
}

/**
 * `db.transaction(fn)` for short, hot transactions (a Stripe event), in fewer round trips on
 * PostgreSQL: BEGIN goes to the server together with the transaction's first statement (postgres.js's
 * own begin() waits for BEGIN's answer before it runs `fn`), and the writes `last(tx)` returns go as
 * one statement together with COMMIT. Nested transactions (savepoints) are not available inside.
 *
 * The last statement ends by setting a transaction-local token, and a guard between it and COMMIT
 * fails unless the token is set: whether the last statement failed at the server (the transaction is
 * aborted) or was never sent (postgres.js refused it), COMMIT then answers ROLLBACK, and anything but
 * a COMMIT is thrown here. Nothing is committed without the last writes. On PGlite it is db.transaction.
 *
 * Every statement runs prepared, the last writes and the guard too: the pool's one switch
 * (`prepared()` in postgres-pool.server.ts, as for every other statement of the app). Unprepared, postgres.js
 * sends a statement with parameters in two round trips (Parse and Describe, then Bind and Execute) and
 * holds what is queued behind it meanwhile, so the last writes would not go in one flight with COMMIT.
 */
export async function pipelinedTransaction<T>(
  db: Db,
  fn: (tx: Tx) => Promise<T>,
  last?: (tx: Tx) => SQL[],
): Promise<T> {
  const pool = postgresPools.get(db);
  if (!pool) {
    return db.transaction(async (tx) => {
      const result = await fn(tx);
      const statement = oneStatement(last?.(tx) ?? []);
      if (statement) await tx.execute(statement);
      return result;
    });
  }
  const connection = await Reservation.open(pool);
  let ended = false;
  try {
    const internals = db as unknown as { dialect: { sqlToQuery(s: SQL): { sql: string; params: unknown[] } }; session: { schema: never; options: never } };
    const session = new PostgresJsSession(connection.client as never, internals.dialect as never, internals.session.schema, internals.session.options);
    const tx = new PostgresJsTransaction(internals.dialect as never, session, internals.session.schema) as unknown as Tx;
    // Sent now, before fn's first statement: postgres.js writes both to the socket at once.
    const begun = connection.send("begin");
    const work = fn(tx);
    work.catch(() => undefined); // handled below; not an unhandled rejection while BEGIN is answered
    try {
      await begun;
    } catch (error) {
      // fn's statements fail too (same connection); let it finish before the connection is released.
      await work.catch(() => undefined);
      throw error;
    }
    const result = await work;
    const writes = last?.(tx) ?? [];
    // The last statement, the guard and COMMIT are queued in this order in one go (postgres.js keeps the order).
    let sent: Promise<unknown> | undefined;
    if (writes.length) {
      const token = randomUUID();
      const final = internals.dialect.sqlToQuery(oneStatement(writes, sql`select set_config('lokala.last_write', ${token}, true)`)!);
      const lastWrite = connection.send(final.sql, final.params, prepared());
      const guardText = "select 1 / coalesce(current_setting('lokala.last_write', true) = $1, false)::int as ok";
      const guard = connection.send(guardText, [token], prepared());
      sent = Promise.all([lastWrite, guard]);
      sent.catch(() => undefined); // awaited below
    }
    const commit = connection.send("commit");
    commit.catch(() => undefined); // awaited below; a failed last statement is what gets reported
    ended = true;
    try {
      await sent;
    } catch (error) {
      await commit.catch(() => undefined); // answered ROLLBACK: the transaction was aborted
      throw error;
    }
    const done = await commit;
    if (done.command !== "COMMIT") throw new Error(`transaction not committed (${done.command})`);
    return result;
  } catch (error) {
    if (!ended) await connection.send("rollback").catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

let current: Promise<Database> | undefined;

/** The process's database, opened, migrated and given its reference data on first use. */
export function getDatabase(): Promise<Database> {
  if (!current) {
    current = (async () => {
      const { env } = await import("~/utils/env.server");
      const config = env();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        pgliteDir: path.join(config.dataDir, "pglite"),
      });
      try {
        await migrateDatabase(database);
        // Reference data too, so that every way of starting (npm start, vite dev, scripts) has the goals.
        const { seedReferenceData } = await import("./seed");
        await seedReferenceData(database.db);
        // The sessions this process looked up are kept a moment, and forgotten when they change anywhere.
        const { watchSessionChanges } = await import("~/services/auth/session-cache.server");
        await watchSessionChanges(database, config.sessionCacheMs);
        // So are the public facts pages show alike to everyone (a goal, its balance, its partner wall, …).
        const { watchPublicChanges } = await import("~/utils/public-reads.server");
        await watchPublicChanges(database, config.publicReadsMs);
      } catch (error) {
        // Not reachable, say: the next getDatabase() opens it anew (startup waits and tries again).
        await database.close().catch(() => undefined);
        throw error;
      }
      return database;
    })();
    current.catch(() => {
      current = undefined;
    });
  }
  return current;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** For tests: make the process use this database. */
export function setDatabaseForTests(database: Database | undefined) {
  current = database ? Promise.resolve(database) : undefined;
}

/**
 * PostgreSQL's unique violation (23505), as either driver reports it: postgres.js and PGlite put the code on the
 * error, and drizzle (0.44 on) wraps a failed query in DrizzleQueryError with the driver's error as its `cause`.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
}
