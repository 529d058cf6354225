import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { competitions, competitionTeams } from "~db/schema";
import { loader as goalJsonLoader } from "~/routes/api.goals.$slug";
import { loader as goalPageLoader } from "~/routes/goals.$slug";
import { createPaidGift } from "../factories";
import { usePaymentEnv } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { dayFromToday, endCompetition, GOAL, makeCompetition } from "./helpers";

/**
 * Issue 12 item 8: a goal's competitions on /goals/<slug> and in GET /api/goals/<slug> — running and
 * upcoming ones, most raised first (all teams together), ended ones and other goals' left out.
 */
describe.each(dbTargets)("competitions on the goal page and in the goal's JSON (%s)", (target) => {
  const ctx = useTestDatabase(target);

  async function giveToFirstTeam(competitionId: number, amountOre: bigint) {
    const [team] = await ctx.db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, competitionId)).orderBy(competitionTeams.id).limit(1);
    await createPaidGift(ctx.db, { amountOre, goal: GOAL, payment: { channel: "competition", collectionId: team.collectionId, competitionTeamId: team.id } });
  }

  it("lists running and upcoming competitions of the goal, most raised first, with the existing fields kept", async () => {
    usePaymentEnv();
    const small = await makeCompetition(ctx.db, { title: "Lilla kampen", target: "10000" });
    const big = await makeCompetition(ctx.db, { title: "Stora kampen" });
    const upcoming = await makeCompetition(ctx.db, { title: "Kommande kampen", startsOn: dayFromToday(3), endsOn: dayFromToday(9) });
    const ended = await makeCompetition(ctx.db, { title: "Avslutade kampen" });
    await giveToFirstTeam(small.id, 20_000n);
    await giveToFirstTeam(big.id, 70_000n);
    await giveToFirstTeam(ended.id, 90_000n);
    await endCompetition(ctx.db, ended.id);

    const res = await goalJsonLoader({ request: new Request(`http://x/api/goals/${GOAL}`), params: { slug: GOAL }, context: {} });
    const json = (await res.json()) as Record<string, unknown> & { competitions: Record<string, unknown>[] };
    // The fields DESIGN.md fixes are still there.
    for (const key of ["slug", "raisedOre", "partners", "collections"]) expect(json).toHaveProperty(key);
    expect(json.competitions.map((c) => c.slug)).toEqual([big.slug, small.slug, upcoming.slug]);
    const [competition] = await ctx.db.select().from(competitions).where(eq(competitions.id, small.id));
    expect(json.competitions[1]).toEqual({
      slug: small.slug,
      title: "Lilla kampen",
      mode: "total",
      status: "running",
      startsAt: competition.startsAt.toISOString(),
      endsAt: competition.endsAt.toISOString(),
      raisedOre: 20_000,
      targetOre: 1_000_000,
    });
    expect(json.competitions[2]).toMatchObject({ status: "upcoming", raisedOre: 0, targetOre: null });
    // Another goal does not list them.
    const other = (await (await goalJsonLoader({ request: new Request("http://x/api/goals/alla-kan-arbeta"), params: { slug: "alla-kan-arbeta" }, context: {} })).json()) as {
      competitions: unknown[];
    };
    expect(other.competitions).toEqual([]);

    // The page's loader carries the same list (rendered by GoalCompetitions).
    const page = (await goalPageLoader({ request: new Request(`http://x/goals/${GOAL}`), params: { slug: GOAL }, context: {} })) as {
      competitions: { slug: string; raisedOre: string }[];
    };
    expect(page.competitions.map((c) => [c.slug, c.raisedOre])).toEqual([
      [big.slug, "70000"],
      [small.slug, "20000"],
      [upcoming.slug, "0"],
    ]);
  });
});
