import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { goalPage } from "~/services/goals/goal-page.server";
import { listGoalChoices, listGoals } from "~/services/goals/goals.server";
import { invalidatePageCache } from "~/utils/page-cache.server";
import { forgetPublicReads, keptPublicRead, watchPublicChanges } from "~/utils/public-reads.server";
import { goals } from "~db/schema";
import { createPaidGift } from "../factories";
import { usePaymentEnv } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements, statementText } from "../setup/statements";

/**
 * The public facts a process keeps a moment (app/utils/public-reads.server.ts). Kept for a minute here, so
 * that only the notifications of migration 0037's triggers, or this process's own write, can make it forget.
 * Changes are written straight to the database, as another process or instance would write them.
 */
const TTL_MS = 60_000;
const GOAL = "alla-ar-trygga";

/**
 * The tables the kept reads use that notify nothing, on purpose (migration 0037): they change with every gift,
 * and a notifying commit waits for the one before it. Their changes show within the time to live elsewhere, and
 * at once in the process that posts the gift.
 */
const WITHOUT_NOTIFY = ["ledger_entries", "payments"];
/** Every other table the kept reads use ("has a notifying trigger on every table …" holds that this is all of them). */
const NOTIFYING = ["goals", "partnerships", "organisations", "partner_tiers", "collections", "impact_figures", "competitions", "competition_goals", "competition_teams"];

