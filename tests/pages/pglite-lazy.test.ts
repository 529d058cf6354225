import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

// Loading PGlite at all fails this file: a server on PostgreSQL must not load it (~80 MB per process).
vi.mock("@electric-sql/pglite", () => {
  throw new Error("PGlite was loaded");
});

describe.runIf(!!process.env.TEST_DATABASE_URL)("the database client on PostgreSQL", () => {
  it("opens and queries PostgreSQL without loading PGlite", async () => {
    const { openDatabase } = await import("~db/client.server");
    const database = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, max: 1 });
    try {
      const rows = (await database.db.execute(sql`select 41 + 1 as answer`)) as unknown as Array<{ answer: number }>;
      expect(rows[0].answer).toBe(42);
    } finally {
      await database.close();
    }
  });
});
