import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutSessionObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { startFakeStripe, type FakeStripe } from "../fakes/stripe-server";
import { startServer, type RunningServer } from "../setup/server";
import { signedWebhookRequest } from "./helpers";

const SECRET = "whsec_http_test_secret";

/** The production server answers POST /webhooks/stripe itself (server.mjs), not through Remix's routing. */
describe("the webhook endpoint of the production server", () => {
  let server: RunningServer;
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
    server = await startServer({ STRIPE_SECRET_KEY: "sk_test_http", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: fake.url });
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.stop();
  });

  async function deliver(event: unknown, secret = SECRET) {
    const signed = signedWebhookRequest(event, secret, `${server.url}/webhooks/stripe`);
    return fetch(signed);
  }

  const raised = async (slug: string) =>
    ((await (await fetch(`${server.url}/api/goals`)).json()) as { slug: string; raisedOre: number }[]).find((g) => g.slug === slug)!.raisedOre;

  it("records a signed payment once, however often it is delivered, and the goal's balance shows it", async () => {
    const before = await raised("ingen-ensamhet");
    const session = checkoutSessionObject({
      id: stripeId("cs"),
      mode: "payment",
      amountTotal: 31_400,
      status: "complete",
      paymentStatus: "paid",
      paymentIntent: stripeId("pi"),
      metadata: { goal: "ingen-ensamhet" },
    });
    const event = stripeEvent("checkout.session.completed", session);
    const answers = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await answers[0].json()).toMatchObject({ received: true });
    expect((await raised("ingen-ensamhet")) - before).toBe(31_400);
  });

  it("refuses a bad or missing signature with 400 and answers an unknown event type with 200", async () => {
    const event = stripeEvent("customer.created", { object: "customer", id: stripeId("cus") });
    expect((await deliver(event, "whsec_wrong")).status).toBe(400);
    const unsigned = await fetch(`${server.url}/webhooks/stripe`, { method: "POST", body: JSON.stringify(event), headers: { "content-type": "application/json" } });
    expect(unsigned.status).toBe(400);
    expect((await deliver(event)).status).toBe(200);
  });
});
