import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { migrateDatabase, openDatabase, setDatabaseForTests, type Database } from "~db/client.server";
import { seedReferenceData } from "~db/seed";

export type DbTarget = "pglite" | "postgres";

/** Database tests run on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const dbTargets: DbTarget[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** A fresh, migrated database with reference data: in-memory PGlite, or a new database on the test server. */
export async function createTestDatabase(target: DbTarget): Promise<Database> {
  if (target === "pglite") {
    const database = await openDatabase({ pgliteDir: "memory://" });
    await migrateDatabase(database);
    await seedReferenceData(database.db);
    return database;
  }
  const url = await createScratchPostgresDatabase();
  const database = await openDatabase({ databaseUrl: url.toString() });
  await migrateDatabase(database);
  await seedReferenceData(database.db);
  return {
    ...database,
    close: async () => {
      await database.close();
      await dropScratchPostgresDatabase(url);
    },
  };
}

/** Creates an empty database on TEST_DATABASE_URL's server and returns its URL. */
export async function createScratchPostgresDatabase(): Promise<URL> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url;
}

export async function dropScratchPostgresDatabase(url: URL): Promise<void> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${url.pathname.slice(1)} with (force)`);
  } finally {
    await admin.end();
  }
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
