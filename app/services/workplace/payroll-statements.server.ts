import { sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import type { PayrollRun } from "~db/schema";
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

/** The confirmation's values as placeholders (Drizzle binds each with its column's encoder, as for a value; its types do not say so). */
export const confirmPlaceholders = {
  status: "confirmed",
  confirmedAt: sql.placeholder("now"),
  confirmedByPersonId: sql.placeholder("personId"),
  invoiceId: sql.placeholder("invoiceId"),
  employeesOre: sql.placeholder("employeesOre"),
  matchOre: sql.placeholder("matchOre"),
  updatedAt: sql.placeholder("now"),
} as unknown as Partial<PayrollRun>;

/** A new run's row, every column given (the caller returns the same values without reading them back). */
export const newRunValues = {
  id: sql.placeholder("id"),
  organisationId: sql.placeholder("organisationId"),
  programmeId: sql.placeholder("programmeId"),
  month: sql.placeholder("month"),
  status: sql`'draft'`,
  confirmedAt: sql`null`,
  confirmedByPersonId: sql`null`,
  invoiceId: sql`null`,
  employeesOre: sql.placeholder("employeesOre"),
  matchOre: sql`0`,
  differenceOre: sql`0`,
  attempt: sql`1`,
  createdAt: sql.placeholder("createdAt"),
  updatedAt: sql.placeholder("updatedAt"),
};
