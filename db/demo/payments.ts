import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, monthlyGifts, payments } from "~db/schema";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { chargeObject, invoiceObject, stripeEvent } from "~/services/payments/stripe-objects";
import { payDemoCheckout } from "./demo-gift";

/**
 * Demo gifts, marked demo (origin 'demo', fictional donors at example.com), recorded through the
 * real path: a pending payment as the give page makes it, then the events Stripe would send, handed
 * to dispatchStripeEvent. Fixed event and session ids make it idempotent (a second run is a no-op).
 * No receipts are sent for demo payments.
 */
const demoGifts: { n: number; goal: string | null; kr: number; method: "card" | "swish"; name: string; anonymous?: boolean; greeting?: string }[] = [
  { n: 1, goal: "alla-ar-trygga", kr: 500, method: "swish", name: "Demo Andersson", greeting: "Tack för att ni finns!" },
  { n: 2, goal: "ingen-hemloshet", kr: 1000, method: "card", name: "Demo Berg" },
  { n: 3, goal: "ingen-ensamhet", kr: 250, method: "swish", name: "Demo Carlsson", anonymous: true },
  { n: 4, goal: null, kr: 1500, method: "card", name: "Demo Dahl" },
  { n: 5, goal: "alla-kan-arbeta", kr: 300, method: "swish", name: "Demo Ek" },
  { n: 6, goal: "ingen-psykisk-ohalsa", kr: 750, method: "card", name: "Demo Forsberg" },
  { n: 7, goal: null, kr: 200, method: "swish", name: "Demo Gran" },
];

export async function seedPaymentsDemo(db: Db): Promise<void> {
  const slugs = new Map((await db.select({ id: goals.id, slug: goals.slug }).from(goals)).map((g) => [g.slug, g.id]));
  const created = Math.floor(Date.UTC(2026, 0, 15) / 1000);
  for (const g of demoGifts) {
    await payDemoCheckout(db, {
      sessionId: `cs_demo_${g.n}`,
      paymentIntent: `pi_demo_${g.n}`,
      eventId: `evt_demo_${g.n}`,
      created: created + g.n * 86400,
      kr: g.kr,
      method: g.method,
      name: g.name,
      email: `demo.givare${g.n}@example.com`,
      payment: { channel: "one_off_gift", goalId: g.goal ? (slugs.get(g.goal) ?? null) : null, anonymous: g.anonymous ?? false, greeting: g.greeting ?? null },
      metadata: { goal: g.goal ?? "", channel: "one_off_gift" },
    });
  }
  // One partial refund (100 kr of the 1 000 kr gift), as Stripe reports it.
  const refunded = chargeObject({ id: "ch_demo_2", amount: 100_000, amountRefunded: 10_000, paymentIntent: "pi_demo_2", metadata: {} });
  await dispatchStripeEvent(db, stripeEvent("charge.refunded", refunded, { id: "evt_demo_refund_2", created: created + 20 * 86400 }), "simulator");

  // One monthly gift with two paid months.
  await db
    .insert(monthlyGifts)
    .values({
      status: "pending",
      amountOre: 20_000n,
      goalId: slugs.get("alla-ar-trygga") ?? null,
      donorName: "Demo Holm",
      donorEmail: "demo.manadsgivare@example.com",
      demo: true,
      checkoutSessionId: "cs_demo_monthly",
      subscriptionId: "sub_demo_1",
      customerId: "cus_demo_1",
    })
    .onConflictDoNothing();
  const [gift] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.subscriptionId, "sub_demo_1"));
  for (const month of [1, 2]) {
    const invoice = invoiceObject({
      id: `in_demo_${month}`,
      amountPaid: 20_000,
      status: "paid",
      subscription: "sub_demo_1",
      subscriptionMetadata: { monthly_gift_id: gift.id.toString() },
      billingReason: month === 1 ? "subscription_create" : "subscription_cycle",
      paymentIntent: `pi_demo_monthly_${month}`,
      customer: "cus_demo_1",
      paidAt: created + month * 30 * 86400,
    });
    await dispatchStripeEvent(db, stripeEvent("invoice.paid", invoice, { id: `evt_demo_invoice_${month}`, created: created + month * 30 * 86400 }), "simulator");
  }
}
