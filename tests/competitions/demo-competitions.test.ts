import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { competitions, competitionTeams, payments } from "~db/schema";
import { seedCompetitionsDemo } from "~db/demo/competitions";
import { competitionJson } from "~/services/competitions/board.server";
import { anonymousContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

/** Issue 12 item 9: a demo competition between two fictional companies in each scoring mode, marked demo, seeded twice without doubling. */
describe.each(dbTargets)("demo competitions (%s)", (target) => {
  const t = useTestDatabase(target);

  it("one competition per scoring mode between two fictional companies, marked demo, with gifts through the payments core", async () => {
    await seedCompetitionsDemo(t.db);
    const count = async () => (await t.db.select({ id: payments.id }).from(payments).where(eq(payments.channel, "competition"))).length;
    const first = await count();
    await seedCompetitionsDemo(t.db);
    expect(await count()).toBe(first);
    const rows = await t.db.select().from(competitions).where(eq(competitions.demo, true));
    expect(rows.map((r) => r.scoringMode).sort()).toEqual(["participation", "per_headcount", "per_participant", "together", "total"]);
    const teams = await t.db.select().from(competitionTeams).where(inArray(competitionTeams.competitionId, rows.map((r) => r.id)));
    expect(teams).toHaveLength(10);
    expect(teams.every((team) => /^Demo: /.test(team.name))).toBe(true);
    const gifts = await t.db.select().from(payments).where(eq(payments.channel, "competition"));
    expect(gifts.every((g) => g.origin === "demo" && g.status === "paid" && g.competitionTeamId !== null && g.donorEmail!.endsWith("@example.com"))).toBe(true);
    for (const c of rows) {
      const board = await competitionJson(anonymousContext(t.db), c.slug, { fresh: true });
      expect(board?.standings).toHaveLength(2);
      expect(board!.standings.every((s) => s.raisedOre > 0)).toBe(true);
      if (c.scoringMode === "together") expect(board!.standings.every((s) => s.rank === null)).toBe(true);
      else expect(board!.standings[0].rank).toBe(1);
    }
  });
});
