import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { migrationsFolder, openDatabase } from "~db/client.server";
import { goals, people } from "~db/schema";
import { availableDbTargets, createScratchPostgresDatabase, createTestDatabase, dbTargetsFor, dropScratchPostgresDatabase, useTestDatabase } from "./db";
import { freshDataDir } from "./server";

const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: { when: number }[] };

describe("the engines database tests run on", () => {
  const url = "postgres://postgres@127.0.0.1:5432/postgres";

  it("is PostgreSQL alone when TEST_DATABASE_URL is set (CI), PGlite alone without it", () => {
    expect(dbTargetsFor({ TEST_DATABASE_URL: url })).toEqual(["postgres"]);
    expect(dbTargetsFor({})).toEqual(["pglite"]);
    expect(dbTargetsFor({ TEST_DATABASE_URL: "" })).toEqual(["pglite"]);
  });

  it("is both under TEST_DB_TARGETS=pglite,postgres or both, one under a single name", () => {
    expect(dbTargetsFor({ TEST_DATABASE_URL: url, TEST_DB_TARGETS: "pglite,postgres" })).toEqual(["pglite", "postgres"]);
    expect(dbTargetsFor({ TEST_DATABASE_URL: url, TEST_DB_TARGETS: "postgres, pglite" })).toEqual(["pglite", "postgres"]);
    expect(dbTargetsFor({ TEST_DATABASE_URL: url, TEST_DB_TARGETS: "both" })).toEqual(["pglite", "postgres"]);
    expect(dbTargetsFor({ TEST_DATABASE_URL: url, TEST_DB_TARGETS: "pglite" })).toEqual(["pglite"]);
    // Without a server, "both" is every engine there is.
    expect(dbTargetsFor({ TEST_DB_TARGETS: "both" })).toEqual(["pglite"]);
  });

  it("refuses an engine it cannot reach or does not know, rather than running on none", () => {
    expect(() => dbTargetsFor({ TEST_DB_TARGETS: "postgres" })).toThrow(/TEST_DATABASE_URL is not set/);
    expect(() => dbTargetsFor({ TEST_DATABASE_URL: url, TEST_DB_TARGETS: "mysql" })).toThrow(/unknown engine "mysql"/);
  });
});

// The setup itself on every engine there is: PostgreSQL's copies are the database tests', PGlite's the
// engine-parity test's and (its directory) the test servers'.
describe.each(availableDbTargets)("a test file's database (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it("is a copy of the run's template, not migrated by the file itself", async () => {
    const template = inject(target === "pglite" ? "pgliteTemplateDir" : "postgresTemplate");
    expect(template).toBeTruthy();
    if (target === "postgres") {
      // Copies are only possible while nobody is connected to the template: it refuses connections.
      const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        const rows = await admin`select datistemplate, datallowconn from pg_database where datname = ${template}`;
        expect(rows).toEqual([{ datistemplate: true, datallowconn: false }]);
      } finally {
        await admin.end();
      }
    }
  });

  it("has every migration in the migrations folder applied, and the reference data", async () => {
    // Built from the folder at the start of each run: a migration added since is in it.
    type Row = { created_at: string };
    // PGlite answers { rows }, postgres.js an array of rows.
    const applied = (await ctx.db.execute(sql`select created_at from drizzle.__drizzle_migrations order by created_at`)) as unknown as { rows?: Row[] } & Row[];
    const rows = applied.rows ?? applied;
    expect(rows.map((r) => Number(r.created_at))).toEqual(journal.entries.map((e) => e.when));
    expect(await ctx.db.select({ slug: goals.slug }).from(goals)).toHaveLength(5);
  });

  it("gives every caller its own copy: a write to one is not in another", async () => {
    const other = await createTestDatabase(target);
    let later: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    try {
      // A delete marks the rows in their existing page, and the checkpoint writes that page to the copy's
      // file in place: a copy whose files shared memory with the template's would pass it on to the next.
      await ctx.db.delete(goals);
      await ctx.db.execute(sql`checkpoint`);
      later = await createTestDatabase(target);
      expect(await later.db.select({ slug: goals.slug }).from(goals)).toHaveLength(5);
      await other.db.update(goals).set({ titleSv: "Ändrad i en kopia" });
      const theirs = await later.db.select({ titleSv: goals.titleSv }).from(goals);
      expect(theirs.map((g) => g.titleSv)).not.toContain("Ändrad i en kopia");
      expect(await other.db.select({ slug: goals.slug }).from(goals)).toHaveLength(5);
    } finally {
      await other.close();
      await later?.close();
    }
  });
});

const demoAdmin = "admin@example.com";

describe("a test server's data directory", () => {
  it("starts as a copy of the run's migrated PGlite, so the server neither runs initdb nor migrates", () => {
    const dataDir = freshDataDir({});
    expect(existsSync(path.join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(inject("pgliteTemplateDir"), "PG_VERSION"))).toBe(true);
  });

  it("has the demo data in it already, so the server's seeders find it in place; without it under DEMO_DATA=0", async () => {
    expect(inject("pgliteDemoTemplateDir")).not.toBe(inject("pgliteTemplateDir"));
    expect(existsSync(path.join(freshDataDir({ DEMO_DATA: "0" }), "pglite", "PG_VERSION"))).toBe(true);
    const client = new PGlite(path.join(freshDataDir({}), "pglite"));
    try {
      const { rows } = await client.query<{ demo: boolean }>("select demo from people where email = $1", [demoAdmin]);
      expect(rows).toEqual([{ demo: true }]);
    } finally {
      await client.close();
    }
  });

  it.runIf(!!process.env.TEST_DATABASE_URL)("on PostgreSQL, a server with the demo data starts from a template that has it", async () => {
    const plain = inject("postgresTemplate");
    const demo = inject("postgresDemoTemplate");
    expect(demo).toBeTruthy();
    expect(demo).not.toBe(plain);
    const url = await createScratchPostgresDatabase(demo);
    const database = await openDatabase({ databaseUrl: url.toString(), max: 1 });
    try {
      expect(await database.db.select({ demo: people.demo }).from(people).where(eq(people.email, demoAdmin))).toEqual([{ demo: true }]);
    } finally {
      await database.close();
      await dropScratchPostgresDatabase(url);
    }
  });

  it("is left empty for a server on PostgreSQL", () => {
    expect(existsSync(path.join(freshDataDir({ DATABASE_URL: "postgres://example.invalid/x" }), "pglite"))).toBe(false);
  });
});
