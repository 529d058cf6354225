import type { Db } from "./client.server";
import { referenceGoals, referenceTiers } from "./reference-data";
import { referenceIndustries } from "./reference-industries";
import { eq } from "drizzle-orm";
import { goals, industries, partnerTiers, settings } from "./schema";

/**
 * Reference data: inserted when missing, never overwritten (staff edit the texts afterwards).
 * Safe to run at every start and from several instances at once (ON CONFLICT DO NOTHING).
 */
export async function seedReferenceData(db: Db): Promise<void> {
  // No conflict target: two instances starting at once may race on the slug or on the number; either way the row exists.
  await db.insert(goals).values(referenceGoals).onConflictDoNothing();
  await db.insert(partnerTiers).values(referenceTiers).onConflictDoNothing();
  await db.insert(industries).values(referenceIndustries).onConflictDoNothing();
}

/**
 * Demo data, marked as demo, loaded on the embedded database and by `npm run db:seed:demo`.
 * Each area registers its own seeder here; each seeder must be idempotent. A seeder's module is
 * imported when it runs: most callers of this module want only seedReferenceData (getDatabase, the
 * CLIs), and the seeders pull in half the app (the payment event handlers, the collections, payroll):
 * under tsx, importing them cost `npm run user:create` 2.2 of its 5 CPU-s.
 */
export type DemoSeeder = { name: string; run: (db: Db) => Promise<void> };
export const demoSeeders: DemoSeeder[] = [{ name: "people and organisations", run: async (db) => (await import("./demo/identity")).seedIdentityDemo(db) }];
demoSeeders.push({ name: "demo gifts", run: async (db) => (await import("./demo/payments")).seedPaymentsDemo(db) });
demoSeeders.push({ name: "demo partners", run: async (db) => (await import("./demo/partners")).seedPartnersDemo(db) });
demoSeeders.push({ name: "demo collections", run: async (db) => (await import("./demo/collections")).seedCollectionsDemo(db) });
demoSeeders.push({ name: "demo competitions", run: async (db) => (await import("./demo/competitions")).seedCompetitionsDemo(db) });
demoSeeders.push({ name: "demo impact figures", run: async (db) => (await import("./demo/impact")).seedImpactDemo(db) });
demoSeeders.push({ name: "demo workplace giving", run: async (db) => (await import("./demo/workplace")).seedWorkplaceDemo(db) });

/** The `settings` row seedDemoData writes last: which seeders have all run on this database. */
export const demoDataKey = "demo_data";

export async function seedDemoData(db: Db): Promise<string[]> {
  const ran: string[] = [];
  for (const seeder of demoSeeders) {
    await seeder.run(db);
    ran.push(seeder.name);
  }
  // Written only after every seeder finished: a start that died half-way leaves no marker (or an older one).
  await db
    .insert(settings)
    .values({ key: demoDataKey, value: { seeders: ran } })
    .onConflictDoUpdate({ target: settings.key, set: { value: { seeders: ran }, updatedAt: new Date() } });
  return ran;
}

/**
 * Whether every seeder of this build has run to the end on `db` (the marker seedDemoData writes), in
 * one read. Says nothing about a seeder whose code changed since: only a caller that knows the data
 * came from this same code (a copy of a template seeded in the same test run) may skip on it.
 */
export async function demoDataInPlace(db: Db): Promise<boolean> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, demoDataKey));
  const done = Array.isArray(row?.value.seeders) ? (row.value.seeders as unknown[]) : [];
  return demoSeeders.every((seeder) => done.includes(seeder.name));
}
