import { count, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Db } from "~db/client.server";
import { emailOutbox, ledgerEntries, monthlyGifts, paymentAnomalies, payments, stripeEvents } from "~db/schema";
import { receiveStripeWebhook } from "~/services/payments/webhook.server";
import { chargeObject, checkoutSessionObject, disputeObject, invoiceObject, refundObject, stripeEvent, stripeId, subscriptionObject } from "~/services/payments/stripe-objects";
import { setEnvForTests } from "~/utils/env.server";
import { createScratchPostgresDatabase, dbTargets, dropScratchPostgresDatabase, useTestDatabase } from "../setup/db";
import { freshDataDir, startServer, tempDir } from "../setup/server";
import { usePaymentEnv, WEBHOOK_SECRET } from "./helpers";

/**
 * Signed events that are not shaped as Stripe sends them: each is answered 400 and recorded once for
 * staff (a `malformed_event` anomaly), and nothing else is written — on the service function and
 * through the production server's listener.
 */
type Json = Record<string, unknown>;
const clone = (v: unknown) => JSON.parse(JSON.stringify(v)) as Json;
const NUL = "\u0000";

function session(extra: Json = {}) {
  const o = checkoutSessionObject({
    id: stripeId("cs"),
    mode: "payment",
    amountTotal: 12_300,
    status: "complete",
    paymentStatus: "paid",
    paymentIntent: stripeId("pi"),
    metadata: { goal: "alla-ar-trygga" },
    customerEmail: "givare@example.com",
  });
  return clone(stripeEvent("checkout.session.completed", { ...(o as unknown as Json), ...extra } as never));
}
function withObject(type: string, object: unknown, extra: Json) {
  return clone(stripeEvent(type, { ...(object as Json), ...extra } as never));
}
const charge = (extra: Json) => withObject("charge.refunded", chargeObject({ id: stripeId("ch"), amount: 10_000, amountRefunded: 2_000, paymentIntent: stripeId("pi") }), extra);
const invoice = (extra: Json) =>
  withObject("invoice.paid", invoiceObject({ id: stripeId("in"), amountPaid: 20_000, status: "paid", subscription: stripeId("sub"), paymentIntent: stripeId("pi"), customer: stripeId("cus") }), extra);
const subscription = (extra: Json) =>
  withObject("customer.subscription.updated", subscriptionObject({ id: stripeId("sub"), status: "active", customer: stripeId("cus"), itemId: stripeId("si"), product: stripeId("prod"), unitAmount: 30_000 }), extra);
const dispute = (extra: Json) => withObject("charge.dispute.created", disputeObject({ id: stripeId("dp"), charge: stripeId("ch"), amount: 5_000, status: "needs_response" }), extra);
const refund = (extra: Json) => withObject("refund.failed", refundObject({ id: stripeId("re"), charge: stripeId("ch"), amount: 5_000, status: "failed" }), extra);
const envelope = (change: (e: Json) => void) => {
  const e = session();
  change(e);
  return e;
};
const inObject = (e: Json, change: (o: Json) => void) => {
  change((e.data as Json).object as Json);
  return e;
};

/** [name, raw body]. Built fresh per call, so each run has its own event ids. */
function malformedBodies(): [string, string][] {
  const rows: [string, unknown][] = [
    ["a body of null", null],
    ["an array", []],
    ["a string", "evt"],
    ["no data", envelope((e) => delete e.data)],
    ["no data.object", envelope((e) => (e.data = {}))],
    ["data.object null", envelope((e) => (e.data = { object: null }))],
    ["no id", envelope((e) => delete e.id)],
    ["a NUL in the event id", envelope((e) => (e.id = `evt_${NUL}x`))],
    ["a type that is a number", envelope((e) => (e.type = 5))],
    ["created as text", envelope((e) => (e.created = "yesterday"))],
    ["created fractional", envelope((e) => (e.created = 1_700_000_000.5))],
    ["created negative", envelope((e) => (e.created = -1))],
    ["session amount fractional", session({ amount_total: 100.5 })],
    ["session amount a string", session({ amount_total: "12300" })],
    ["session amount negative", session({ amount_total: -12_300 })],
    ["session amount 2^63", session({ amount_total: 2 ** 63 })],
    ["session amount 2^53 + 2", session({ amount_total: 2 ** 53 + 2 })],
    ["a NUL in the session id", session({ id: `cs_${NUL}` })],
    ["a NUL in a metadata value", session({ metadata: { goal: `alla-ar-trygga${NUL}` } })],
    ["a NUL in a metadata key", session({ metadata: { [`go${NUL}al`]: "alla-ar-trygga" } })],
    ["a metadata value that is a number", session({ metadata: { payment_ref: 5 } })],
    ["a NUL in the donor's email", session({ customer_details: { email: `a${NUL}@example.com`, name: null } })],
    ["a payment intent id that is a number", session({ payment_intent: 7 })],
    ["no session id", inObject(session(), (o) => delete o.id)],
    ["charge refunded amount fractional", charge({ amount_refunded: 0.5 })],
    ["charge amount a string", charge({ amount: "10000" })],
    ["charge created as text", charge({ created: "now" })],
    ["a NUL in the charge's payment intent", charge({ payment_intent: `pi_${NUL}` })],
    ["invoice amount negative", invoice({ amount_paid: -1 })],
    ["invoice amount ≥ 2^63", invoice({ amount_paid: 9.3e18 })],
    ["invoice paid_at as text", invoice({ status_transitions: { paid_at: "today" } })],
    ["a NUL in the invoice's subscription", invoice({ parent: { subscription_details: { subscription: `sub_${NUL}`, metadata: {} } } })],
    ["subscription unit amount 2^64", inObject(subscription({}), (o) => (((o.items as Json).data as Json[])[0].price as Json).unit_amount = 2 ** 64)],
    ["subscription status null", subscription({ status: null })],
    ["dispute amount a string", dispute({ amount: "5000" })],
    ["refund amount 1e20", refund({ amount: 1e20 })],
  ];
  return [...rows.map(([name, body]): [string, string] => [name, JSON.stringify(body)]), ["not JSON", "{\"id\": \"evt_x\", "]];
}

