import { afterAll, beforeAll, inject } from "vitest";
import { setDatabaseForTests, type Database } from "~db/client.server";
import { copyTemplateDatabase, freshTestDatabase, whenPgliteTemplatesReady, type DbTarget } from "./global-db";

export { createScratchPostgresDatabase, dropScratchPostgresDatabase, type DbTarget } from "./global-db";

/**
 * The engines a database test runs on: PostgreSQL (production's) when TEST_DATABASE_URL is set (CI sets
 * it), else PGlite. One engine per test, not both: in CI every database test ran twice, and about a
 * third of a file's worker CPU was the second engine (8 service files: 49.0 CPU-s on both, 33.0 on one).
 * PGlite stays covered in CI by the test servers (on PGlite unless given a DATABASE_URL) and by
 * tests/foundation/engine-parity.test.ts, which runs on `availableDbTargets` (both) and exercises what
 * the two drivers do differently. TEST_DB_TARGETS=pglite,postgres (or `both`) brings back both
 * engines everywhere; `pglite` or `postgres` picks one.
 */
export function dbTargetsFor(env: Record<string, string | undefined>): DbTarget[] {
  const available = availableDbTargetsFor(env);
  const asked = env.TEST_DB_TARGETS?.trim();
  if (!asked) return env.TEST_DATABASE_URL ? ["postgres"] : ["pglite"];
  const names = asked === "both" ? available : asked.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (name !== "pglite" && name !== "postgres") throw new Error(`TEST_DB_TARGETS: unknown engine "${name}" (pglite, postgres or both)`);
    if (!available.includes(name)) throw new Error(`TEST_DB_TARGETS asks for ${name}, but TEST_DATABASE_URL is not set`);
  }
  return available.filter((target) => names.includes(target));
}

/** Every engine this run can reach: PGlite, and PostgreSQL when TEST_DATABASE_URL is set. */
export function availableDbTargetsFor(env: Record<string, string | undefined>): DbTarget[] {
  return env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export const dbTargets: DbTarget[] = dbTargetsFor(process.env);
/** For the few files that must run on every engine there is (the engine-parity test, the test setup's own). */
export const availableDbTargets: DbTarget[] = availableDbTargetsFor(process.env);

/**
 * A migrated database with reference data, the caller's own: a copy of the run's template (built once
 * by tests/setup/global-db.ts), in-memory PGlite or a new database on TEST_DATABASE_URL's server.
 * Under a config without that globalSetup it is migrated from scratch, as before (slowly).
 */
export async function createTestDatabase(target: DbTarget): Promise<Database> {
  const template = inject(target === "pglite" ? "pgliteTemplateDir" : "postgresTemplate");
  if (!template) return freshTestDatabase(target);
  // The globalSetup builds PGlite's template while the first files run.
  if (target === "pglite") await whenPgliteTemplatesReady(template);
  return copyTemplateDatabase(target, template);
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