describe.each(dbTargets)("the public facts a process keeps on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(async () => {
    usePaymentEnv();
    await watchPublicChanges(ctx.database, TTL_MS);
  });
  afterEach(() => vi.restoreAllMocks());

  const statementsOf = () => countStatements(ctx.db as unknown as { $client: unknown });
  /** What a read answers once the notification has come (at once on PGlite; the listening connection's next read on PostgreSQL). */
  const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 3000, interval: 20 });
  const setTitle = (title: string) => ctx.db.update(goals).set({ titleSv: title }).where(eq(goals.slug, GOAL));
  const titleOnEveryRead = async () => {
    const [page, cards, choices] = await Promise.all([goalPage(ctx.db, GOAL, "sv"), listGoals(ctx.db, "sv"), listGoalChoices(ctx.db, "sv")]);
    return [page.goal.title, cards.find((c) => c.slug === GOAL)?.title, choices.find((c) => c.slug === GOAL)?.title];
  };

  it("answers the goal page, the home cards and /give's choices again without a statement", async () => {
    forgetPublicReads();
    const first = await titleOnEveryRead();
    const kept = statementsOf();
    expect(await titleOnEveryRead()).toEqual(first);
    expect(kept).not.toHaveBeenCalled();
    // Per language: the English page is a read of its own.
    await goalPage(ctx.db, GOAL, "en");
    expect(kept).toHaveBeenCalledTimes(1);
  });

  it("forgets when a goal is changed straight in the database, as another process would", async () => {
    await titleOnEveryRead();
    await setTitle("Alla är trygga (ändrad)");
    await eventually(async () => expect(await titleOnEveryRead()).toEqual(Array(3).fill("Alla är trygga (ändrad)")));
    await setTitle("Alla är trygga");
    await eventually(async () => expect(await titleOnEveryRead()).toEqual(Array(3).fill("Alla är trygga")));
  });

  it("has a notifying trigger on every table the kept reads use, but the two that change with every gift", async () => {
    forgetPublicReads();
    const spy = statementsOf();
    await titleOnEveryRead();
    const sent = spy.mock.calls.map((call) => call[0]);
    vi.restoreAllMocks();
    expect(sent).toHaveLength(3);
    const texts = await Promise.all(sent.map((text) => statementText(ctx.db as never, text)));
    const used = new Set(texts.flatMap((text) => [...text.matchAll(/\b(?:from|join)\s+"(\w+)"/g)].map((m) => m[1])));
    const result = (await ctx.db.execute(
      sql`select distinct c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname like '%\_public\_changes'`,
    )) as unknown as { rows?: { name: string }[] } & { name: string }[];
    const triggered = (result.rows ?? result).map((r) => r.name);
    expect([...used].sort()).toEqual([...NOTIFYING, ...WITHOUT_NOTIFY].sort());
    expect(triggered.sort()).toEqual([...NOTIFYING].sort());
  });

  it.each(NOTIFYING)("forgets on any statement on %s", async (table) => {
    await goalPage(ctx.db, GOAL, "sv");
    // A statement that changes nothing still says so: the trigger exists and fires for every statement.
    await ctx.db.execute(sql.raw(`delete from ${table} where false`));
    await eventually(async () => {
      const read = statementsOf();
      await goalPage(ctx.db, GOAL, "sv");
      expect(read).toHaveBeenCalled();
      vi.restoreAllMocks();
    });
  });

  it("forgets at once when this process writes, without waiting for the notification", async () => {
    await titleOnEveryRead();
    await ctx.db.execute(sql.raw("alter table goals disable trigger goals_public_changes"));
    try {
      await setTitle("Utan notis");
      // Nothing told this process: the kept page stays.
      expect((await goalPage(ctx.db, GOAL, "sv")).goal.title).toBe("Alla är trygga");
      // The call every writer of public facts makes (a gift, a ledger correction, a goal's text).
      invalidatePageCache();
      expect(await titleOnEveryRead()).toEqual(Array(3).fill("Utan notis"));
      await setTitle("Alla är trygga");
      invalidatePageCache();
      expect(await titleOnEveryRead()).toEqual(Array(3).fill("Alla är trygga"));
    } finally {
      await ctx.db.execute(sql.raw("alter table goals enable trigger goals_public_changes"));
    }
  });

  it("shows a gift posted in this process at once, though the ledger notifies nothing", async () => {
    const before = BigInt((await goalPage(ctx.db, GOAL, "sv")).goal.raisedOre);
    // Paid through the webhook's own path (dispatchStripeEvent), which forgets what this process keeps.
    await createPaidGift(ctx.db, { amountOre: 12_300n, goal: GOAL });
    expect(BigInt((await goalPage(ctx.db, GOAL, "sv")).goal.raisedOre)).toBe(before + 12_300n);
    expect(BigInt((await listGoals(ctx.db, "sv")).find((c) => c.slug === GOAL)!.raisedOre)).toBe(before + 12_300n);
  });

  it("does not keep a read that was under way while everything was forgotten", async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      // A change commits and is forgotten while this read waits for the database.
      if (reads === 1) forgetPublicReads();
      return { reads };
    };
    expect(await keptPublicRead(ctx.db, "test:generation", read)).toEqual({ reads: 1 });
    expect(await keptPublicRead(ctx.db, "test:generation", read)).toEqual({ reads: 2 });
    expect(await keptPublicRead(ctx.db, "test:generation", read)).toEqual({ reads: 2 });
  });

  it("reads again after its time, and keeps nothing that failed", async () => {
    const read = vi.fn(async () => ({ at: Date.now() }));
    const now = Date.now();
    await keptPublicRead(ctx.db, "test:ttl", read, now);
    await keptPublicRead(ctx.db, "test:ttl", read, now + TTL_MS - 1);
    expect(read).toHaveBeenCalledTimes(1);
    await keptPublicRead(ctx.db, "test:ttl", read, now + TTL_MS);
    expect(read).toHaveBeenCalledTimes(2);

    const failing = vi.fn(async () => {
      throw new Error("no database");
    });
    await expect(keptPublicRead(ctx.db, "test:failing", failing)).rejects.toThrow("no database");
    await expect(keptPublicRead(ctx.db, "test:failing", failing)).rejects.toThrow("no database");
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it("hands out frozen answers, kept or not: one request cannot change another's", async () => {
    const page = await goalPage(ctx.db, GOAL, "sv");
    expect(Object.isFrozen(page)).toBe(true);
    expect(Object.isFrozen(page.goal)).toBe(true);
    expect(Object.isFrozen(page.goal.sdgs)).toBe(true);
    expect(() => {
      (page.goal as { title: string }).title = "ändrad";
    }).toThrow(TypeError);
    const cards = await listGoals(ctx.db, "sv");
    expect(Object.isFrozen(cards[0])).toBe(true);
  });
});
