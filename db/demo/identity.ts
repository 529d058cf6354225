import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client.server";
import { organisationMembers, organisations, people, staffRoles } from "../schema";

/**
 * Fictional people and organisations so the app can be explored locally. Every row is marked demo
 * and every address is at example.com. Idempotent: looks rows up by email / name before inserting.
 */
export const demoPeople = {
  admin: { email: "admin@example.com", name: "Demo Administratör" },
  fundraiser: { email: "insamlare@example.com", name: "Demo Insamlare" },
  contactA: { email: "kontakt@exempel-ab.example.com", name: "Demo Kontakt A" },
  contactB: { email: "kontakt@prov-och-test.example.com", name: "Demo Kontakt B" },
  donor: { email: "givare@example.com", name: "Demo Givare" },
} as const;

export const demoOrganisations = {
  a: "Demoföretaget Exempel AB",
  b: "Demobolaget Prov & Test AB",
} as const;

async function person(db: Db, p: { email: string; name: string }): Promise<number> {
  await db.insert(people).values({ email: p.email, name: p.name, demo: true }).onConflictDoNothing({ target: people.email });
  const [row] = await db.select({ id: people.id }).from(people).where(eq(people.email, p.email));
  return row.id;
}

async function organisation(db: Db, name: string): Promise<number> {
  const [found] = await db.select({ id: organisations.id }).from(organisations).where(and(eq(organisations.name, name), eq(organisations.demo, true)));
  if (found) return found.id;
  const [row] = await db.insert(organisations).values({ name, demo: true }).returning({ id: organisations.id });
  return row.id;
}

export async function seedIdentityDemo(outer: Db): Promise<void> {
  // One seeder at a time, even when two instances start together (organisations have no natural key).
  await outer.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4242003)`);
    await seed(tx as unknown as Db);
  });
}

async function seed(db: Db): Promise<void> {
  const admin = await person(db, demoPeople.admin);
  const fundraiser = await person(db, demoPeople.fundraiser);
  const contactA = await person(db, demoPeople.contactA);
  const contactB = await person(db, demoPeople.contactB);
  await person(db, demoPeople.donor);
  await db.insert(staffRoles).values([
    { personId: admin, role: "admin" },
    { personId: fundraiser, role: "fundraiser" },
  ]).onConflictDoNothing();
  const orgA = await organisation(db, demoOrganisations.a);
  const orgB = await organisation(db, demoOrganisations.b);
  await db.insert(organisationMembers).values([
    { organisationId: orgA, personId: contactA, isAdmin: true },
    { organisationId: orgB, personId: contactB, isAdmin: true },
  ]).onConflictDoNothing();
}
