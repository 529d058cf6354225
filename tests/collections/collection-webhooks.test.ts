import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collections, competitions, competitionTeams, paymentAnomalies, payments } from "~db/schema";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { collectionTotals } from "~/services/collections/collections.server";
import { goalBalances } from "~/services/ledger/balances.server";
import { chargeObject, checkoutSessionObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { setEnvForTests } from "~/utils/env.server";
import { createPerson, goalId, unique } from "../factories";
import { goalIdsBySlug, prng, shuffle, signedWebhookRequest, usePaymentEnv } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";

/**
 * Issue 12 acceptance: a signed checkout.session.completed with metadata.collection (a Payment Link
 * the app did not start) counts once toward the collection under duplicated, shuffled, parallel
 * delivery, designates the collection's goal, and a refund lowers the total.
 */

function linkPayment(amount: number, metadata: Record<string, string>) {
  const cs = stripeId("cs");
  const pi = stripeId("pi");
  const session = checkoutSessionObject({ id: cs, mode: "payment", amountTotal: amount, status: "complete", paymentStatus: "paid", paymentIntent: pi, metadata, customerEmail: "givare@example.com" });
  return { cs, pi, session, completed: stripeEvent("checkout.session.completed", session) };
}

/** Stripe's cumulative charge.refunded. A Payment Link copies its metadata to the PaymentIntent (payment_intent_data.metadata), so the charge carries it too. */
const refunded = (p: { pi: string }, amount: number, cumulative: number, metadata: Record<string, string> = {}) =>
  stripeEvent("charge.refunded", chargeObject({ id: `ch_${p.pi}`, amount, amountRefunded: cumulative, paymentIntent: p.pi, metadata }));

async function post(event: unknown) {
  const res = (await webhookAction({ request: signedWebhookRequest(event), params: {}, context: {} })) as Response;
  return res.status;
}

describe.each(dbTargets)("gifts to a collection through Stripe (%s)", (target) => {
  const t = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  async function collection(goalSlug: string, extra: Partial<typeof collections.$inferInsert> = {}) {
    const owner = await createPerson(t.db);
    const [row] = await t.db
      .insert(collections)
      .values({ slug: `springet-${unique()}`.toLowerCase(), title: "Springet", goalId: await goalId(t.db, goalSlug), ownerPersonId: owner.id, ...extra })
      .returning();
    return row;
  }
  const total = async (id: number) => (await collectionTotals(t.db, [id])).get(id)!;
  const balanceOf = async (slug: string) => (await goalBalances(t.db)).get((await goalIdsBySlug(t.db)).get(slug)!.id) ?? 0n;

  it("counts each payment once under duplicated, shuffled, parallel delivery, on the collection's goal; refunds lower it", async () => {
    const c = await collection("ingen-psykisk-ohalsa");
    const rand = prng(12);
    const goalBefore = await balanceOf("ingen-psykisk-ohalsa");
    const otherBefore = await balanceOf("alla-kan-arbeta");
    const events: unknown[] = [];
    let expected = 0n;
    let standing = 0;
    const refundable: { pi: string; amount: number; refunded: number }[] = [];
    for (let i = 0; i < 16; i++) {
      const amount = 2_000 + Math.floor(rand() * 50_000);
      // Some links also name a goal: the collection's goal wins (the money was given to the collection).
      const metadata: Record<string, string> = i % 3 === 0 ? { collection: c.slug, goal: "alla-kan-arbeta" } : { collection: c.slug };
      const p = linkPayment(amount, metadata);
      events.push(p.completed);
      // Stripe may send another event about the same session: still one payment.
      if (i % 5 === 0) events.push(stripeEvent("checkout.session.completed", p.session));
      expected += BigInt(amount);
      standing += 1;
      if (i % 4 === 1) {
        const part = Math.floor(amount / 4);
        events.push(refunded(p, amount, part, metadata));
        expected -= BigInt(part);
        refundable.push({ pi: p.pi, amount, refunded: part });
      }
    }
    // Money for nobody's collection, in the same stream, stays out of it.
    for (let i = 0; i < 4; i++) events.push(linkPayment(3_000, { goal: "ingen-psykisk-ohalsa" }).completed);
    const deliveries = shuffle([...events, ...events, ...events], rand);
    for (let i = 0; i < deliveries.length; i += 8) {
      const statuses = await Promise.all(deliveries.slice(i, i + 8).map(post));
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    expect(await total(c.id)).toEqual({ raisedOre: expected, giftCount: standing });
    const rows = await t.db.select().from(payments).where(eq(payments.collectionId, c.id));
    expect(rows).toHaveLength(16);
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(["collection"]));
    expect(new Set(rows.map((r) => r.goalId))).toEqual(new Set([c.goalId]));
    expect((await balanceOf("ingen-psykisk-ohalsa")) - goalBefore).toBe(expected + 4n * 3_000n);
    expect(await balanceOf("alla-kan-arbeta")).toBe(otherBefore);

    // A full refund of one gift: the total drops by what was left of it, and the gift no longer counts.
    const r = refundable[0];
    await post(refunded(r, r.amount, r.amount));
    await post(refunded(r, r.amount, r.amount));
    expect(await total(c.id)).toEqual({ raisedOre: expected - BigInt(r.amount - r.refunded), giftCount: standing - 1 });
  });

  it("attributes a payment whose refund came first (recorded from the charge alone) when its session arrives", async () => {
    const c = await collection("ingen-ensamhet");
    const p = linkPayment(40_000, { collection: c.slug });
    await post(refunded(p, 40_000, 10_000));
    expect(await total(c.id)).toEqual({ raisedOre: 0n, giftCount: 0 });
    await post(p.completed);
    await post(p.completed);
    expect(await total(c.id)).toEqual({ raisedOre: 30_000n, giftCount: 1 });
  });

  it("a competition team's collection gets channel competition and the team; an unknown slug is flagged and the goal taken from metadata.goal", async () => {
    const owner = await createPerson(t.db);
    const [competition] = await t.db
      .insert(competitions)
      .values({ slug: `tavling-${unique()}`.toLowerCase(), title: "Kontorskampen", organiserPersonId: owner.id, startsAt: new Date(Date.now() - 86_400_000), endsAt: new Date(Date.now() + 86_400_000), inviteCode: unique() })
      .returning();
    const [team] = await t.db.insert(competitionTeams).values({ competitionId: competition.id, name: "Lag A" }).returning();
    const c = await collection("alla-ar-trygga", { competitionTeamId: team.id });
    const p = linkPayment(12_300, { collection: c.slug });
    await Promise.all([post(p.completed), post(p.completed)]);
    const [row] = await t.db.select().from(payments).where(eq(payments.checkoutSessionId, p.cs));
    expect(row).toMatchObject({ channel: "competition", competitionTeamId: team.id, collectionId: c.id, goalId: c.goalId, status: "paid" });

    const before = await balanceOf("alla-kan-arbeta");
    const unknown = linkPayment(5_000, { collection: "finns-inte", goal: "alla-kan-arbeta" });
    await post(unknown.completed);
    const [u] = await t.db.select().from(payments).where(eq(payments.checkoutSessionId, unknown.cs));
    expect(u.collectionId).toBeNull();
    expect((await balanceOf("alla-kan-arbeta")) - before).toBe(5_000n);
    const flags = await t.db.select().from(paymentAnomalies).where(and(eq(paymentAnomalies.paymentId, u.id), eq(paymentAnomalies.kind, "unknown_collection")));
    expect(flags).toHaveLength(1);
  });

  it("still counts money that arrives for a closed collection, and flags it for staff", async () => {
    const c = await collection("ingen-hemloshet", { status: "closed" });
    const p = linkPayment(9_900, { collection: c.slug });
    await post(p.completed);
    expect(await total(c.id)).toEqual({ raisedOre: 9_900n, giftCount: 1 });
    const [row] = await t.db.select().from(payments).where(eq(payments.checkoutSessionId, p.cs));
    const flags = await t.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.paymentId, row.id));
    expect(flags.map((f) => f.kind)).toContain("collection_closed");
  });
});
