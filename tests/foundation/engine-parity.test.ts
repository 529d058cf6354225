import { and, eq, gt, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, pipelinedTransaction, type Database } from "~db/client.server";
import { jsonRows } from "~db/json-rows";
import { crmInteractions, jobs, ledgerEntries, organisations } from "~db/schema";
import { Conflict } from "~/services/errors";
import { exportCsv } from "~/services/exports/csv-export.server";
import { readAll } from "~/services/exports/stream.server";
import { goalPage } from "~/services/goals/goal-page.server";
import { getGoal } from "~/services/goals/goals.server";
import { enqueueJob, registerJobHandler, runDueJobsOnce, unregisterJobHandler } from "~/services/jobs/jobs.server";
import { updateOrganisation } from "~/services/organisations/details.server";
import { giveTo, makeCollection } from "../collections/owner-helpers";
import { createOrganisation, createPaidGift, createPerson, createStaff, goalId } from "../factories";
import { usePaymentEnv } from "../payments/helpers";
import { staffContext } from "../setup/contexts";
import { availableDbTargets, createTestDatabase, useTestDatabase } from "../setup/db";

/*
 * The app's database code on both engines it runs on: PostgreSQL through drizzle's postgres-js adapter
 * (production, and every other database test in CI) and PGlite through drizzle's pglite adapter (a
 * developer's `npm start`, every test server, and every database test without TEST_DATABASE_URL).
 * Since database tests run on one engine (tests/setup/db.ts), this file is what runs the same code on
 * both in CI. Each case is here because the two drivers do it differently, or could:
 *
 * - bigint money: öre columns are bigint in "bigint" mode; the drivers parse int8 differently (postgres.js
 *   as text, PGlite by its own parsers) and serialise a BigInt parameter differently. Beyond 2^53 a
 *   number would lose the last öre. Sums come back as `::text` (raisedColumn) and go through BigInt.
 * - timestamps with time zone and dates: each driver has its own parsers for timestamptz and date, and
 *   the session's time zone may differ; a Date must come back to the millisecond, a `date` column as the
 *   same calendar day (mode "string"), and a timestamp inside json (what the `…FromJson` reads parse) as
 *   the same instant.
 * - json/jsonb: postgres.js and PGlite serialise a jsonb parameter themselves (a driver that stringifies
 *   it once too often stores a json string, not an object), and return json parsed or as text:
 *   jsonRows and the goal page's one-statement read (goal-page.server.ts) depend on it.
 * - a transaction that rolls back: drizzle's transaction on each adapter, and pipelinedTransaction, which
 *   is a hand-made pipeline on postgres.js (BEGIN, the last writes and COMMIT in one flight) and plain
 *   db.transaction on PGlite: a failed last write must leave nothing behind on either.
 * - a unique violation becoming the service's Conflict: the service reads the SQLSTATE off the error,
 *   which drizzle wraps (DrizzleQueryError) around each driver's own error class.
 * - the jobs queue's claim: UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING; on
 *   PostgreSQL a job another connection holds is skipped, not waited for.
 * - prepared queries (preparedQuery): built once per database handle and executed with placeholders;
 *   each handle must read its own database (this file holds a PGlite and a PostgreSQL handle in one
 *   process, and two of each engine).
 * - raw SQL's rows: db.execute answers an array on postgres.js and `{ rows }` on PGlite; the CSV export's
 *   cursor (stream.server.ts) reads them.
 * - the ledger's append-only trigger (migration 0001): plpgsql raising check_violation, on both.
 * - a small flow through real services: a paid gift (dispatchStripeEvent) lands in the ledger and in the
 *   goal page's totals and its collection list, and in the ledger CSV.
 */

/** 2^53 + 1 öre: the smallest amount a JavaScript number cannot hold. */
const BEYOND_NUMBER = 9_007_199_254_740_993n;

/** The SQLSTATE of a failed statement, under drizzle's wrapper or not. */
const byId = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

const sqlState = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.cause?.code ?? e?.code;
};

