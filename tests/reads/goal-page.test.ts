import { eq, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { collections, competitions, competitionTeams, impactFigures, partnerships, partnerTiers } from "~db/schema";
import { loader as goalPageLoader } from "~/routes/goals.$slug";
import { goalCollectionItems } from "~/services/collections/collections.server";
import { goalCompetitionItems } from "~/services/competitions/goal-competitions.server";
import { NotFound } from "~/services/errors";
import { goalPage } from "~/services/goals/goal-page.server";
import { getGoal } from "~/services/goals/goals.server";
import { goalImpact } from "~/services/impact/impact.server";
import { goalPartnerWall } from "~/services/partners/wall.server";
import { makeCollection, giveTo } from "../collections/owner-helpers";
import { dayFromToday, endCompetition, GOAL, makeCompetition } from "../competitions/helpers";
import { createOrganisation, createPaidGift, createPerson, goalId, refundGift } from "../factories";
import { negotiating } from "../partners/helpers";
import { usePaymentEnv } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements } from "../setup/statements";

/**
 * Issue 10 item 6: /goals/<slug> reads everything it shows in one statement (goalPage), and gets what
 * the area reads it replaces give (getGoal, goalPartnerWall, goalCollectionItems, goalImpact,
 * goalCompetitionItems), on a goal with something in every list and each list's edge cases.
 */
