import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { collections, payments } from "~db/schema";
import { action as giveAction, loader as giveLoader } from "~/routes/give._index";
import { createCollection } from "../factories";
import { useFakeStripe } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";

type Failed = { init: { status: number }; data: { fieldErrors: Record<string, string> } };
const donor = { name: "Test Givare", email: "givare@example.com", amount: "300", method: "card" };

async function post(fields: Record<string, string>, clientIp = `198.51.100.${Math.floor(Math.random() * 200)}`) {
  const request = new Request("http://127.0.0.1:3999/give", { method: "POST", body: new URLSearchParams(fields), headers: { Origin: "http://127.0.0.1:3999" } });
  return (await giveAction({ request, params: {}, context: { clientIp } })) as unknown;
}

describe.each(dbTargets)("giving to a collection on /give (%s)", (target) => {
  const t = useTestDatabase(target);
  const stripe = useFakeStripe();
  const paymentCount = async () => (await t.db.select({ n: count() }).from(payments))[0].n;
  const sessions = () => stripe.fake.requestsTo("POST", "/v1/checkout/sessions").length;

  const collection = (extra: Partial<typeof collections.$inferInsert> = {}) => createCollection(t.db, extra);

  it("records a pending payment of channel collection, attributed and designated to the collection's goal, with the donor's amount choice", async () => {
    const c = await collection();
    const loaded = (await giveLoader({ request: new Request(`http://127.0.0.1:3999/give?collection=${c.slug}`), params: {}, context: {} })) as { collection: { slug: string; active: boolean } | null };
    expect(loaded.collection).toMatchObject({ slug: c.slug, active: true });
    // The goal field says another goal: the collection's goal wins.
    const res = (await post({ ...donor, frequency: "one_off", collection: c.slug, goal: "alla-kan-arbeta", hideAmount: "on", anonymous: "on" })) as Response;
    expect(res.status).toBe(302);
    const [p] = await t.db.select().from(payments).where(eq(payments.collectionId, c.id));
    expect(p).toMatchObject({ channel: "collection", goalId: c.goalId, amountOre: 300_00n, status: "pending", showAmount: false, anonymous: true, competitionTeamId: null });
  });

  it("refuses a gift to a closed, ended or hidden collection with a message, and writes nothing", async () => {
    for (const extra of [{ status: "closed" }, { endsAt: new Date(Date.now() - 60_000) }, { hiddenAt: new Date(), hiddenReason: "test" }] as const) {
      const c = await collection(extra);
      const before = { payments: await paymentCount(), sessions: sessions() };
      const res = (await post({ ...donor, frequency: "one_off", collection: c.slug })) as Failed;
      expect(res.init.status, JSON.stringify(extra)).toBe(400);
      expect(res.data.fieldErrors._form).toMatch(/tar inte emot gåvor/);
      expect({ payments: await paymentCount(), sessions: sessions() }).toEqual(before);
    }
  });

  it("refuses an unknown collection and a monthly gift to a collection next to the field", async () => {
    const before = await paymentCount();
    const unknown = (await post({ ...donor, frequency: "one_off", collection: "finns-inte-alls" })) as Failed;
    expect(unknown.init.status).toBe(400);
    expect(unknown.data.fieldErrors.collection).toMatch(/finns inte/);
    const c = await collection();
    const monthly = (await post({ ...donor, frequency: "monthly", collection: c.slug })) as Failed;
    expect(monthly.init.status).toBe(400);
    expect(monthly.data.fieldErrors.frequency).toMatch(/ges en gång/);
    expect(await paymentCount()).toBe(before);
  });
});
