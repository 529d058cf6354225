import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { monthlyGifts, payments, rateLimits } from "~db/schema";
import { action as giveAction, loader as giveLoader } from "~/routes/give._index";
import { loader as thanksLoader } from "~/routes/give.thanks";
import { GIFT_START_LIMIT } from "~/services/payments/limits";
import { dbTargets, useTestDatabase } from "../setup/db";
import { useFakeStripe } from "./helpers";

type Failed = { init: { status: number; headers?: Record<string, string> }; data: { fieldErrors: Record<string, string> } };

const donor = { name: "Test Givare", email: "givare@example.com" };

/** The give form posted as a browser posts it, from one client address. */
async function post(fields: Record<string, string>, opts: { clientIp?: string; lang?: "en" } = {}) {
  const url = `http://127.0.0.1:3999/give${opts.lang ? `?lang=${opts.lang}` : ""}`;
  const request = new Request(url, { method: "POST", body: new URLSearchParams(fields), headers: { Origin: "http://127.0.0.1:3999" } });
  return (await giveAction({ request, params: {}, context: { clientIp: opts.clientIp ?? "198.51.100.1" } })) as unknown;
}

describe.each(dbTargets)("starting a gift on /give (%s)", (target) => {
  const ctx = useTestDatabase(target);
  const stripe = useFakeStripe();

  const paymentCount = async () => (await ctx.db.select({ n: count() }).from(payments))[0].n;
  const sessionsCreated = () => stripe.fake.requestsTo("POST", "/v1/checkout/sessions").length;
  const lastSession = () => stripe.fake.requestsTo("POST", "/v1/checkout/sessions").at(-1)!;

  it("charges the amount the donor typed, even with a preset radio still selected (250 + typed 300 → 300 kr)", async () => {
    const res = (await post({ frequency: "one_off", amount: "250", amountOther: "300", method: "card", ...donor }, { clientIp: "198.51.100.10" })) as Response;
    expect(res.status).toBe(302);
    expect(lastSession().body).toMatchObject({ line_items: [{ price_data: { unit_amount: "30000" } }] });
    const sessionId = res.headers.get("Location")!.split("/pay/")[1];
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, sessionId));
    expect(p.amountOre).toBe(30_000n);
  });

  it("still takes the preset when nothing is typed, and asks for an amount when 'other' is empty", async () => {
    const res = (await post({ frequency: "one_off", amount: "500", amountOther: "  ", method: "card", ...donor }, { clientIp: "198.51.100.11" })) as Response;
    expect(res.status).toBe(302);
    expect(lastSession().body).toMatchObject({ line_items: [{ price_data: { unit_amount: "50000" } }] });
    const empty = (await post({ frequency: "one_off", amount: "other", amountOther: "", method: "card", ...donor }, { clientIp: "198.51.100.11" })) as Failed;
    expect(empty.init.status).toBe(400);
    expect(empty.data.fieldErrors.amount).toBe("Välj ett belopp eller skriv ett eget.");
  });

  it("refuses Swish for a monthly gift next to the payment method, before any payment, in the reader's language", async () => {
    const before = { payments: await paymentCount(), sessions: sessionsCreated() };
    const gifts = (await ctx.db.select({ n: count() }).from(monthlyGifts))[0].n;
    const sv = (await post({ frequency: "monthly", amount: "100", method: "swish", ...donor }, { clientIp: "198.51.100.12" })) as Failed;
    expect(sv.init.status).toBe(400);
    expect(sv.data.fieldErrors.method).toBe("Swish kan inte användas för månadsgåvor. Välj Kort för en månadsgåva, eller En gång för att ge med Swish.");
    expect(Object.keys(sv.data.fieldErrors)).toEqual(["method"]);
    const en = (await post({ frequency: "monthly", amount: "100", method: "swish", ...donor }, { clientIp: "198.51.100.12", lang: "en" })) as Failed;
    expect(en.data.fieldErrors.method).toBe("Swish cannot be used for monthly gifts. Choose Card for a monthly gift, or Once to give with Swish.");
    expect(await paymentCount()).toBe(before.payments);
    expect((await ctx.db.select({ n: count() }).from(monthlyGifts))[0].n).toBe(gifts);
    expect(sessionsCreated()).toBe(before.sessions);
    // Card (or no method: the form's monthly choice) goes through as a card subscription.
    const card = (await post({ frequency: "monthly", amount: "100", method: "card", ...donor }, { clientIp: "198.51.100.12" })) as Response;
    expect(card.status).toBe(302);
    expect(lastSession().body).toMatchObject({ mode: "subscription", allowed_payment_method_types: ["card"] });
  });

  it("preselects card, not Swish, when the page is opened for a monthly gift", async () => {
    const monthly = await giveLoader({ request: new Request("http://127.0.0.1:3999/give?frequency=monthly"), params: {}, context: {} });
    expect(monthly.defaults.method).toBe("card");
    const once = await giveLoader({ request: new Request("http://127.0.0.1:3999/give"), params: {}, context: {} });
    expect(once.defaults.method).toBe("swish");
  });

  it("limits how many gifts one client can start: over the limit a 429 with a message, no payment and no Checkout Session", async () => {
    const client = "203.0.113.7";
    for (let i = 0; i < GIFT_START_LIMIT.max; i++) {
      const ok = (await post({ frequency: "one_off", amount: "100", method: "card", ...donor }, { clientIp: client })) as Response;
      expect(ok.status, `gift ${i + 1}`).toBe(302);
    }
    const before = { payments: await paymentCount(), sessions: sessionsCreated() };
    const over = (await post({ frequency: "one_off", amount: "100", method: "card", ...donor }, { clientIp: client })) as Failed & { init: { headers: Headers } };
    expect(over.init.status).toBe(429);
    expect(over.data.fieldErrors._form).toMatch(/^Du har startat många gåvor på kort tid\. Vänta \d+ min och försök sedan igen\.$/);
    expect(Number(new Headers(over.init.headers).get("Retry-After"))).toBeGreaterThan(0);
    const en = (await post({ frequency: "one_off", amount: "100", method: "card", ...donor }, { clientIp: client, lang: "en" })) as Failed;
    expect(en.init.status).toBe(429);
    expect(en.data.fieldErrors._form).toMatch(/^You have started many gifts in a short time\. Please wait \d+ min and then try again\.$/);
    expect(await paymentCount()).toBe(before.payments);
    expect(sessionsCreated()).toBe(before.sessions);
    // Another client is not affected.
    const other = (await post({ frequency: "one_off", amount: "100", method: "card", ...donor }, { clientIp: "203.0.113.8" })) as Response;
    expect(other.status).toBe(302);
  });

  it("asks Stripe about a pending payment at most once per interval, however often /give/thanks is viewed", async () => {
    const res = (await post({ frequency: "one_off", amount: "120", method: "card", ...donor }, { clientIp: "198.51.100.20" })) as Response;
    const sessionId = res.headers.get("Location")!.split("/pay/")[1];
    const ref = new URL(stripe.fake.sessions.get(sessionId)!.fields.successUrl!).searchParams.get("ref")!;
    const view = () => thanksLoader({ request: new Request(`http://127.0.0.1:3999/give/thanks?ref=${ref}`), params: {}, context: {} });
    const asked = () => stripe.fake.requestsTo("GET", `/v1/checkout/sessions/${sessionId}`).length;
    // Several tabs reloading at once (any app instance: the counter is in the shared database).
    const pages = await Promise.all(Array.from({ length: 6 }, view));
    expect(pages.every((p) => p.gift.status === "pending")).toBe(true);
    expect(asked()).toBe(1);
    expect((await view()).gift.status).toBe("pending");
    expect(asked()).toBe(1);
    // Once the interval has passed (moved back in the database instead of sleeping), it asks again.
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, sessionId));
    await ctx.db
      .update(rateLimits)
      .set({ windowStart: sql`${rateLimits.windowStart} - interval '1 minute'` })
      .where(eq(rateLimits.key, `give:confirm:${p.id}`));
    stripe.fake.completeSession(sessionId);
    expect((await view()).gift.status).toBe("paid");
    expect(asked()).toBe(2);
  });
});
