import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, pipelinedTransaction, type Database, type Tx } from "~db/client.server";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../setup/db";

/**
 * A transaction's connection that closes under it (what a PostgreSQL restart does to every
 * connection) must cost that transaction an error, never the process: postgres.js 3.4.9 writes a
 * later statement to the closed socket (an uncaught TypeError) and release() hands the dead
 * connection to the next query (db/client.server.ts, Reservation). Only our own backend is
 * terminated here, so the shared test server is not disturbed.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("a transaction whose connection closes (PostgreSQL)", () => {
  let url: URL;
  let database: Database;
  let admin: postgres.Sql;
  beforeAll(async () => {
    url = await createScratchPostgresDatabase();
    // Two connections: the one given back after the failure is the next query's connection.
    database = await openDatabase({ databaseUrl: url.toString(), max: 2 });
    admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await database?.close();
    await admin?.end();
    if (url) await dropScratchPostgresDatabase(url);
  });

  const terminateOwnBackend = async (tx: Tx) => {
    const [row] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[];
    await admin`select pg_terminate_backend(${row.pid})`;
    return row.pid;
  };

  /**
   * The pool answers again (dead connections reconnected), within a deadline. The first statement on
   * a reconnected connection may still fail: postgres.js keeps the server's "terminating connection"
   * error across the reconnect and gives it to that statement (a 5xx, once).
   */
  const poolAnswers = async () => {
    const round = () =>
      Promise.all(Array.from({ length: 6 }, () => database.db.execute(sql`select 1 as one`))).then(
        (answers) => answers.map((r) => (r as unknown as { one: number }[])[0].one).join(","),
        (error: Error) => error.message,
      );
    await expect.poll(round, { timeout: 10_000, interval: 100 }).toBe("1,1,1,1,1,1");
  };

  it("db.transaction on the guarded client still commits, rolls back and nests (savepoints)", async () => {
    const { db } = database;
    await db.execute(sql`create table if not exists tx_probe (v int)`);
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_probe values (1)`);
      await tx.transaction(async (inner) => {
        await inner.execute(sql`insert into tx_probe values (2)`);
      });
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into tx_probe values (3)`);
          throw new Error("inner fails");
        })
        .catch(() => undefined);
    });
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into tx_probe values (4)`);
        throw new Error("outer fails");
      })
      .catch(() => undefined);
    const rows = (await db.execute(sql`select v from tx_probe order by v`)) as unknown as { v: number }[];
    expect(rows.map((r) => r.v)).toEqual([1, 2]);
  });

  for (const [name, run] of [
    ["pipelinedTransaction", (fn: (tx: Tx) => Promise<unknown>) => pipelinedTransaction(database.db, fn, () => [sql`select 1`])],
    ["db.transaction", (fn: (tx: Tx) => Promise<unknown>) => database.db.transaction(fn)],
  ] as const) {
    it(`${name}: a statement after the close fails, the transaction fails, the pool recovers`, async () => {
      const outcome = await run(async (tx: Tx) => {
        await terminateOwnBackend(tx);
        // The server closes the connection; the next statement must fail, not reach a null socket.
        await expect.poll(async () => tx.execute(sql`select 1`).then(() => "answered", () => "failed"), { timeout: 5000 }).toBe("failed");
        await tx.execute(sql`select 2`);
      }).then(
        () => "committed",
        (error: Error) => error.message,
      );
      expect(outcome).not.toBe("committed");
      await poolAnswers();
    });

    it(`${name}: the connection closes while its statement runs; the error is the transaction's`, async () => {
      const outcome = await run(async (tx: Tx) => {
        const [row] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[];
        const sleeping = tx.execute(sql`select pg_sleep(5)`);
        await expect.poll(async () => (await admin`select count(*)::int as n from pg_stat_activity where pid = ${row.pid} and query like 'select pg_sleep%'`)[0].n, { timeout: 5000 }).toBe(1);
        await admin`select pg_terminate_backend(${row.pid})`;
        await sleeping;
      }).then(
        () => "committed",
        (error: Error) => error.message,
      );
      expect(outcome).not.toBe("committed");
      await poolAnswers();
    });
  }
});
