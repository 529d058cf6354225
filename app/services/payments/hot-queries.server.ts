import type { SQL } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import type { WriteShape } from "./deferred-writes.server";

/**
 * The statements every Stripe event runs (the event id, the payment's row, its ledger entries) are
 * built once with placeholders and then only executed: Drizzle's query building costs 30–130 µs a
 * statement, about a sixth of an event's CPU on the webhook path. Whether PostgreSQL prepares a
 * statement is not decided here: on PostgreSQL every statement of the app is prepared (`prepared()` in
 * db/postgres-pool.server.ts is the one switch).
 *
 * The Stripe path owns one `PreparedStatements` per database (stripe-path.server.ts) and passes it
 * down in its WriteBatch. Code given none (invoices, BgMax, corrections calling the payments core)
 * runs the same query built anew each time.
 *
 * A Drizzle prepared query belongs to the session it was made on; each execution here runs a copy
 * bound to the current transaction's client. Works on both drivers (postgres.js and PGlite).
 */
interface PreparedLike {
  client: unknown;
  execute(values?: Record<string, unknown>): Promise<unknown>;
}
interface SessionLike {
  client: unknown;
  prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): PreparedLike;
}
type Dialect = { sqlToQuery(s: SQL): { sql: string; params: unknown[] } };
type Built = { prepare(name: string): unknown; execute(values?: Record<string, unknown>): Promise<unknown> };

const sessionOf = (tx: Db | Tx) => (tx as unknown as { session: SessionLike }).session;
const dialectOf = (tx: Db | Tx) => (tx as unknown as { dialect: Dialect }).dialect;
const rowsOf = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** At most this many deferred-write shapes are kept per database. */
export const SHAPES_MAX = 500;

export class PreparedStatements {
  private readonly byName = new Map<string, PreparedLike>();
  private readonly shapes = new Map<string, WriteShape>();

  /** How many deferred-write shapes are kept (for tests). */
  get shapeCount(): number {
    return this.shapes.size;
  }

  /**
   * A deferred write's text and parameters for this shape (deferred-writes.server.ts), made once. The
   * shapes are bounded (SHAPES_MAX; the oldest goes first): a shape is which columns a write sets, so
   * there are a few dozen in practice, but nothing else would stop the map from growing.
   */
  shape(key: string, make: () => WriteShape): WriteShape {
    let shape = this.shapes.get(key);
    if (!shape) {
      this.shapes.set(key, (shape = make()));
      if (this.shapes.size > SHAPES_MAX) this.shapes.delete(this.shapes.keys().next().value!);
    }
    return shape;
  }

  private prepared(tx: Db | Tx, name: string, make: (session: SessionLike) => PreparedLike): PreparedLike {
    const session = sessionOf(tx);
    let query = this.byName.get(name);
    if (!query) this.byName.set(name, (query = make(session)));
    // Same statement, this transaction's connection.
    return Object.assign(Object.create(Object.getPrototypeOf(query)) as PreparedLike, query, { client: session.client });
  }

  built<T>(tx: Db | Tx, name: string, build: () => Built, values: Record<string, unknown>): Promise<T[]> {
    return this.prepared(tx, name, () => build().prepare(name) as PreparedLike).execute(values) as Promise<T[]>;
  }

  async raw<T>(tx: Db | Tx, name: string, build: () => SQL, values: Record<string, unknown>): Promise<T[]> {
    const query = this.prepared(tx, name, (session) => session.prepareQuery(dialectOf(tx).sqlToQuery(build()), undefined, name, false));
    return rowsOf<T>(await query.execute(values));
  }
}

/** A Drizzle select/insert/update builder with placeholders, run with these values; rows as Drizzle maps them. */
export function runBuilt<T>(tx: Db | Tx, name: string, build: () => Built, values: Record<string, unknown>, statements?: PreparedStatements): Promise<T[]> {
  if (statements) return statements.built<T>(tx, name, build, values);
  return build().execute(values) as Promise<T[]>;
}

/** Raw SQL with placeholders, run with these values; rows as the driver returns them. */
export async function runRaw<T>(tx: Db | Tx, name: string, build: () => SQL, values: Record<string, unknown>, statements?: PreparedStatements): Promise<T[]> {
  if (statements) return statements.raw<T>(tx, name, build, values);
  return rowsOf<T>(await sessionOf(tx).prepareQuery(dialectOf(tx).sqlToQuery(build()), undefined, undefined, false).execute(values));
}