describe.each(availableDbTargets)("the app's database code on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => {
    usePaymentEnv();
  });

  it("bigint money: öre beyond 2^53 round-trip exactly as BigInt, as a parameter and through a ::text sum", async () => {
    const goal = await goalId(ctx.db, "alla-ar-trygga");
    const before = BigInt((await getGoal(ctx.db, "alla-ar-trygga", "sv")).raisedOre);
    const [written] = await ctx.db
      .insert(ledgerEntries)
      .values({ goalId: goal, amountOre: BEYOND_NUMBER, channel: "one_off_gift", kind: "correction", entryKey: `corr:parity-big:${goal}`, author: "test" })
      .returning();
    expect(typeof written.id).toBe("bigint");
    expect(written.amountOre).toBe(BEYOND_NUMBER);
    const found = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.amountOre, BEYOND_NUMBER));
    expect(found.map((e) => e.id)).toEqual([written.id]);
    expect(found[0].amountOre).toBe(BEYOND_NUMBER);
    const [byId] = await ctx.db.select({ amountOre: ledgerEntries.amountOre }).from(ledgerEntries).where(eq(ledgerEntries.id, written.id));
    expect(byId.amountOre).toBe(BEYOND_NUMBER);
    expect(BigInt((await getGoal(ctx.db, "alla-ar-trygga", "sv")).raisedOre) - before).toBe(BEYOND_NUMBER);
    // Taken back again, so the goal's balance stays one a page could show.
    await ctx.db.insert(ledgerEntries).values({ goalId: goal, amountOre: -BEYOND_NUMBER, channel: "one_off_gift", kind: "correction", entryKey: `corr:parity-big-back:${goal}`, author: "test" });
    expect(BigInt((await getGoal(ctx.db, "alla-ar-trygga", "sv")).raisedOre)).toBe(before);
  });

  it("timestamps with time zone to the millisecond, as parameters too; dates as the same day; a timestamp in json as the same instant", async () => {
    const goal = await goalId(ctx.db, "alla-ar-trygga");
    // Stockholm's clocks go forward at 01:00 UTC that night: a driver converting through local time would shift it.
    const at = new Date("2026-03-29T00:59:59.987Z");
    const [entry] = await ctx.db
      .insert(ledgerEntries)
      .values({ goalId: goal, amountOre: 1n, channel: "one_off_gift", kind: "correction", entryKey: `corr:parity-time:${goal}`, author: "test", createdAt: at })
      .returning();
    expect(entry.createdAt).toBeInstanceOf(Date);
    expect(entry.createdAt.getTime()).toBe(at.getTime());
    const [read] = await ctx.db.select({ createdAt: ledgerEntries.createdAt }).from(ledgerEntries).where(eq(ledgerEntries.id, entry.id));
    expect(read.createdAt.toISOString()).toBe("2026-03-29T00:59:59.987Z");
    const ofEntry = eq(ledgerEntries.id, entry.id);
    expect(await ctx.db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(and(ofEntry, gte(ledgerEntries.createdAt, at)))).toHaveLength(1);
    expect(await ctx.db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(and(ofEntry, gt(ledgerEntries.createdAt, at)))).toHaveLength(0);
    const [inJson] = await ctx.db.select({ json: sql<unknown>`json_build_object('at', ${ledgerEntries.createdAt})` }).from(ledgerEntries).where(ofEntry);
    const json = typeof inJson.json === "string" ? JSON.parse(inJson.json) : inJson.json;
    expect(new Date((json as { at: string }).at).getTime()).toBe(at.getTime());

    const org = await createOrganisation(ctx.db, { name: "Datum AB" });
    const [interaction] = await ctx.db.insert(crmInteractions).values({ organisationId: org.id, kind: "note", occurredOn: "2026-03-29", text: "Samtal" }).returning();
    expect(interaction.occurredOn).toBe("2026-03-29");
    const [day] = await ctx.db
      .select({ occurredOn: crmInteractions.occurredOn, asText: sql<string>`${crmInteractions.occurredOn}::text` })
      .from(crmInteractions)
      .where(and(eq(crmInteractions.id, interaction.id), eq(crmInteractions.occurredOn, "2026-03-29")));
    expect(day).toEqual({ occurredOn: "2026-03-29", asText: "2026-03-29" });
  });

  it("jsonb is stored as the object it was given and read back equal; json_agg reads through jsonRows, none as []", async () => {
    const payload = { name: "Åsa Öberg", amountOre: "9007199254740993", nested: { list: [1, 2.5, null, true], empty: {} }, quote: 'a "b" \\ c' };
    const id = (await enqueueJob(ctx.db, { kind: `parity_json_${target}`, payload, runAt: new Date(Date.now() + 3600_000) }))!;
    const [row] = await ctx.db
      .select({ payload: jobs.payload, type: sql<string>`jsonb_typeof(${jobs.payload})`, name: sql<string>`${jobs.payload}->>'name'`, second: sql<string>`(${jobs.payload}->'nested'->'list'->>1)` })
      .from(jobs)
      .where(eq(jobs.id, id));
    expect(row).toEqual({ payload, type: "object", name: "Åsa Öberg", second: "2.5" });

    const [agg] = await ctx.db
      .select({
        some: sql<unknown>`(select json_agg(json_build_object('slug', g.slug, 'number', g.number) order by g.number) from goals g)`,
        none: sql<unknown>`(select json_agg(g.slug) from goals g where false)`,
      })
      .from(jobs)
      .where(eq(jobs.id, id));
    const goalsRead = jsonRows<{ slug: string; number: number }>(agg.some);
    expect(goalsRead).toHaveLength(5);
    expect(goalsRead[0]).toEqual({ slug: expect.any(String), number: 1 });
    expect(jsonRows(agg.none)).toEqual([]);
  });

  it("a transaction that throws or rolls back leaves nothing; a pipelined one whose last write fails leaves nothing either", async () => {
    const goal = await goalId(ctx.db, "alla-ar-trygga");
    const keyed = (key: string) => ctx.db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.entryKey, key));
    const entry = (key: string, amountOre = 100n) => ({ goalId: goal, amountOre, channel: "one_off_gift", kind: "correction", entryKey: key, author: "test" });

    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.insert(ledgerEntries).values(entry("corr:parity-thrown"));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await keyed("corr:parity-thrown")).toEqual([]);

    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.insert(ledgerEntries).values(entry("corr:parity-rolled-back"));
        tx.rollback();
      }),
    ).rejects.toThrow(/rollback/i);
    expect(await keyed("corr:parity-rolled-back")).toEqual([]);

    // The last write breaks ledger_entries_nonzero: the write before it is rolled back with it.
    const failed = await pipelinedTransaction(
      ctx.db,
      async (tx) => {
        await tx.insert(ledgerEntries).values(entry("corr:parity-pipelined-first"));
      },
      (tx) => [sql`insert into ledger_entries (goal_id, amount_ore, channel, kind, entry_key) values (${goal}, 0, 'one_off_gift', 'correction', 'corr:parity-pipelined-zero')`],
    ).catch((e: unknown) => e);
    expect(sqlState(failed)).toBe("23514");
    expect(await keyed("corr:parity-pipelined-first")).toEqual([]);
    expect(await keyed("corr:parity-pipelined-zero")).toEqual([]);

    // And one whose writes are fine commits both.
    await pipelinedTransaction(
      ctx.db,
      async (tx) => {
        await tx.insert(ledgerEntries).values(entry("corr:parity-pipelined-ok"));
      },
      () => [sql`insert into ledger_entries (goal_id, amount_ore, channel, kind, entry_key) values (${goal}, -100, 'one_off_gift', 'correction', 'corr:parity-pipelined-ok-back')`],
    );
    expect(await keyed("corr:parity-pipelined-ok")).toHaveLength(1);
    expect(await keyed("corr:parity-pipelined-ok-back")).toHaveLength(1);
  });

  it("a unique violation at the update (another organisation took the number after the check) is the service's Conflict", async () => {
    const staff = staffContext(ctx.db, (await createStaff(ctx.db)).id, "admin");
    const org = await createOrganisation(ctx.db, { name: "Långsam AB" });
    // The race, made certain: just before the update writes its row, another organisation takes the number.
    await ctx.db.execute(sql`create function parity_take_number_first() returns trigger language plpgsql as $$
      begin
        if new.org_number is distinct from old.org_number then
          insert into organisations (name, org_number) values ('Snabb AB', new.org_number);
        end if;
        return new;
      end $$`);
    await ctx.db.execute(sql`create trigger parity_take_number_first before update on organisations for each row execute function parity_take_number_first()`);
    try {
      const error = await updateOrganisation(staff, org.id, { name: "Långsam AB", orgNumber: "802005-1952" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ status: 409, message: "organisation_exists" });
    } finally {
      await ctx.db.execute(sql`drop trigger parity_take_number_first on organisations`);
      await ctx.db.execute(sql`drop function parity_take_number_first()`);
    }
    // Rolled back: neither the update nor the trigger's organisation is there.
    expect(await ctx.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.orgNumber, "802005-1952"))).toEqual([]);
  });

  it("the jobs queue claims due jobs once (FOR UPDATE SKIP LOCKED); on PostgreSQL it skips a job another connection holds", async () => {
    const kind = `parity_claim_${target}`;
    const runs: bigint[] = [];
    registerJobHandler(kind, async ({ job }) => {
      runs.push(job.id);
    });
    let other: Database | undefined;
    try {
      const past = new Date(Date.now() - 60_000);
      const due: bigint[] = [];
      for (let i = 0; i < 3; i++) due.push((await enqueueJob(ctx.db, { kind, runAt: past, payload: { i } }))!);
      const later = (await enqueueJob(ctx.db, { kind, runAt: new Date(Date.now() + 3600_000) }))!;
      if (target === "postgres") {
        // Another app instance's connection holds the first job (its claim statement, still open).
        other = await openDatabase({ databaseUrl: ctx.database.url, max: 1 });
        let locked!: () => void;
        let release!: () => void;
        const isLocked = new Promise<void>((r) => (locked = r));
        const released = new Promise<void>((r) => (release = r));
        const holder = other.db.transaction(async (tx) => {
          await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, due[0])).for("update");
          locked();
          await released;
        });
        await isLocked;
        const first = await runDueJobsOnce({ db: ctx.db, kinds: [kind] });
        release();
        await holder;
        expect(first).toMatchObject({ claimed: 2, done: 2 });
        expect([...runs].sort(byId)).toEqual([due[1], due[2]]);
      }
      const rest = await runDueJobsOnce({ db: ctx.db, kinds: [kind] });
      expect(rest.claimed).toBe(target === "postgres" ? 1 : 3);
      expect(await runDueJobsOnce({ db: ctx.db, kinds: [kind] })).toMatchObject({ claimed: 0 });
      expect([...runs].sort(byId)).toEqual(due);
      const rows = await ctx.db.select({ id: jobs.id, status: jobs.status, attempts: jobs.attempts }).from(jobs).where(eq(jobs.kind, kind));
      expect(rows.sort((a, b) => byId(a.id, b.id))).toEqual([...due.map((id) => ({ id, status: "done", attempts: 1 })), { id: later, status: "queued", attempts: 0 }]);
    } finally {
      unregisterJobHandler(kind);
      await other?.close();
    }
  });

  it("the ledger's trigger refuses an UPDATE and a DELETE (check_violation); the entry stays as written", async () => {
    const goal = await goalId(ctx.db, "alla-ar-trygga");
    const [entry] = await ctx.db
      .insert(ledgerEntries)
      .values({ goalId: goal, amountOre: 500n, channel: "one_off_gift", kind: "correction", entryKey: `corr:parity-append-only:${goal}`, author: "test" })
      .returning();
    const update = await ctx.db.update(ledgerEntries).set({ amountOre: 1n }).where(eq(ledgerEntries.id, entry.id)).catch((e: unknown) => e);
    expect(sqlState(update)).toBe("23514");
    expect(String((update as { cause?: Error }).cause?.message ?? update)).toContain("append-only: UPDATE");
    const removed = await ctx.db.delete(ledgerEntries).where(eq(ledgerEntries.id, entry.id)).catch((e: unknown) => e);
    expect(sqlState(removed)).toBe("23514");
    const [after] = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.id, entry.id));
    expect(after).toEqual(entry);
  });

  it("a paid gift lands in the ledger, in the goal page's one read (totals, collection list) and in the ledger CSV; prepared reads keep to their own database", async () => {
    const slug = "ingen-psykisk-ohalsa";
    const owner = await createPerson(ctx.db);
    const collection = await makeCollection(ctx.db, owner.id, { title: "Paritetsloppet" });
    const pageBefore = await goalPage(ctx.db, slug, "sv");
    const { payment, entries } = await createPaidGift(ctx.db, { goal: slug, amountOre: 12_345n });
    expect(entries.map((e) => ({ amountOre: e.amountOre, paymentId: e.paymentId, kind: e.kind }))).toEqual([{ amountOre: 12_345n, paymentId: payment.id, kind: "allocation" }]);
    await giveTo(ctx.db, collection, 200);

    const page = await goalPage(ctx.db, slug, "sv");
    expect(BigInt(page.goal.raisedOre) - BigInt(pageBefore.goal.raisedOre)).toBe(12_345n + 20_000n);
    expect(page.goal).toEqual(await getGoal(ctx.db, slug, "sv"));
    expect(page.collections.map((c) => ({ title: c.title, raisedOre: c.raisedOre }))).toContainEqual({ title: "Paritetsloppet", raisedOre: "20000" });

    // The same prepared reads on another database of the same engine read that one, not this.
    const second = await createTestDatabase(target);
    try {
      const elsewhere = await goalPage(second.db, slug, "sv");
      expect(elsewhere.goal.raisedOre).toBe("0");
      expect(elsewhere.collections).toEqual([]);
      expect((await getGoal(second.db, slug, "sv")).raisedOre).toBe("0");
      expect((await goalPage(ctx.db, slug, "sv")).goal.raisedOre).toBe(page.goal.raisedOre);
      // Another slug through the same prepared statement.
      expect((await goalPage(ctx.db, "alla-ar-trygga", "sv")).goal.slug).toBe("alla-ar-trygga");
    } finally {
      await second.close();
    }

    // The CSV export reads raw rows through a cursor (db.execute's two shapes).
    const staff = staffContext(ctx.db, (await createStaff(ctx.db)).id, "fundraiser");
    // Today in Stockholm, whatever the hour in UTC.
    const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" });
    const csv = (await readAll((await exportCsv(staff, "ledger", { from: today, to: today })).stream)).toString("utf8");
    const line = csv.split("\r\n").find((l) => l.includes(`alloc:${payment.id}:`));
    expect(line).toBeDefined();
    expect(line!.split(";")).toContain("123,45");
  });
});
