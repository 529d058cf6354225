import { sql } from "drizzle-orm";
import { vi } from "vitest";

/** Counts the statements the database client is asked to run (PGlite: query; postgres.js: unsafe). Restore with vi.restoreAllMocks(). */
export function countStatements(db: { $client: unknown }) {
  const client = db.$client as Record<string, (...args: unknown[]) => unknown>;
  const method = typeof client.query === "function" && !("unsafe" in client) ? "query" : "unsafe";
  return vi.spyOn(client, method);
}

/**
 * The SQL text of a statement a countStatements spy saw. On PGlite a hot read is sent as `execute lm_<name>(…)`
 * of a statement prepared in the session (db/prepared.server.ts): its text is the prepared one.
 */
export async function statementText(db: { execute: (query: never) => Promise<unknown> }, sent: unknown): Promise<string> {
  const text = String(sent);
  const executed = /^execute (lm_\w+)/.exec(text);
  if (!executed) return text;
  const result = (await db.execute(sql`select statement from pg_prepared_statements where name = ${executed[1]}` as never)) as { rows?: { statement: string }[] } & { statement: string }[];
  const rows = result.rows ?? result;
  if (!rows[0]) throw new Error(`no prepared statement ${executed[1]}`);
  return rows[0].statement;
}
