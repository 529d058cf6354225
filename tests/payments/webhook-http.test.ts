import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutSessionObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { startFakeStripe, type FakeStripe } from "../fakes/stripe-server";
import { NO_DEMO_DATA, startServer, type RunningServer } from "../setup/server";
import { signedWebhookRequest } from "./helpers";

const SECRET = "whsec_http_test_secret";

/** The production server answers POST /webhooks/stripe itself (server.mjs), not through Remix's routing. */
describe("the webhook endpoint of the production server", () => {
  let server: RunningServer;
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
    server = await startServer({ ...NO_DEMO_DATA, STRIPE_SECRET_KEY: "sk_test_http", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: fake.url });
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

  it("answers with JSON and the security headers of every other response", async () => {
    const answer = await deliver(stripeEvent("customer.created", { object: "customer", id: stripeId("cus") }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("refuses a body over 1 MB with 413 and one of undeclared length with 411, before reading it", async () => {
    const post = (headers: Record<string, string>, body: string | Buffer) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(`${server.url}/webhooks/stripe`, { method: "POST", headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error)));
        req.end(body);
      });
    const big = Buffer.alloc(2 * 1024 * 1024, "a");
    expect(await post({ "Content-Type": "application/json", "Content-Length": String(big.length), "Stripe-Signature": "t=1,v1=00" }, big)).toBe(413);
    expect(await post({ "Content-Type": "application/json", "Transfer-Encoding": "chunked", "Stripe-Signature": "t=1,v1=00" }, "{}")).toBe(411);
  });
});
