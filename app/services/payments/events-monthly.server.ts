import { and, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "~db/client.server";
import { monthlyGifts, payments, type MonthlyGift } from "~db/schema";
import { beforeRead } from "./deferred-writes.server";
import { channelOf, createExternalPayment, flag, goalIdForSlug, idOf, lockKey, lockPayment, markPaid, refOf, stripIds, type Ctx } from "./events-common.server";
import { notifyMonthlyGiftFailed } from "./notify.server";

/** Monthly gifts: subscriptions (started by Checkout or elsewhere), their invoices paid or failed, their state. */
export function giftRefOf(metadata: Stripe.Metadata | null | undefined): bigint | null {
  const ref = metadata?.monthly_gift_id;
  return ref && /^\d{1,18}$/.test(ref) ? BigInt(ref) : null;
}

export async function lockGift(tx: Tx, keys: { id?: bigint | null; subscriptionId?: string | null; checkoutSessionId?: string | null }): Promise<MonthlyGift | undefined> {
  const conds: SQL[] = [];
  if (keys.id) conds.push(eq(monthlyGifts.id, keys.id));
  if (keys.subscriptionId) conds.push(eq(monthlyGifts.subscriptionId, keys.subscriptionId));
  if (keys.checkoutSessionId) conds.push(eq(monthlyGifts.checkoutSessionId, keys.checkoutSessionId));
  if (conds.length === 0) return undefined;
  const [row] = await tx
    .select()
    .from(monthlyGifts)
    .where(conds.length === 1 ? conds[0] : or(...conds))
    .orderBy(monthlyGifts.id)
    .limit(1)
    .for("update");
  return row;
}

/** A subscription the app did not start: recorded so its invoices have a gift, flagged for staff. */
async function externalGift(
  tx: Tx,
  ctx: Ctx,
  keys: { subscriptionId: string },
  values: Omit<typeof monthlyGifts.$inferInsert, "goalId">,
  metadata: Stripe.Metadata | null | undefined,
) {
  const goal = goalIdForSlug(ctx, metadata?.goal);
  await tx.insert(monthlyGifts).values({ ...values, goalId: goal.goalId }).onConflictDoNothing();
  const gift = await lockGift(tx, keys);
  if (!gift) throw new Error(`monthly gift for ${keys.subscriptionId} could not be recorded`);
  await flag(tx, ctx.batch, null, "external_payment", keys.subscriptionId, { goal: metadata?.goal ?? null, monthlyGiftId: gift.id.toString() });
  return gift;
}

export async function subscriptionCheckoutCompleted(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  const subscriptionId = idOf(session.subscription);
  await lockKey(tx, subscriptionId ? `sub:${subscriptionId}` : `cs:${session.id}`, ctx.batch);
  let gift = await lockGift(tx, { id: giftRefOf(session.metadata), subscriptionId, checkoutSessionId: session.id });
  if (!gift) {
    if (!subscriptionId) return;
    gift = await externalGift(
      tx,
      ctx,
      { subscriptionId },
      {
        status: "active",
        amountOre: BigInt(session.amount_total ?? 0) || 1n,
        donorName: session.customer_details?.name ?? "",
        donorEmail: session.customer_details?.email ?? "",
        checkoutSessionId: session.id,
        subscriptionId,
        customerId: idOf(session.customer),
      },
      session.metadata,
    );
  }
  await tx
    .update(monthlyGifts)
    .set({
      ...stripIds(gift as never, { subscriptionId, customerId: idOf(session.customer), checkoutSessionId: session.id }),
      ...donorFill(gift, session.customer_details?.name, session.customer_details?.email),
      status: gift.status === "pending" || abandoned(gift) ? "active" : gift.status,
      ...(abandoned(gift) && { canceledAt: null }),
      updatedAt: new Date(),
    })
    .where(eq(monthlyGifts.id, gift.id));
}

/**
 * Canceled before any subscription existed: its Checkout expired or was left. Stripe can still
 * complete a session whose expiry (or the donor's "cancel") is recorded here first, so this
 * cancellation gives way to a subscription's events; a subscription's cancellation is final.
 */
function abandoned(gift: MonthlyGift): boolean {
  return gift.status === "canceled" && gift.subscriptionId === null && gift.stateAt === null;
}

/** A gift first recorded from a subscription event has no donor yet: the first name and address Stripe gives fill it. */
function donorFill(gift: MonthlyGift, name: string | null | undefined, email: string | null | undefined): Partial<MonthlyGift> {
  const fill: Partial<MonthlyGift> = {};
  if (!gift.donorName && name) fill.donorName = name;
  if (!gift.donorEmail && email) fill.donorEmail = email;
  return fill;
}

export function invoiceSubscription(invoice: Stripe.Invoice): { subscriptionId: string | null; metadata: Stripe.Metadata | null } {
  const details = invoice.parent?.subscription_details;
  return { subscriptionId: idOf(details?.subscription as string | { id: string } | undefined), metadata: details?.metadata ?? null };
}

function invoicePaymentIntent(invoice: Stripe.Invoice): string | null {
  const first = invoice.payments?.data?.[0]?.payment;
  return idOf(first?.payment_intent as string | { id: string } | undefined);
}

export async function onInvoicePaid(tx: Tx, invoice: Stripe.Invoice, ctx: Ctx) {
  const { subscriptionId, metadata } = invoiceSubscription(invoice);
  const paymentIntentId = invoicePaymentIntent(invoice);
  await lockKey(tx, subscriptionId ? `sub:${subscriptionId}` : null, ctx.batch);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `in:${invoice.id}`, ctx.batch);
  const paidAt = new Date((invoice.status_transitions?.paid_at ?? ctx.created) * 1000);
  const facts = {
    amountOre: BigInt(invoice.amount_paid),
    currency: invoice.currency,
    paidAt,
    objectId: invoice.id!,
    method: "card",
    set: { invoiceId: invoice.id!, paymentIntentId },
  };
  if (!subscriptionId) {
    // An invoice that is not a monthly gift (e.g. a partner invoice sent from the dashboard).
    const keys = { ref: refOf(invoice.metadata), invoiceId: invoice.id, paymentIntentId };
    const payment =
      (await lockPayment(tx, keys, ctx.batch)) ??
      (await createExternalPayment(
        tx,
        ctx,
        invoice.id!,
        {
          channel: channelOf(invoice.metadata, "partner_fee"),
          amountOre: BigInt(invoice.amount_paid),
          currency: invoice.currency,
          invoiceId: invoice.id,
          paymentIntentId,
          donorEmail: invoice.customer_email ?? null,
          donorName: invoice.customer_name ?? null,
        },
        invoice.metadata,
        keys,
      ));
    await markPaid(tx, payment, facts, ctx);
    return;
  }
  let gift = await lockGift(tx, { id: giftRefOf(metadata), subscriptionId });
  if (!gift) {
    gift = await externalGift(
      tx,
      ctx,
      { subscriptionId },
      {
        status: "active",
        amountOre: BigInt(invoice.amount_paid) || 1n,
        donorName: invoice.customer_name ?? "",
        donorEmail: invoice.customer_email ?? "",
        subscriptionId,
        customerId: idOf(invoice.customer as string | { id: string } | null),
      },
      metadata,
    );
  }
  let payment = await lockPayment(tx, { invoiceId: invoice.id, paymentIntentId }, ctx.batch);
  if (!payment && invoice.billing_reason === "subscription_create") {
    // The first month: the pending payment recorded before the redirect to Checkout.
    await beforeRead(ctx.batch, "payments");
    const [first] = await tx
      .select()
      .from(payments)
      // Expired too: a Checkout that expired (or that the donor left) and was then paid after all.
      .where(and(eq(payments.monthlyGiftId, gift.id), isNull(payments.invoiceId), inArray(payments.status, ["pending", "expired", "failed"])))
      .orderBy(payments.id)
      .limit(1)
      .for("update");
    payment = first;
  }
  if (!payment) {
    await beforeRead(ctx.batch, "payments");
    await tx
      .insert(payments)
      .values({
        channel: "monthly_gift",
        amountOre: gift.amountOre,
        currency: gift.currency,
        goalId: gift.goalId,
        donorName: gift.donorName,
        donorEmail: gift.donorEmail,
        anonymous: gift.anonymous,
        greeting: gift.greeting,
        locale: gift.locale,
        origin: gift.demo ? "demo" : giftRefOf(metadata) ? "app" : "external",
        monthlyGiftId: gift.id,
        invoiceId: invoice.id,
        paymentIntentId,
        method: "card",
      })
      .onConflictDoNothing();
    payment = await lockPayment(tx, { invoiceId: invoice.id, paymentIntentId }, ctx.batch);
    if (!payment) throw new Error(`payment for invoice ${invoice.id} could not be recorded`);
  }
  await markPaid(tx, payment, facts, ctx);
  // The invoice may arrive before checkout.session.completed: it names the subscription too.
  const customerId = idOf(invoice.customer as string | { id: string } | null);
  const fill: Partial<MonthlyGift> = donorFill(gift, invoice.customer_name, invoice.customer_email);
  if (!gift.subscriptionId) fill.subscriptionId = subscriptionId;
  if (!gift.customerId && customerId) fill.customerId = customerId;
  // A paid month starts a pending gift. Otherwise the subscription's own events (newest wins, see
  // applySubscriptionState) say whether it is active, past due or canceled; the invoice only counts
  // while none has been seen.
  const status = gift.status === "pending" || abandoned(gift) || (gift.stateAt === null && gift.status === "past_due") ? "active" : gift.status;
  if (status !== gift.status || Object.keys(fill).length) {
    await tx
      .update(monthlyGifts)
      .set({ ...fill, status, ...(abandoned(gift) && { canceledAt: null }), updatedAt: new Date() })
      .where(eq(monthlyGifts.id, gift.id));
  }
}

