import { afterAll, beforeAll, inject } from "vitest";
import { setDatabaseForTests, type Database } from "~db/client.server";
import { copyTemplateDatabase, freshTestDatabase, type DbTarget } from "./global-db";

export { createScratchPostgresDatabase, dropScratchPostgresDatabase, type DbTarget } from "./global-db";

/** Database tests run on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const dbTargets: DbTarget[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/**
 * A migrated database with reference data, the caller's own: a copy of the run's template (built once
 * by tests/setup/global-db.ts), in-memory PGlite or a new database on TEST_DATABASE_URL's server.
 * Under a config without that globalSetup it is migrated from scratch, as before (slowly).
 */
export async function createTestDatabase(target: DbTarget): Promise<Database> {
  const template = inject(target === "pglite" ? "pgliteTemplateDir" : "postgresTemplate");
  return template ? copyTemplateDatabase(target, template) : freshTestDatabase(target);
}

/**
 * Registers hooks that give the test file a fresh database and make the app's `getDb()` use it.
 * Usage: `const ctx = useTestDatabase(target);` then `ctx.db` inside tests.
 */
export function useTestDatabase(target: DbTarget) {
  const ctx = {} as { database: Database; db: Database["db"] };
  beforeAll(async () => {
    ctx.database = await createTestDatabase(target);
    ctx.db = ctx.database.db;
    setDatabaseForTests(ctx.database);
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await ctx.database?.close();
  });
  return ctx;
}
