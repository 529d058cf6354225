import { vi } from "vitest";

/** Counts the statements the database client is asked to run (PGlite: query; postgres.js: unsafe). Restore with vi.restoreAllMocks(). */
export function countStatements(db: { $client: unknown }) {
  const client = db.$client as Record<string, (...args: unknown[]) => unknown>;
  const method = typeof client.query === "function" && !("unsafe" in client) ? "query" : "unsafe";
  return vi.spyOn(client, method);
}