/**
 * A month could not be charged. The donor is told, unless the gift is canceled, or a newer state of
 * the subscription has been recorded already (the card was updated and the gift is active again):
 * an old failure arriving late says nothing true any more. A subscription not recorded yet (one the
 * app did not start, whose other events are still on their way) is recorded from the invoice.
 */
export async function onInvoicePaymentFailed(tx: Tx, invoice: Stripe.Invoice, ctx: Ctx) {
  const { subscriptionId, metadata } = invoiceSubscription(invoice);
  if (!subscriptionId) return;
  await lockKey(tx, `sub:${subscriptionId}`, ctx.batch);
  let gift = await lockGift(tx, { id: giftRefOf(metadata), subscriptionId });
  if (!gift) {
    gift = await externalGift(
      tx,
      ctx,
      { subscriptionId },
      {
        status: "past_due",
        amountOre: BigInt(invoice.amount_due ?? 0) || 1n,
        donorName: invoice.customer_name ?? "",
        donorEmail: invoice.customer_email ?? "",
        subscriptionId,
        customerId: idOf(invoice.customer as string | { id: string } | null),
      },
      metadata,
    );
  }
  if (gift.status === "canceled") return;
  if (gift.stateAt !== null && ctx.created < gift.stateAt) return;
  const fill = donorFill(gift, invoice.customer_name, invoice.customer_email);
  const current = { ...gift, ...fill, status: "past_due" };
  await tx.update(monthlyGifts).set({ ...fill, status: "past_due", updatedAt: new Date() }).where(eq(monthlyGifts.id, gift.id));
  await notifyMonthlyGiftFailed(tx, current, `${invoice.id}:${invoice.attempt_count ?? 0}`, ctx.batch);
}

