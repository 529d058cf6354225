import postgres from "postgres";

/*
 * Reserved connections that survive the database going away.
 *
 * postgres.js 3.4.9 (src/index.js, reserve() and begin()) sends a reserved connection's statements to
 * that connection without asking whether it is still open, and release() hands it back to the pool
 * as idle in any state. When PostgreSQL restarts (or a backend is terminated), the connection's
 * socket is closed and set to null (connection.js closed()); a statement sent after that, such as
 * the ROLLBACK after the failed statement, or the next pool query on the connection that release()
 * put back, is buffered for a setImmediate that calls socket.write on null: an uncaught TypeError
 * outside any promise, which ends the process (porsager/postgres#1199, #1208; no fix released).
 * Statements queued on a reserved connection that closes are also never settled.
 *
 * Every reserved connection (our pipelinedTransaction, and Drizzle's transactions, which call the
 * client's begin()) therefore goes through a Reservation: it learns which postgres.js connection
 * it holds (the `onexecute` hook postgres.js's own begin() uses), and that connection's `reserved`
 * slot, which postgres.js clears when the connection closes (index.js onclose()). Once that slot is
 * no longer ours, nothing more is sent (statements fail with CONNECTION_CLOSED, as they would have),
 * statements still waiting are failed (the pool's `onclose` hook), and the connection is not
 * released: the pool already has it back as closed, and reconnects it when it is next needed.
 */

/** postgres.js's connection object, as far as a Reservation looks at it (src/connection.js). */
interface DriverConnection {
  id: number;
  reserved: unknown;
}

export interface PostgresPool {
  /** The pool, as Drizzle and the app use it: begin() goes through a Reservation. */
  client: postgres.Sql;
  raw: postgres.Sql;
  /** Reservations by postgres.js connection id, to fail their waiting statements when it closes. */
  reserved: Map<number, Reservation>;
  /** reserve() calls not answered yet; a connection closing gives each of them a deadline. */
  reserving: Set<{ closeSeen(): void }>;
}

export function postgresPool(url: string, max: number): PostgresPool {
  ignoreLostTypeFetch();
  const reserved = new Map<number, Reservation>();
  const reserving = new Set<{ closeSeen(): void }>();
  const onclose = (id: number) => {
    reserved.get(id)?.lost(connectionClosed());
    for (const waiter of reserving) waiter.closeSeen();
  };
  // Reconnecting: postgres.js's default waits 3^n/100 s after the pool's n-th failed attempt in a row
  // (shared by all its connections), up to 20 s; ten connections failing through a one-second
  // restart reach that cap, so the app stayed without a database for 20 s after it was back. At most
  // a second between attempts instead (a handful of local connections, not a thundering herd).
  const backoff = (attempts: number) => Math.min(0.02 * 2 ** attempts, 1) * (0.5 + Math.random() / 2);
  const raw = postgres(url, { max, onnotice: () => {}, onclose, backoff });
  const begin = (modeOrFn: string | ((sql: unknown) => unknown), maybeFn?: (sql: unknown) => unknown) =>
    typeof modeOrFn === "function" ? guardedBegin(pool, "", modeOrFn) : guardedBegin(pool, modeOrFn, maybeFn!);
  // A function with properties: everything but begin() and unsafe() is postgres.js's own (they do not use `this`).
  const unsafe = (text: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) => raw.unsafe(text, params as never[], prepared(options));
  const client = new Proxy(raw, { get: (target, key) => (key === "begin" ? begin : key === "unsafe" ? unsafe : Reflect.get(target, key)) });
  const pool: PostgresPool = { client, raw, reserved, reserving };
  return pool;
}

