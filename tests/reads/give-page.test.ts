import { afterEach, describe, expect, it, vi } from "vitest";
import { collections } from "~db/schema";
import { loader as giveLoader } from "~/routes/give._index";
import { createCollection } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements } from "../setup/statements";

/** Issue 10 item 6: /give?collection=<slug> reads the goals to choose from and the collection, with its goal, in two statements. */
describe.each(dbTargets)("/give's reads on %s", (target) => {
  const t = useTestDatabase(target);
  afterEach(() => vi.restoreAllMocks());

  const collection = (extra: Partial<typeof collections.$inferInsert> = {}) => createCollection(t.db, extra);
  const load = async (query: string) =>
    ((await giveLoader({ request: new Request(`http://127.0.0.1:3999/give?${query}`), params: {}, context: {} })) as { collection: Record<string, unknown> | null }).collection;

  it("shows the collection with its goal in the reader's language, closed ones as not active, hidden and unknown ones not at all", async () => {
    const open = await collection();
    expect(await load(`collection=${encodeURIComponent(` ${open.slug.toUpperCase()} `)}&lang=en`)).toEqual({
      slug: open.slug,
      title: "Springet",
      goalSlug: "ingen-psykisk-ohalsa",
      goalNumber: 4,
      goalTitle: "No mental ill-health",
      active: true,
    });
    expect(await load(`collection=${open.slug}`)).toMatchObject({ goalTitle: "Ingen psykisk ohälsa", active: true });
    expect(await load(`collection=${(await collection({ status: "closed" })).slug}`)).toMatchObject({ active: false });
    expect(await load(`collection=${(await collection({ endsAt: new Date(Date.now() - 60_000) })).slug}`)).toMatchObject({ active: false });
    expect(await load(`collection=${(await collection({ hiddenAt: new Date(), hiddenReason: "test" })).slug}`)).toBeNull();
    expect(await load("collection=finns-inte")).toBeNull();
  });

  it("reads the goals and the collection in two statements (was three: the goal's titles apart)", async () => {
    const c = await collection();
    await load(`collection=${c.slug}`);
    const statements = countStatements(t.db as unknown as { $client: unknown });
    expect(await load(`collection=${c.slug}`)).toMatchObject({ slug: c.slug });
    expect(statements).toHaveBeenCalledTimes(2);
  });
});
