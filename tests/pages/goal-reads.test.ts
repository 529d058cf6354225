import { PgDialect } from "drizzle-orm/pg-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { goalCollectionItems } from "~/services/collections/collections.server";
import { goalCompetitionItems } from "~/services/competitions/goal-competitions.server";
import { getGoal, listGoalChoices, listGoals } from "~/services/goals/goals.server";
import { goalImpact } from "~/services/impact/impact.server";
import { goalPartnerWall } from "~/services/partners/wall.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements, statementText } from "../setup/statements";

describe.each(dbTargets)("the goal reads of home, /give and the goal page on %s", (target) => {
  const ctx = useTestDatabase(target);
  afterEach(() => vi.restoreAllMocks());

  it("read the goals and their balances in one statement, and a goal with its balance in one", async () => {
    const statements = countStatements(ctx.db as unknown as { $client: unknown });
    const all = await listGoals(ctx.db, "sv");
    expect(statements).toHaveBeenCalledTimes(1);
    expect(all.map((g) => g.number)).toEqual([1, 2, 3, 4, 5]);
    // The home page's cards: none of the long texts, which would travel twice in the page (HTML and loader data).
    expect(Object.keys(all[0]).sort()).toEqual(["lead", "number", "raisedOre", "slug", "targetOre", "title"]);
    const cards = await statementText(ctx.db, statements.mock.calls[0][0]);
    expect(cards).toMatch(/lead_sv/);
    expect(cards).not.toMatch(/about_sv|today_sv|more_sv/);

    statements.mockClear();
    const one = await getGoal(ctx.db, "alla-ar-trygga", "en");
    expect(statements).toHaveBeenCalledTimes(1);
    expect(one.raisedOre).toBe(all.find((g) => g.slug === "alla-ar-trygga")!.raisedOre);
    expect(one.title).toBe("Everyone is safe");
  });

  it("build the goal page's SQL once per database: a second view only sends the prepared statements", async () => {
    const page = async () => {
      const goal = await getGoal(ctx.db, "alla-ar-trygga", "sv");
      return Promise.all([goalPartnerWall(ctx.db, goal.id, "sv"), goalCollectionItems(ctx.db, goal.id), goalImpact(ctx.db, goal.id, "sv"), goalCompetitionItems(ctx.db, goal.id)]);
    };
    const first = await page();
    const built = vi.spyOn(PgDialect.prototype, "sqlToQuery");
    const statements = countStatements(ctx.db as unknown as { $client: unknown });
    expect(await page()).toEqual(first);
    expect(built).not.toHaveBeenCalled();
    // goal, tiers, benefits, wall, collections, impact, competitions (none of the goal's: no totals read)
    expect(statements).toHaveBeenCalledTimes(7);
  });

  it("give /give its goals to choose from in one statement that does not sum the ledger", async () => {
    const statements = countStatements(ctx.db as unknown as { $client: unknown });
    const choices = await listGoalChoices(ctx.db, "en");
    expect(statements).toHaveBeenCalledTimes(1);
    const choicesText = await statementText(ctx.db, statements.mock.calls[0][0]);
    expect(choicesText).toMatch(/title_sv/);
    expect(choicesText).not.toMatch(/ledger_entries/);
    const all = await listGoals(ctx.db, "en");
    expect(choices).toEqual(all.map((g) => ({ slug: g.slug, number: g.number, title: g.title })));
  });
});