/**
 * Drizzle's statements as named prepared statements, which is postgres.js's own default: Drizzle asks
 * for unnamed ones (`prepare: false`) unless a query is given a name, and for an unnamed statement with
 * parameters postgres.js first sends Parse and Describe and waits for the answer before it binds: two
 * round trips, and PostgreSQL parses and plans the text again every time. Prepared, a statement seen
 * before on that connection is one Bind/Execute. postgres.js keeps them per connection, by text and
 * parameter types, and retires connections after 30–60 minutes (max_lifetime); the app's statements
 * are a fixed set of texts (lists vary only in their number of parameters), so the set stays small.
 */
export function prepared(options?: postgres.UnsafeQueryOptions): postgres.UnsafeQueryOptions {
  return { ...options, prepare: true };
}

/**
 * The one rejection of postgres.js that nobody can handle, and that is harmless: after connecting,
 * a connection asks for the array types (connection.js fetchArrayTypes(), an async function whose
 * promise ReadyForQuery() drops). If the connection closes during that query (the database restarts
 * just as the pool reconnects), the rejection is unhandled, and Node ends the process on it. The
 * connection is closed and fetches the types again when it next connects; no statement of ours was
 * involved. Only that rejection (a connection error on that query's text) is let pass, with a line
 * in the log; any other unhandled rejection is thrown, as Node does without a handler.
 */
function ignoreLostTypeFetch() {
  if (typeFetchGuarded) return;
  typeFetchGuarded = true;
  process.on("unhandledRejection", (reason) => {
    const query = (reason as { query?: unknown } | null)?.query;
    if (isConnectionError(reason) && typeof query === "string" && query.includes("b.typarray") && query.includes("pg_catalog.pg_type")) {
      console.warn(`[db] a connection closed while it fetched the array types (${(reason as Error).message}); it fetches them again when it reconnects`);
      return;
    }
    throw reason;
  });
}
let typeFetchGuarded = false;

/** How long a reserve() may still take once a connection closed while it waited (see reserveConnection). */
const RESERVE_AFTER_CLOSE_MS = 5_000;

/**
 * pool.reserve(), bounded when the pool lost a connection meanwhile. When a connection closes while
 * reserve() calls wait, postgres.js reconnects it for the first of them (index.js onclose()), and
 * once connected drops that request without answering it (connection.js ReadyForQuery(): `initial`
 * is set to null for a reservation); the connection itself goes back to the pool. That caller would
 * wait for ever (a webhook that never answers), so a waiting reserve() fails once a close was seen
 * and it is still unanswered a few seconds later; a connection that arrives after that is released.
 */
function reserveConnection(pool: PostgresPool): Promise<postgres.ReservedSql> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const waiter = {
      closeSeen() {
        timer ??= setTimeout(() => {
          pool.reserving.delete(waiter);
          reject(Object.assign(new Error("no database connection: the pool lost one while this request waited for it"), { code: "CONNECTION_CLOSED" }));
        }, RESERVE_AFTER_CLOSE_MS);
      },
    };
    pool.reserving.add(waiter);
    pool.raw.reserve().then(
      (reserved) => {
        clearTimeout(timer);
        if (!pool.reserving.delete(waiter)) return reserved.release(); // too late: given up above
        resolve(reserved);
      },
      (error: unknown) => {
        clearTimeout(timer);
        pool.reserving.delete(waiter);
        reject(error);
      },
    );
  });
}

function connectionClosed(): Error {
  return Object.assign(new Error("the database connection closed during the transaction"), { code: "CONNECTION_CLOSED" });
}

/** The errors postgres.js gives when the connection itself failed (not an error answered by the server). */
function isConnectionError(error: unknown): boolean {
  if (error instanceof postgres.PostgresError) return error.severity === "FATAL" || error.severity === "PANIC";
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("CONNECTION_") || code === "CONNECT_TIMEOUT" || /^E[A-Z]+$/.test(code));
}

interface QueryResult {
  command: string;
}

export class Reservation {
  private connection?: DriverConnection;
  private owner: unknown;
  private failure?: Error;
  private readonly waiting = new Set<(error: Error) => void>();

  private constructor(
    private readonly pool: PostgresPool,
    private readonly sql: postgres.ReservedSql,
  ) {}