export async function onSubscriptionChanged(tx: Tx, sub: Stripe.Subscription, ctx: Ctx) {
  await applySubscriptionState(tx, sub, ctx.created, ctx);
}

/**
 * A subscription's state as Stripe reports it: amount and status. Used by the webhook and by the
 * self-service page right after it changed the subscription (same function, so both agree).
 * Canceled is final: an older "updated" event arriving late does not bring a gift back.
 * An older event does not overwrite a newer one (state_at = the event's time).
 * From the webhook (`ctx` given), a subscription the app does not know yet (one it did not start,
 * whose first invoice has not arrived) is recorded with this state rather than dropped, so events
 * in any order end in the state Stripe sent last.
 */
export async function applySubscriptionState(tx: Tx, sub: Stripe.Subscription, at: number, ctx?: Ctx) {
  await lockKey(tx, `sub:${sub.id}`, ctx?.batch);
  let gift = await lockGift(tx, { id: giftRefOf(sub.metadata), subscriptionId: sub.id });
  const amount = subscriptionAmount(sub);
  if (!gift) {
    if (!ctx) return;
    gift = await externalGift(
      tx,
      ctx,
      { subscriptionId: sub.id },
      {
        status: statusOf(sub, "pending"),
        amountOre: amount !== null && amount > 0n ? amount : 1n,
        donorName: "",
        donorEmail: "",
        subscriptionId: sub.id,
        customerId: idOf(sub.customer as string | { id: string }),
        stateAt: at,
        canceledAt: statusOf(sub, "pending") === "canceled" ? new Date(at * 1000) : null,
      },
      sub.metadata,
    );
  }
  if (gift.status === "canceled" && !abandoned(gift)) return;
  if (gift.stateAt !== null && at < gift.stateAt) return;
  const status = statusOf(sub, abandoned(gift) ? "pending" : gift.status);
  await tx
    .update(monthlyGifts)
    .set({
      amountOre: amount !== null && amount > 0n ? amount : gift.amountOre,
      status,
      stateAt: at,
      subscriptionId: gift.subscriptionId ?? sub.id,
      customerId: gift.customerId ?? idOf(sub.customer as string | { id: string }),
      canceledAt: status === "canceled" ? new Date(at * 1000) : abandoned(gift) ? null : gift.canceledAt,
      updatedAt: new Date(),
    })
    .where(eq(monthlyGifts.id, gift.id));
}

function subscriptionAmount(sub: Stripe.Subscription): bigint | null {
  const item = sub.items?.data?.[0];
  return item?.price?.unit_amount != null ? BigInt(item.price.unit_amount) * BigInt(item.quantity ?? 1) : null;
}

/** The gift's status for Stripe's subscription status; `otherwise` for states that do not change it (incomplete, paused). */
function statusOf(sub: Stripe.Subscription, otherwise: MonthlyGift["status"]): MonthlyGift["status"] {
  switch (sub.status) {
    case "canceled":
    case "incomplete_expired":
      return "canceled";
    case "past_due":
    case "unpaid":
      return "past_due";
    case "active":
    case "trialing":
      return "active";
    default:
      return otherwise;
  }
}
