import { count, eq, inArray, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { collections, emailOutbox, payments } from "~db/schema";
import { seedCollectionsDemo } from "~db/demo/collections";
import { collectionTotals } from "~/services/collections/collections.server";
import { runCollectionProgress } from "~/services/collections/owner-jobs.server";
import { systemContext } from "~/services/context";
import { dbTargets, useTestDatabase } from "../setup/db";

describe.each(dbTargets)("demo collections (%s)", (target) => {
  const t = useTestDatabase(target);

  it("seeds fictional collections marked Demo, a team with member pages, gifts through the webhook path; twice is once", async () => {
    await seedCollectionsDemo(t.db);
    await seedCollectionsDemo(t.db);
    const rows = await t.db.select().from(collections).where(like(collections.slug, "demo-%"));
    expect(rows.length).toBe(6);
    expect(rows.every((r) => r.title.startsWith("Demo: "))).toBe(true);
    const team = rows.find((r) => r.slug === "demo-exempelbolaget")!;
    expect(team.kind).toBe("team");
    expect(rows.filter((r) => r.parentCollectionId === team.id).map((r) => r.slug).sort()).toEqual(["demo-exempelbolaget-anna", "demo-exempelbolaget-bo"]);
    const gifts = await t.db.select({ n: count() }).from(payments).where(inArray(payments.collectionId, rows.map((r) => r.id)));
    expect(gifts[0].n).toBe(8);
    const totals = await collectionTotals(t.db, rows.map((r) => r.id));
    // The team's own 1 500 kr and its members' 400 + 350 kr; the run's 300 + 200 + 1 000 kr.
    expect(totals.get(team.id)).toEqual({ raisedOre: 2_250_00n, giftCount: 3 });
    expect(totals.get(rows.find((r) => r.slug === "demo-varruset")!.id)).toEqual({ raisedOre: 1_500_00n, giftCount: 3 });
    expect(rows.find((r) => r.slug === "demo-avslutad")!.status).toBe("closed");
    expect((await t.db.select().from(payments).where(eq(payments.checkoutSessionId, "cs_demo_collection_1")))[0]).toMatchObject({ status: "paid", origin: "demo" });

    // Fictional owners get no milestone or summary email.
    await runCollectionProgress(systemContext(t.db, "test"));
    expect(await t.db.select().from(emailOutbox).where(like(emailOutbox.dedupeKey, "collection-%"))).toEqual([]);
  });
});