describe.each(dbTargets)("the goal page's one read on %s", (target) => {
  const ctx = useTestDatabase(target);
  afterEach(() => vi.restoreAllMocks());

  beforeAll(async () => {
    usePaymentEnv();
    const db = ctx.db;
    const goal = await goalId(db, GOAL);
    // The wall: tiers in rank order, each organisation once at its highest tier, the ones left off.
    const partner = async (name: string, tier: "huvudpartner" | "partner" | "vanforetag", set: Partial<typeof partnerships.$inferInsert> = {}, orgId?: number) => {
      const org = orgId ?? (await createOrganisation(db, { name, isPublic: name !== "Anonym AB", website: name === "Länk AB" ? "https://lank.example.se" : name === "Skript AB" ? "javascript:alert(1)" : null })).id;
      const p = await negotiating(db, { organisationId: org, goal: GOAL, tier, startsOn: dayFromToday(-30), endsOn: dayFromToday(300) });
      await db.update(partnerships).set({ status: "active", signedOffAt: new Date(), signOffExpiresOn: dayFromToday(200), ...set }).where(eq(partnerships.id, p.id));
      return org;
    };
    const twice = await partner("Två Gånger AB", "vanforetag", { status: "renewed" });
    await partner("Två Gånger AB", "huvudpartner", {}, twice);
    await partner("Länk AB", "partner");
    await partner("Skript AB", "vanforetag");
    await partner("Östra AB", "vanforetag", { status: "renewal_due" });
    await partner("Anonym AB", "huvudpartner");
    await partner("Hemlig AB", "partner", { isPublic: false });
    await partner("Utgången AB", "partner", { signOffExpiresOn: dayFromToday(-1) });
    await partner("Slut AB", "partner", { endsOn: dayFromToday(-1) });
    await partner("Förfallen AB", "partner", { status: "lapsed" });
    await db.update(partnerTiers).set({ minYearlyOre: 500_000n }).where(eq(partnerTiers.slug, "huvudpartner"));
    // Collections: a team page with a member page, a refund, and the ones not listed.
    const owner = await createPerson(db);
    const team = await makeCollection(db, owner.id, { goalId: goal, title: "Laget", targetOre: null });
    const member = await makeCollection(db, owner.id, { goalId: goal, title: "Medlemmen", parentCollectionId: team.id });
    const small = await makeCollection(db, owner.id, { goalId: goal, title: "Lilla" });
    const tied = await makeCollection(db, owner.id, { goalId: goal, title: "Lika" });
    await makeCollection(db, owner.id, { goalId: goal, title: "Tom" });
    const hidden = await makeCollection(db, owner.id, { goalId: goal, title: "Dold", hiddenAt: new Date() });
    const ended = await makeCollection(db, owner.id, { goalId: goal, title: "Slut", endsAt: new Date(Date.now() - 60_000) });
    await makeCollection(db, owner.id, { goalId: goal, title: "Stängd", status: "closed" });
    await makeCollection(db, owner.id, { title: "Annat mål" });
    await giveTo(db, team, 100);
    await giveTo(db, member, 250);
    const refunded = await giveTo(db, small, 300);
    await refundGift(db, refunded, 200_00n);
    await giveTo(db, tied, 100);
    await giveTo(db, hidden, 1000);
    await giveTo(db, ended, 1000);
    // Competitions: running ones with money in and out of their period, an upcoming and an ended one.
    const give = async (competitionId: number, amountOre: bigint, paidAt?: Date) => {
      const [first] = await db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, competitionId)).orderBy(competitionTeams.id).limit(1);
      await createPaidGift(db, { amountOre, goal: GOAL, paidAt, payment: { channel: "competition", collectionId: first.collectionId, competitionTeamId: first.id } });
    };
    const a = await makeCompetition(db, { title: "Kampen A", target: "10000" });
    const b = await makeCompetition(db, { title: "Kampen B" });
    await makeCompetition(db, { title: "Kommande", startsOn: dayFromToday(3), endsOn: dayFromToday(9) });
    const over = await makeCompetition(db, { title: "Slut" });
    await give(a.id, 20_000n);
    await give(b.id, 70_000n);
    await give(b.id, 5_000n, new Date(Date.now() - 3 * 86_400_000)); // before its period: not counted
    await give(over.id, 90_000n);
    await endCompetition(db, over.id);
    // Microseconds, which a Date does not hold: the two reads must round them alike.
    await db.update(competitions).set({ startsAt: sql`${competitions.startsAt} - interval '0.000999 second'` }).where(eq(competitions.id, a.id));
    // Impact: two periods, a range, decimals, a demo row; another goal's figure.
    const figure = (over: Partial<typeof impactFigures.$inferInsert>) => ({
      goalId: goal,
      periodStart: "2025-01-01",
      periodEnd: "2025-12-31",
      value: "1200.50",
      unitSv: "samtal",
      unitEn: "calls",
      labelSv: "Stödsamtal",
      labelEn: "Support calls",
      method: "measured" as const,
      ...over,
    });
    await db.insert(impactFigures).values([
      figure({}),
      figure({ periodStart: "2026-01-01", periodEnd: "2026-06-30", value: "200", valueTo: "250", method: "estimated", source: "Uppskattning" }),
      figure({ periodStart: "2026-01-01", periodEnd: "2026-06-30", value: "7", demo: true }),
      figure({ goalId: await goalId(db, "alla-ar-trygga"), value: "9" }),
    ]);
  });

  const separately = async (slug: string, locale: "sv" | "en") => {
    const goal = await getGoal(ctx.db, slug, locale);
    const [wall, collections, impact, competitions] = await Promise.all([
      goalPartnerWall(ctx.db, goal.id, locale),
      goalCollectionItems(ctx.db, goal.id),
      goalImpact(ctx.db, goal.id, locale),
      goalCompetitionItems(ctx.db, goal.id),
    ]);
    return { goal, wall, collections, impact, competitions };
  };

  it("gives what the areas' own reads give, in both languages, for a goal with every list filled and for one with none", async () => {
    for (const [slug, locale] of [
      [GOAL, "sv"],
      [GOAL, "en"],
      ["alla-kan-arbeta", "sv"],
    ] as const) {
      const [one, apart] = [await goalPage(ctx.db, slug, locale), await separately(slug, locale)];
      expect(one).toEqual(apart);
    }
    // The fixture is what it means to be: every list has entries and its edge cases.
    const { wall, collections, impact, competitions } = await goalPage(ctx.db, GOAL, "sv");
    expect(wall.map((t) => [t.slug, t.minYearlyOre, t.partners.map((p) => [p.name, p.website])])).toEqual([
      ["huvudpartner", "500000", [["Två Gånger AB", null]]],
      ["partner", null, [["Länk AB", "https://lank.example.se/"]]],
      ["vanforetag", null, [["Skript AB", null], ["Östra AB", null]]],
    ]);
    // The competitions' team collections are the goal's too; these are the ones made here.
    const titles = collections.map((c) => c.title);
    for (const gone of ["Dold", "Slut", "Stängd", "Medlemmen", "Annat mål"]) expect(titles).not.toContain(gone);
    expect(collections.filter((c) => ["Laget", "Lilla", "Lika", "Tom"].includes(c.title)).map((c) => [c.title, c.raisedOre])).toEqual([
      ["Laget", "35000"],
      ["Lilla", "10000"],
      ["Lika", "10000"],
      ["Tom", "0"],
    ]);
    expect(impact.map((f) => [f.value, f.demo])).toEqual([
      ["200–250", false],
      ["7", true],
      ["1\u00a0200,5", false],
    ]);
    expect(competitions.map((c) => [c.title, c.status, c.raisedOre, c.targetOre])).toEqual([
      ["Kampen B", "running", "70000", null],
      ["Kampen A", "running", "20000", "1000000"],
      ["Kommande", "upcoming", "0", null],
    ]);
  });

  it("answers NotFound for an unknown goal", async () => {
    await expect(goalPage(ctx.db, "finns-inte", "sv")).rejects.toBeInstanceOf(NotFound);
  });

  it("is one statement for the page's loader, built once per database", async () => {
    const request = () => ({ request: new Request(`http://x/goals/${GOAL}`), params: { slug: GOAL }, context: {} });
    const first = await goalPageLoader(request());
    const built = vi.spyOn(PgDialect.prototype, "sqlToQuery");
    const statements = countStatements(ctx.db as unknown as { $client: unknown });
    expect(await goalPageLoader(request())).toEqual(first);
    // Was 7 (goal, tiers, benefits, wall, collections, impact, competitions), plus the totals of the
    // collections and each competition's teams (4 more here).
    expect(statements).toHaveBeenCalledTimes(1);
    expect(built).not.toHaveBeenCalled();
  });
});
