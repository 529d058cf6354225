import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { payments, type NewPayment } from "~db/schema";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { checkoutSessionObject, stripeEvent } from "~/services/payments/stripe-objects";

/** One demo gift paid by card or Swish: what the give page writes, and the events Stripe would send about it. */
export interface DemoCheckoutGift {
  /** The fixed ids that make a second run a no-op. */
  sessionId: string;
  paymentIntent: string;
  eventId: string;
  /** Unix seconds: when Stripe says the event happened. */
  created: number;
  kr: number;
  method: "card" | "swish";
  name: string;
  email: string;
  /** The pending payment's own columns (channel, goal, collection, anonymity, greeting…). */
  payment: Omit<NewPayment, "method" | "amountOre" | "donorName" | "donorEmail" | "origin" | "checkoutSessionId">;
  /** The Checkout Session's metadata besides payment_ref (goal, channel, collection). */
  metadata: Record<string, string>;
}

/**
 * Records a demo gift through the real path, as the payments and collections demos do: a pending
 * payment (origin 'demo', so no receipt is sent) as the give page makes it, then checkout.session.completed
 * handed to dispatchStripeEvent. Idempotent: the session id is unique and the event id is stored once.
 */
export async function payDemoCheckout(db: Db, g: DemoCheckoutGift): Promise<void> {
  await db
    .insert(payments)
    .values({ ...g.payment, method: g.method, amountOre: BigInt(g.kr * 100), donorName: g.name, donorEmail: g.email, origin: "demo", checkoutSessionId: g.sessionId })
    .onConflictDoNothing();
  const [p] = await db.select({ id: payments.id }).from(payments).where(eq(payments.checkoutSessionId, g.sessionId));
  const session = checkoutSessionObject({
    id: g.sessionId,
    mode: "payment",
    amountTotal: g.kr * 100,
    status: "complete",
    paymentStatus: "paid",
    paymentIntent: g.paymentIntent,
    metadata: { payment_ref: p.id.toString(), ...g.metadata },
    customerEmail: g.email,
    customerName: g.name,
    allowedPaymentMethodTypes: [g.method],
  });
  await dispatchStripeEvent(db, stripeEvent("checkout.session.completed", session, { id: g.eventId, created: g.created }), "simulator");
}
