import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { settings } from "~db/schema";
import { demoDataInPlace, demoDataKey, demoSeeders } from "~db/seed";
import { dbTargets, useTestDatabase } from "../setup/db";

/**
 * The marker a server started with DEMO_DATA_PRELOADED=1 trusts (docs/decisions/0013): seedDemoData
 * writes it after its last seeder, and only a marker naming every seeder of this code counts. That
 * the run's demo template carries it, and a server from it skips its seeders, is account-http.test.ts.
 */
describe.each(dbTargets)("the demo data marker on %s", (target) => {
  const ctx = useTestDatabase(target);

  it("is missing on a database without demo data, so the seeders run", async () => {
    expect(await demoDataInPlace(ctx.db)).toBe(false);
  });

  it("counts only when it names every seeder: a seeder added since (or a start that died) runs them again", async () => {
    const names = demoSeeders.map((s) => s.name);
    await ctx.db.insert(settings).values({ key: demoDataKey, value: { seeders: names.slice(0, -1) } });
    expect(await demoDataInPlace(ctx.db)).toBe(false);
    await ctx.db.update(settings).set({ value: { seeders: names } }).where(eq(settings.key, demoDataKey));
    expect(await demoDataInPlace(ctx.db)).toBe(true);
    await ctx.db.update(settings).set({ value: { seeders: "all" } }).where(eq(settings.key, demoDataKey));
    expect(await demoDataInPlace(ctx.db)).toBe(false);
  });
});
