import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "~db/client.server";
import { ledgerEntries, monthlyGifts, type Payment } from "~db/schema";
import { beforeRead, patchPayment } from "./deferred-writes.server";
import { collectionOfMetadata } from "./events-collections.server";
import {
  channelOf,
  createExternalPayment,
  flag,
  goalIdForSlug,
  idOf,
  lockKey,
  lockPayment,
  markPaid,
  methodOfSession,
  refOf,
  stripIds,
  type Ctx,
} from "./events-common.server";
import { giftRefOf, lockGift, subscriptionCheckoutCompleted } from "./events-monthly.server";
import { onPartnerFeePaid } from "~/services/partners/signup-fee.server";

/** Checkout Sessions: completed (paid or, for Swish, not yet), async payment succeeded or failed, expired. */
/**
 * A payment the app did not start, recorded from another event first (e.g. a refund before
 * checkout.session.completed): the session's metadata.goal designates it, whatever the order. With
 * no ledger allocation yet, the goal is set from the session; once allocated (the ledger is never
 * rewritten) a different goal is flagged for staff (`goal_mismatch`).
 */
async function designateFromSession(tx: Tx, payment: Payment, session: Stripe.Checkout.Session, ctx: Ctx): Promise<Payment> {
  // metadata.collection names the collection and, through it, the goal (over metadata.goal). A
  // payment attributed already got its collection's goal when it was recorded.
  if (payment.collectionId !== null) return payment;
  const lookup = await collectionOfMetadata(tx, session.metadata);
  const collection = lookup && "found" in lookup ? lookup.found : null;
  if (lookup && "unknown" in lookup) await flag(tx, ctx.batch, payment.id, "unknown_collection", session.id, { collection: lookup.unknown });
  const slug = collection ? ctx.goals.byId.get(collection.goalId)?.slug : session.metadata?.goal;
  if (!slug) return payment;
  const goal = goalIdForSlug(ctx, slug);
  if (goal.unknown) await flag(tx, ctx.batch, payment.id, "unknown_goal", session.id, { goal: slug });
  if (goal.goalId === null || (goal.goalId === payment.goalId && !collection)) return payment;
  await beforeRead(ctx.batch, "ledger_entries");
  const [allocated] = await tx
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.paymentId, payment.id), eq(ledgerEntries.kind, "allocation")))
    .limit(1);
  const set: Partial<Payment> = {};
  if (collection) {
    // Attributed whatever the ledger holds already (the collection's total is the payment's entries,
    // on whichever goal they are); the channel only while no entry carries the old one.
    Object.assign(set, { collectionId: collection.collectionId, competitionTeamId: collection.competitionTeamId });
    if (!allocated) set.channel = collection.channel;
    if (collection.closed) await flag(tx, ctx.batch, payment.id, "collection_closed", session.id, { collectionId: collection.collectionId });
  }
  if (goal.goalId !== payment.goalId) {
    if (allocated) await flag(tx, ctx.batch, payment.id, "goal_mismatch", session.id, { recordedGoalId: payment.goalId, sessionGoal: slug });
    else set.goalId = goal.goalId;
  }
  return Object.keys(set).length ? patchPayment(tx, payment, { ...set, updatedAt: new Date() }, ctx.batch) : payment;
}

export async function onCheckoutSessionCompleted(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  if (session.mode === "subscription") return subscriptionCheckoutCompleted(tx, session, ctx);
  const paymentIntentId = idOf(session.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `cs:${session.id}`, ctx.batch);
  const keys = { ref: refOf(session.metadata), sessionId: session.id, paymentIntentId };
  const paid = session.payment_status === "paid";
  const external = () =>
    createExternalPayment(
      tx,
      ctx,
      session.id,
      {
        channel: channelOf(session.metadata, "one_off_gift"),
        amountOre: BigInt(session.amount_total ?? 0),
        currency: (session.currency ?? "sek").toLowerCase(),
        checkoutSessionId: session.id,
        paymentIntentId,
        donorEmail: session.customer_details?.email ?? null,
        donorName: session.customer_details?.name ?? null,
        method: methodOfSession(session),
      },
      session.metadata,
      keys,
      { paidAt: new Date(ctx.created * 1000) },
    );
  // Paid without the app's payment_ref (a Payment Link): usually a new payment, so it is inserted
  // first; one recorded already (by its refund, or an earlier delivery) has the session's or the
  // PaymentIntent's id and is found by the insert's conflict (createExternalPayment). Two round trips
  // fewer for a new payment: no lookup before the insert, and its ledger reads go with the insert.
  let payment = paid && !keys.ref ? await external() : await lockPayment(tx, keys, ctx.batch);
  if (!payment) {
    if (!paid) return; // Not paid and not ours: nothing to record until money moves.
    payment = await external();
  }
  if (paid && payment.origin === "external") payment = await designateFromSession(tx, payment, session, ctx);
  const ids = { checkoutSessionId: session.id, paymentIntentId };
  if (!paid) {
    // Swish and other delayed methods: completed but not yet paid; async_payment_succeeded follows.
    const set = stripIds(payment, ids);
    if (Object.keys(set).length) await patchPayment(tx, payment, set, ctx.batch);
    return;
  }
  await markPaid(
    tx,
    payment,
    {
      amountOre: BigInt(session.amount_total ?? 0),
      currency: session.currency ?? "sek",
      paidAt: new Date(ctx.created * 1000),
      objectId: session.id,
      method: methodOfSession(session),
      set: { ...ids, donorEmail: session.customer_details?.email ?? null },
    },
    ctx,
  );
  if (payment.partnershipId !== null) await onPartnerFeePaid(tx, payment.partnershipId, ctx);
}

export async function onCheckoutSessionFailed(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  const paymentIntentId = idOf(session.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `cs:${session.id}`, ctx.batch);
  const payment = await lockPayment(tx, { ref: refOf(session.metadata), sessionId: session.id, paymentIntentId }, ctx.batch);
  if (!payment || payment.status !== "pending") return;
  await patchPayment(tx, payment, { status: "failed", updatedAt: new Date(), ...stripIds(payment, { checkoutSessionId: session.id, paymentIntentId }) }, ctx.batch);
  void ctx;
}

export async function onCheckoutSessionExpired(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  if (session.mode === "subscription") {
    const gift = await lockGift(tx, { id: giftRefOf(session.metadata), checkoutSessionId: session.id });
    if (gift && gift.status === "pending") {
      await tx.update(monthlyGifts).set({ status: "canceled", canceledAt: new Date(), updatedAt: new Date() }).where(eq(monthlyGifts.id, gift.id));
    }
  }
  const paymentIntentId = idOf(session.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `cs:${session.id}`, ctx.batch);
  const payment = await lockPayment(tx, { ref: refOf(session.metadata), sessionId: session.id, paymentIntentId }, ctx.batch);
  if (!payment || payment.status !== "pending") return;
  await patchPayment(tx, payment, { status: "expired", updatedAt: new Date() }, ctx.batch);
  void ctx;
}

