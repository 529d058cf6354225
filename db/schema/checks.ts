import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * `column in ('a', 'b', …)` written from a TypeScript constant, for a CHECK constraint: the constant
 * is the one list, so adding a value to it changes the constraint in the next generated migration.
 * The values are inlined as literals (a CHECK cannot take parameters); quotes are doubled anyway.
 */
export function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  if (values.length === 0) throw new Error(`oneOf(${column.name}): no values`);
  const literals = values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ");
  return sql`${column} in (${sql.raw(literals)})`;
}