function sign(raw: string) {
  return Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: WEBHOOK_SECRET });
}

async function nothingButAnomalies(db: Db, expectedAnomalies: number) {
  expect(await db.select({ n: count() }).from(stripeEvents)).toEqual([{ n: 1 }]); // the sound event only
  expect((await db.select().from(payments)).map((p) => p.amountOre)).toEqual([12_300n]);
  expect((await db.select().from(ledgerEntries)).reduce((s, e) => s + e.amountOre, 0n)).toBe(12_300n);
  expect(await db.select({ n: count() }).from(monthlyGifts)).toEqual([{ n: 0 }]);
  expect(await db.select({ n: count() }).from(emailOutbox)).toEqual([{ n: 1 }]); // the sound event's receipt
  const anomalies = await db.select().from(paymentAnomalies).where(eq(paymentAnomalies.kind, "malformed_event"));
  expect(anomalies).toHaveLength(expectedAnomalies);
  for (const a of anomalies) expect((a.details as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
}

describe.each(dbTargets)("malformed signed webhook events on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  it("answers each with 400, records it once for staff, and writes nothing else", async () => {
    const bodies = malformedBodies();
    for (const [name, raw] of bodies) {
      for (let delivery = 0; delivery < 2; delivery++) {
        const outcome = await receiveStripeWebhook(ctx.db, raw, sign(raw));
        expect({ name, outcome }).toEqual({ name, outcome: { status: 400, error: "malformed_event" } });
      }
    }
    const sound = JSON.stringify(session());
    expect(await receiveStripeWebhook(ctx.db, sound, sign(sound))).toMatchObject({ status: 200, result: "processed" });
    // Two deliveries of each: one anomaly each (bodies without a sound id are keyed by their hash).
    await nothingButAnomalies(ctx.db, bodies.length);
    const byId = await ctx.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.kind, "malformed_event"));
    expect(byId.filter((a) => a.objectId.startsWith("evt_"))).toHaveLength(bodies.length - 6);
  });
});

describe.each(dbTargets)("malformed signed webhook events through the production server on %s", (target) => {
  let url: URL | undefined;
  let dataDir = "";
  afterAll(async () => {
    if (url) await dropScratchPostgresDatabase(url);
  });

  it("answers each with 400, stays up, and records each once for staff", async () => {
    // A copy of the run's migrated template (tests/setup/global-db.ts), as any test server gets: migrating
    // an empty database here cost a second first start's CPU (about 20 CPU-s on PGlite) and tested nothing
    // of this file's (tests/foundation/server.test.ts starts on empty databases).
    dataDir = target === "pglite" ? freshDataDir({ DEMO_DATA: "0" }) : tempDir("malformed");
    if (target === "postgres") url = await createScratchPostgresDatabase(inject("postgresTemplate") || undefined);
    const server = await startServer({
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DATA_DIR: dataDir,
      DEMO_DATA: "0",
      ...(url ? { DATABASE_URL: url.toString() } : {}),
    }, 180_000);

    const bodies = malformedBodies();
    try {
      const post = (raw: string) =>
        fetch(`${server.url}/webhooks/stripe`, { method: "POST", body: raw, headers: { "content-type": "application/json", "stripe-signature": sign(raw) } });
      const answers = await Promise.all(bodies.flatMap(([name, raw]) => [post(raw), post(raw)].map(async (r) => [name, (await r).status] as const)));
      expect(answers.filter(([, status]) => status !== 400)).toEqual([]);
      const sound = JSON.stringify(session());
      expect((await post(sound)).status).toBe(200);
    } finally {
      await server.stop();
    }
    const database = await openDatabase(url ? { databaseUrl: url.toString() } : { pgliteDir: `${dataDir}/pglite` });
    try {
      await nothingButAnomalies(database.db, bodies.length);
    } finally {
      await database.close();
    }
  }, 300_000);
});
