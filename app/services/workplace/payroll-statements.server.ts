import type { Db, Tx } from "~db/client.server";
import { PreparedStatements } from "~/services/payments/hot-queries.server";

/**
 * The payroll month's statements (the run, the files, the confirmation), built once with placeholders
 * and run as named prepared statements, as the Stripe path runs its hot ones (hot-queries.server.ts).
 *
 * Why: postgres.js sends a statement that has parameters and no name in two round trips (Parse and
 * Describe, then Bind and Execute, once the parameter types are known), and holds the connection
 * until it is answered, so nothing else goes with it. A named statement prepared on the connection
 * goes in one, and several sent together (Promise.all on a transaction's connection) share one round
 * trip. A month of 200 employers went from 54 round trips per employer to a handful (bench:payroll).
 * Like the Stripe path, this needs a pooler (if any) in session mode (docs/payments.md).
 *
 * One set per database handle: a test file runs PGlite and PostgreSQL in one process.
 */
const byDb = new WeakMap<Db | Tx, PreparedStatements>();

/** The set for a database handle (given a transaction, a set of its own: still prepared on the connection). */
export function payrollStatements(db: Db | Tx): PreparedStatements {
  let statements = byDb.get(db);
  if (!statements) byDb.set(db, (statements = new PreparedStatements()));
  return statements;
}

/** PostgreSQL's unique_violation, as both drivers report it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "23505";
}
