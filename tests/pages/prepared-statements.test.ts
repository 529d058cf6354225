import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "~db/client.server";
import { goals } from "~db/schema";
import { dbTargets, useTestDatabase } from "../setup/db";

/** The statement texts PostgreSQL holds prepared for the connection that asks. */
async function preparedTexts(db: Database["db"]): Promise<string[]> {
  const rows = await db.execute(sql`select statement from pg_prepared_statements`);
  return (rows as unknown as Array<{ statement: string }>).map((r) => r.statement);
}

// Prepared statements are a PostgreSQL connection's; PGlite runs each statement in process.
describe.runIf(dbTargets.includes("postgres"))("Drizzle's statements on PostgreSQL", () => {
  const ctx = useTestDatabase("postgres");
  let single: Database;
  beforeAll(async () => {
    // One connection, so that pg_prepared_statements is the connection's that ran the reads.
    single = await openDatabase({ databaseUrl: ctx.database.url, max: 1 });
  });
  afterAll(() => single?.close());

  it("are prepared once per connection and then only bound: a page's reads skip the second round trip", async () => {
    const read = (slug: string) => single.db.select({ number: goals.number }).from(goals).where(eq(goals.slug, slug));
    const [first] = await read("alla-ar-trygga");
    const [again] = await read("alla-ar-trygga");
    expect(first.number).toBeGreaterThan(0);
    expect(again).toEqual(first);
    const texts = await preparedTexts(single.db);
    expect(texts.filter((t) => t.includes('from "goals" where "goals"."slug" = $1'))).toHaveLength(1);
  });

  it("also inside a transaction (its connection comes from the same pool)", async () => {
    const number = await single.db.transaction(async (tx) => {
      const [row] = await tx.select({ number: goals.number }).from(goals).where(eq(goals.number, 3));
      return row.number;
    });
    expect(number).toBe(3);
    const texts = await preparedTexts(single.db);
    expect(texts.some((t) => t.includes('from "goals" where "goals"."number" = $1'))).toBe(true);
  });
});