  static async open(pool: PostgresPool): Promise<Reservation> {
    return new Reservation(pool, await reserveConnection(pool));
  }

  /** Still ours and open: postgres.js clears the connection's `reserved` slot when it closes. */
  get usable(): boolean {
    if (!this.failure && this.connection && this.connection.reserved !== this.owner) this.lost(connectionClosed());
    return !this.failure;
  }

  /** The connection closed: fail what waits on it, send nothing more. */
  lost(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    if (this.connection) this.pool.reserved.delete(this.connection.id);
    for (const fail of this.waiting) fail(error);
    this.waiting.clear();
  }

  /** One statement, sent now. */
  send(text: string, params: unknown[] = [], options: postgres.UnsafeQueryOptions = {}, values = false): Promise<QueryResult & unknown[]> {
    if (!this.usable) return Promise.reject(this.failure);
    // Until the connection is known, each statement asks for it; postgres.js calls this as it writes.
    const onexecute = this.connection
      ? undefined
      : (connection: DriverConnection) => {
          this.adopt(connection);
          return true; // what execute() answers for a statement written in full
        };
    const query = this.sql.unsafe(text, params as never[], (onexecute ? { ...options, onexecute } : options) as postgres.UnsafeQueryOptions);
    const pending = values ? query.values() : query;
    return new Promise((resolve, reject) => {
      this.waiting.add(reject);
      pending.then(
        (rows) => {
          this.waiting.delete(reject);
          resolve(rows as never);
        },
        (error: unknown) => {
          this.waiting.delete(reject);
          // The connection failed (it is closing, if not closed yet): also when it was not known yet.
          if (isConnectionError(error)) this.lost(error as Error);
          reject(error);
        },
      );
      pending.execute();
    });
  }

  private adopt(connection: DriverConnection) {
    if (this.connection) return;
    this.connection = connection;
    this.owner = connection.reserved;
    this.pool.reserved.set(connection.id, this);
  }

  /** What Drizzle's session calls on a transaction's client: unsafe(), unsafe().values(), savepoint(). */
  get client() {
    const statement = (text: string, params: unknown[] = [], options: postgres.UnsafeQueryOptions = {}) => {
      let started: Promise<unknown> | undefined;
      const run = (values: boolean) => (started ??= this.send(text, params, prepared(options), values));
      const rows = {
        values: () => ({ then: (ok: never, fail: never) => run(true).then(ok, fail) }),
        then: (ok: never, fail: never) => run(false).then(ok, fail),
      };
      return rows;
    };
    let savepoints = 0;
    const client = {
      unsafe: statement,
      savepoint: async <T>(fn: (sql: unknown) => Promise<T>): Promise<T> => {
        const name = `s${savepoints++}`;
        await this.send(`savepoint ${name}`);
        try {
          const result = await fn(client);
          await this.send(`release savepoint ${name}`);
          return result;
        } catch (error) {
          if (this.usable) await this.send(`rollback to savepoint ${name}`).catch(() => undefined);
          throw error;
        }
      },
    };
    return client;
  }

  /** Back to the pool, unless it closed: then the pool already has it (as closed). */
  release(): void {
    if (this.connection) this.pool.reserved.delete(this.connection.id);
    if (this.usable) this.sql.release();
  }
}

/** postgres.js's begin(), on a Reservation: Drizzle's db.transaction() comes here. */
async function guardedBegin<T>(pool: PostgresPool, mode: string, fn: (sql: unknown) => T | Promise<T>): Promise<T> {
  const connection = await Reservation.open(pool);
  try {
    await connection.send(`begin ${mode.replace(/[^a-z ]/gi, "")}`);
    const result = await fn(connection.client);
    const done = await connection.send("commit");
    if (done.command !== "COMMIT") throw new Error(`transaction not committed (${done.command})`);
    return result;
  } catch (error) {
    if (connection.usable) await connection.send("rollback").catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

