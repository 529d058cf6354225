import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NotFound } from "~/services/errors";
import { getGoal, listGoals } from "~/services/goals/goals.server";
import { goalPage } from "~/services/goals/goal-page.server";
import { createPaidGift } from "../factories";
import { useTestDatabase } from "../setup/db";
import { countStatements } from "../setup/statements";

/**
 * On PGlite the hot reads (db/prepared.server.ts) run as statements prepared once in PGlite's session and
 * EXECUTEd with their values as literals, instead of the text parsed and planned on every call.
 */
describe("the hot reads on PGlite", () => {
  const ctx = useTestDatabase("pglite");
  afterEach(() => vi.restoreAllMocks());

  it("are prepared once in the session and then executed, with the same answers as the text", async () => {
    await createPaidGift(ctx.db, { goal: "alla-ar-trygga", amountOre: 12_300n });
    const first = await listGoals(ctx.db, "sv");
    const statements = countStatements(ctx.db as unknown as { $client: unknown });
    const again = await listGoals(ctx.db, "sv");
    expect(statements).toHaveBeenCalledTimes(1);
    expect(String(statements.mock.calls[0][0])).toBe("execute lm_goal_cards");
    expect(again).toEqual(first);
    expect(again.find((g) => g.slug === "alla-ar-trygga")?.raisedOre).toBe("12300");
    const prepared = await ctx.db.execute(sql`select name from pg_prepared_statements where name = 'lm_goal_cards'`);
    expect((prepared as unknown as { rows: unknown[] }).rows).toHaveLength(1);

    // The same read inside a transaction is built and sent as text (a transaction's handle keeps nothing).
    const inTransaction = await ctx.db.transaction((tx) => listGoals(tx as never, "sv"));
    expect(inTransaction).toEqual(first);
  });

  it("pass their values as literals of the parameters' types: dates, numbers, text with quotes", async () => {
    const goal = await getGoal(ctx.db, "alla-ar-trygga", "sv");
    // The goal page's statement takes dates, times, a slug and a limit.
    const page = await goalPage(ctx.db, "alla-ar-trygga", "sv");
    expect(page.goal.id).toBe(goal.id);
    const statements = countStatements(ctx.db as unknown as { $client: unknown });
    await expect(getGoal(ctx.db, "o'brien", "sv")).rejects.toBeInstanceOf(NotFound);
    await expect(getGoal(ctx.db, "x'); drop table goals; --", "sv")).rejects.toBeInstanceOf(NotFound);
    expect(String(statements.mock.calls[0][0])).toMatch(/^execute lm_goal_with_balance\('o''brien'/);
    expect((await listGoals(ctx.db, "en")).map((g) => g.slug)).toContain("alla-ar-trygga");
  });
});
