import { asc, eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, ledgerEntries, payments, type LedgerEntry, type Payment } from "~db/schema";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { chargeObject, checkoutSessionObject, stripeEvent } from "~/services/payments/stripe-objects";
import { unique } from "./unique";

type NewPayment = typeof payments.$inferInsert;

/** A goal's id from its slug (the five reference goals are in every test database). */
export async function goalId(db: Db, slug: string): Promise<number> {
  const [goal] = await db.select({ id: goals.id }).from(goals).where(eq(goals.slug, slug));
  if (!goal) throw new Error(`no goal with slug ${slug}`);
  return goal.id;
}

/**
 * A pending payment as the give page writes it before sending the donor to Checkout (one-off gift of
 * 250 kr by card to "där behovet är störst"); any column can be overridden. No money yet: no ledger.
 */
export async function createPendingPayment(db: Db, overrides: Partial<NewPayment> = {}): Promise<Payment> {
  const key = unique();
  const [payment] = await db
    .insert(payments)
    .values({
      channel: "one_off_gift",
      method: "card",
      amountOre: 25_000n,
      goalId: null,
      donorName: `Givare ${key}`,
      donorEmail: `givare-${key}@example.com`,
      checkoutSessionId: `cs_test_factory_${key}`,
      ...overrides,
    })
    .returning();
  return payment;
}

export interface PaidGiftOptions {
  /** Öre, default 25 000 (250 kr). */
  amountOre?: bigint;
  /** A goal's slug, or null (default) for "där behovet är störst", split by the allocation rule in force. */
  goal?: string | null;
  method?: "card" | "swish";
  /** When Stripe says it was paid (default now): decides which allocation rule applies. */
  paidAt?: Date;
  /** Columns of the pending payment (donor, greeting, anonymous, locale…). */
  payment?: Partial<NewPayment>;
}

/**
 * A one-off gift that was paid, recorded the way production records it: a pending payment, then
 * Stripe's checkout.session.completed handed to dispatchStripeEvent, which posts the ledger entries
 * (and queues the receipt). Needs the app's env set (usePaymentEnv / useIdentityEnv), as the webhook does.
 */
export async function createPaidGift(db: Db, opts: PaidGiftOptions = {}): Promise<{ payment: Payment; entries: LedgerEntry[] }> {
  const amountOre = opts.amountOre ?? 25_000n;
  const method = opts.method ?? "card";
  const goal = opts.goal ?? null;
  const pending = await createPendingPayment(db, { amountOre, method, goalId: goal ? await goalId(db, goal) : null, ...opts.payment });
  const session = checkoutSessionObject({
    id: pending.checkoutSessionId!,
    mode: "payment",
    amountTotal: Number(amountOre),
    status: "complete",
    paymentStatus: "paid",
    paymentIntent: `pi_test_factory_${unique()}`,
    metadata: { payment_ref: pending.id.toString(), goal: goal ?? "", channel: pending.channel },
    customerEmail: pending.donorEmail ?? undefined,
    customerName: pending.donorName ?? undefined,
    allowedPaymentMethodTypes: [method],
  });
  const created = Math.floor((opts.paidAt ?? new Date()).getTime() / 1000);
  const result = await dispatchStripeEvent(db, stripeEvent("checkout.session.completed", session, { created }), "simulator");
  if (result !== "processed") throw new Error(`checkout.session.completed was ${result}`);
  return paymentWithEntries(db, pending.id);
}

/**
 * Refunds a paid gift so that `refundedOre` in all has been refunded (Stripe reports the cumulative
 * amount), through charge.refunded: the ledger gets its reversal entries.
 */
export async function refundGift(db: Db, payment: Payment, refundedOre: bigint): Promise<{ payment: Payment; entries: LedgerEntry[] }> {
  const charge = chargeObject({
    id: payment.chargeId ?? `ch_test_factory_${unique()}`,
    amount: Number(payment.amountOre),
    amountRefunded: Number(refundedOre),
    paymentIntent: payment.paymentIntentId,
    metadata: { payment_ref: payment.id.toString() },
  });
  await dispatchStripeEvent(db, stripeEvent("charge.refunded", charge), "simulator");
  return paymentWithEntries(db, payment.id);
}

async function paymentWithEntries(db: Db, id: bigint) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, id));
  const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, id)).orderBy(asc(ledgerEntries.id));
  return { payment, entries };
}
