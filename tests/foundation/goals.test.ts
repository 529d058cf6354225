import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "~db/client.server";
import { goals, ledgerEntries, partnerTiers } from "~db/schema";
import { seedReferenceData } from "~db/seed";
import { getGoal, listGoals, publicGoalsJson } from "~/services/goals/goals.server";
import { NotFound } from "~/services/errors";
import { dbTargets, useTestDatabase } from "../setup/db";

const slugs = ["ingen-hemloshet", "alla-ar-trygga", "ingen-ensamhet", "ingen-psykisk-ohalsa", "alla-kan-arbeta"];

describe.each(dbTargets)("goals and reference data on %s", (target) => {
  const ctx = useTestDatabase(target);

  it("holds the five goals with their slugs, titles in both languages and no invented targets", async () => {
    const rows = await ctx.db.select().from(goals).orderBy(goals.number);
    expect(rows.map((g) => g.slug)).toEqual(slugs);
    expect(rows.map((g) => g.titleSv)).toEqual(["Ingen hemlöshet", "Alla är trygga", "Ingen ensamhet", "Ingen psykisk ohälsa", "Alla kan arbeta"]);
    for (const g of rows) {
      expect(g.titleEn).not.toBe("");
      expect(g.aboutSv).not.toBe("");
      expect(g.aboutEn).not.toBe("");
      expect(g.targetOre).toBeNull();
    }
    // Goal 2's text is the organisation's own; the others are drafts for staff to review.
    expect(rows.filter((g) => g.draft).map((g) => g.number)).toEqual([1, 3, 4, 5]);
    expect(rows[1].leadSv).toContain("otrygghet");
  });

  it("holds the partner tiers, without invented amounts", async () => {
    const tiers = await ctx.db.select().from(partnerTiers).orderBy(partnerTiers.rank);
    expect(tiers.map((t) => t.slug)).toEqual(["huvudpartner", "partner", "vanforetag"]);
    expect(tiers.every((t) => t.minYearlyOre === null)).toBe(true);
  });

  it("runs migrations and reference data twice without harm or duplicates, and keeps staff edits", async () => {
    await ctx.db.update(goals).set({ titleEn: "Edited by staff" }).where(eq(goals.slug, "ingen-ensamhet"));
    await migrateDatabase(ctx.database);
    await seedReferenceData(ctx.db);
    await seedReferenceData(ctx.db);
    const [{ count }] = await ctx.db.select({ count: sql<number>`count(*)::int` }).from(goals);
    expect(count).toBe(5);
    const [{ tiers }] = await ctx.db.select({ tiers: sql<number>`count(*)::int` }).from(partnerTiers);
    expect(tiers).toBe(3);
    const [edited] = await ctx.db.select().from(goals).where(eq(goals.slug, "ingen-ensamhet"));
    expect(edited.titleEn).toBe("Edited by staff");
  });

  it("shows each goal's ledger balance as raised, all channels, net of reversals", async () => {
    const [trygga] = await ctx.db.select().from(goals).where(eq(goals.slug, "alla-ar-trygga"));
    await ctx.db.insert(ledgerEntries).values([
      { goalId: trygga.id, amountOre: 25000n, channel: "one_off_gift" },
      { goalId: trygga.id, amountOre: 10000n, channel: "collection" },
      { goalId: trygga.id, amountOre: -5000n, channel: "one_off_gift", kind: "reversal", reason: "refund" },
    ]);
    const json = await publicGoalsJson(ctx.db);
    expect(json.find((g) => g.slug === "alla-ar-trygga")?.raisedOre).toBe(30000);
    expect(json.find((g) => g.slug === "ingen-hemloshet")?.raisedOre).toBe(0);
    const view = await getGoal(ctx.db, "alla-ar-trygga", "en");
    expect(view.title).toBe("Everyone is safe");
    expect(view.raisedOre).toBe("30000");
    const list = await listGoals(ctx.db, "sv");
    expect(list.map((g) => g.slug)).toEqual(slugs);
  });

  it("refuses to change or delete a ledger entry", async () => {
    await expect(ctx.db.update(ledgerEntries).set({ amountOre: 1n })).rejects.toThrow();
    await expect(ctx.db.delete(ledgerEntries)).rejects.toThrow();
    const [{ total }] = await ctx.db.select({ total: sql<string>`sum(amount_ore)::text` }).from(ledgerEntries);
    expect(total).toBe("30000");
  });

  it("answers an unknown slug with NotFound", async () => {
    await expect(getGoal(ctx.db, "finns-inte", "sv")).rejects.toBeInstanceOf(NotFound);
  });
});
