import { eq, inArray } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { collections, goals, people } from "~db/schema";
import { createCollection } from "~/services/collections/create.server";
import type { ServiceContext } from "~/services/context";
import { payDemoCheckout } from "./demo-gift";

/**
 * Demo collections (issue 12 item 9): fictional, each titled "Demo: …", started by fictional people at
 * example.com (people.demo) through createCollection, one of them a team with two member pages. Their
 * gifts are demo payments (origin 'demo', no receipts) paid through the real webhook path, as the
 * payments demo does: a pending payment as the give page makes it, then checkout.session.completed with
 * metadata.collection. Fixed slugs and session ids make a second run a no-op. Competitions' demo data is
 * compete's own.
 */
interface DemoCollection {
  slug: string;
  title: string;
  story: string;
  goal: string;
  target: string;
  owner: number;
  /** A member page of the team with this slug. */
  teamOf?: string;
  team?: boolean;
  closed?: boolean;
}

const owners = [
  { n: 1, name: "Demo Insamlare Ek" },
  { n: 2, name: "Demo Insamlare Lind" },
  { n: 3, name: "Demo Insamlare Alm" },
];

const demoStory = "Det här är en påhittad insamling som visar hur en insamling ser ut. Ingen riktig person står bakom den.\n\nGåvorna här är demodata.";

const demoCollections: DemoCollection[] = [
  { slug: "demo-varruset", title: "Demo: Vi springer för psykisk hälsa", story: demoStory, goal: "ingen-psykisk-ohalsa", target: "5 000", owner: 1 },
  { slug: "demo-fodelsedag", title: "Demo: Födelsedagsinsamling mot ensamhet", story: demoStory, goal: "ingen-ensamhet", target: "", owner: 2 },
  { slug: "demo-exempelbolaget", title: "Demo: Kollegorna på Exempelbolaget", story: demoStory, goal: "alla-kan-arbeta", target: "10 000", owner: 3, team: true },
  { slug: "demo-exempelbolaget-anna", title: "Demo: Annas sida i laget", story: demoStory, goal: "alla-kan-arbeta", target: "2 000", owner: 1, teamOf: "demo-exempelbolaget" },
  { slug: "demo-exempelbolaget-bo", title: "Demo: Bos sida i laget", story: demoStory, goal: "alla-kan-arbeta", target: "", owner: 2, teamOf: "demo-exempelbolaget" },
  { slug: "demo-avslutad", title: "Demo: En avslutad insamling för trygghet", story: demoStory, goal: "alla-ar-trygga", target: "1 000", owner: 1, closed: true },
];

const demoGifts: { n: number; to: string; kr: number; method: "card" | "swish"; name: string; anonymous?: boolean; showAmount?: boolean; greeting?: string }[] = [
  { n: 1, to: "demo-varruset", kr: 300, method: "card", name: "Demo Givare Ahl", greeting: "Heja dig, spring fort!" },
  { n: 2, to: "demo-varruset", kr: 200, method: "swish", name: "Demo Givare Berg", anonymous: true },
  { n: 3, to: "demo-varruset", kr: 1000, method: "card", name: "Demo Givare Dahl", showAmount: false, greeting: "Så viktigt." },
  { n: 4, to: "demo-fodelsedag", kr: 250, method: "swish", name: "Demo Givare Ek", greeting: "Grattis!" },
  { n: 5, to: "demo-exempelbolaget", kr: 1500, method: "card", name: "Demo Givare Fors" },
  { n: 6, to: "demo-exempelbolaget-anna", kr: 400, method: "swish", name: "Demo Givare Gran", greeting: "Lycka till, Anna!" },
  { n: 7, to: "demo-exempelbolaget-bo", kr: 350, method: "card", name: "Demo Givare Holm", anonymous: true },
  { n: 8, to: "demo-avslutad", kr: 1200, method: "card", name: "Demo Givare Ivarsson", greeting: "Tack för initiativet!" },
];

function ownerContext(db: Db, person: { id: number; email: string; name: string | null }): ServiceContext {
  return { db, locale: "sv", actor: { kind: "person", personId: person.id, email: person.email, name: person.name, roles: [], organisations: [] } };
}

export async function seedCollectionsDemo(db: Db): Promise<void> {
  await db
    .insert(people)
    .values(owners.map((o) => ({ email: `demo.insamlare${o.n}@example.com`, name: o.name, demo: true })))
    .onConflictDoNothing();
  const ownerRows = await db.select({ id: people.id, email: people.email, name: people.name }).from(people).where(inArray(people.email, owners.map((o) => `demo.insamlare${o.n}@example.com`)));
  const ownerOf = (n: number) => ownerRows.find((p) => p.email === `demo.insamlare${n}@example.com`)!;

  const existing = new Set((await db.select({ slug: collections.slug }).from(collections).where(inArray(collections.slug, demoCollections.map((c) => c.slug)))).map((r) => r.slug));
  for (const c of demoCollections) {
    if (existing.has(c.slug)) continue;
    await createCollection(ownerContext(db, ownerOf(c.owner)), { fields: { title: c.title, story: c.story, goal: c.goal, target: c.target, endsOn: "", organisation: "", slug: c.slug } });
  }
  const rows = await db.select().from(collections).where(inArray(collections.slug, demoCollections.map((c) => c.slug)));
  const bySlug = new Map(rows.map((r) => [r.slug, r]));
  for (const c of demoCollections) {
    const row = bySlug.get(c.slug)!;
    if (c.team && row.kind !== "team") await db.update(collections).set({ kind: "team" }).where(eq(collections.id, row.id));
    if (c.teamOf && row.parentCollectionId === null) await db.update(collections).set({ parentCollectionId: bySlug.get(c.teamOf)!.id }).where(eq(collections.id, row.id));
  }

  const goalSlugs = new Map((await db.select({ id: goals.id, slug: goals.slug }).from(goals)).map((g) => [g.id, g.slug]));
  const created = Math.floor(Date.UTC(2026, 10, 1) / 1000);
  for (const g of demoGifts) {
    const collection = bySlug.get(g.to)!;
    await payDemoCheckout(db, {
      sessionId: `cs_demo_collection_${g.n}`,
      paymentIntent: `pi_demo_collection_${g.n}`,
      eventId: `evt_demo_collection_${g.n}`,
      created: created + g.n * 3600,
      kr: g.kr,
      method: g.method,
      name: g.name,
      email: `demo.insamlingsgivare${g.n}@example.com`,
      payment: {
        channel: "collection",
        goalId: collection.goalId,
        collectionId: collection.id,
        anonymous: g.anonymous ?? false,
        showAmount: g.showAmount ?? true,
        greeting: g.greeting ?? null,
      },
      metadata: { goal: goalSlugs.get(collection.goalId) ?? "", channel: "collection", collection: collection.slug },
    });
  }
  // Closed by its owner after its gifts (a closed collection takes no more).
  const closed = demoCollections.filter((c) => c.closed).map((c) => bySlug.get(c.slug)!.id);
  if (closed.length) await db.update(collections).set({ status: "closed" }).where(inArray(collections.id, closed));
}
