import { sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "~db/client.server";
import { paymentDisputes } from "~db/schema";
import { patchPayment } from "./deferred-writes.server";
import { reversePayment } from "./core.server";
import {
  channelOf,
  createExternalPayment,
  flag,
  idOf,
  lockKey,
  lockPayment,
  markPaid,
  refOf,
  RetryLater,
  stripIds,
  type Ctx,
} from "./events-common.server";

/** Charges: refunds (and failed refunds) and disputes. */
export async function onChargeRefunded(tx: Tx, charge: Stripe.Charge, ctx: Ctx) {
  const paymentIntentId = idOf(charge.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `ch:${charge.id}`, ctx.batch);
  // The invoice (looked up at Stripe) finds a month recorded without its PaymentIntent (the
  // invoice-payments look-up came back empty when invoice.paid arrived).
  const session = ctx.hints.sessionOfCharge ?? null;
  const keys = { ref: refOf(charge.metadata), paymentIntentId, chargeId: charge.id, invoiceId: ctx.hints.invoiceOfCharge ?? null, sessionId: session?.id ?? null };
  let payment = await lockPayment(tx, keys, ctx.batch);
  const succeeded = charge.status === "succeeded" || charge.paid;
  if (!payment) {
    if (!succeeded) return;
    // A charge of a monthly gift's invoice that is not recorded yet: recording it from the charge
    // would count the month twice once invoice.paid arrives. Let Stripe deliver the refund again.
    if (ctx.hints.invoiceOfCharge) throw new RetryLater(`charge ${charge.id} belongs to invoice ${ctx.hints.invoiceOfCharge}, not recorded yet`);
    // The refund arrived before anything else about this payment, or the app never started it. The
    // Checkout Session's metadata (a Payment Link's goal) counts over the charge's, as it would had
    // checkout.session.completed come first.
    const metadata = session ? { ...charge.metadata, ...session.metadata } : charge.metadata;
    payment = await createExternalPayment(
      tx,
      ctx,
      charge.id,
      {
        channel: channelOf(metadata, "one_off_gift"),
        checkoutSessionId: session?.id ?? null,
        amountOre: BigInt(charge.amount),
        currency: charge.currency,
        paymentIntentId,
        chargeId: charge.id,
        donorEmail: charge.billing_details?.email ?? null,
        donorName: charge.billing_details?.name ?? null,
        method: charge.payment_method_details?.type ?? null,
      },
      metadata,
      keys,
    );
  }
  if (payment.status === "pending" || payment.status === "failed" || payment.status === "expired") {
    if (!succeeded) return;
    // The charge proves the payment: record it as paid from the charge's data first.
    payment = await markPaid(
      tx,
      payment,
      {
        amountOre: BigInt(charge.amount),
        currency: charge.currency,
        paidAt: new Date(charge.created * 1000),
        objectId: charge.id,
        method: charge.payment_method_details?.type ?? null,
        set: { paymentIntentId, chargeId: charge.id },
      },
      ctx,
    );
  }
  // Stripe reports the cumulative amount refunded: what it adds to the most seen is this reversal
  // (at most what is left after a credit note, if a Stripe-paid invoice was also credited).
  const refunded = BigInt(charge.amount_refunded);
  const cap = payment.amountOre - payment.creditedOre;
  const capped = refunded > cap ? cap : refunded;
  const next = capped > payment.refundedOre ? capped : payment.refundedOre;
  await reversePayment(
    tx,
    payment,
    { amountOre: next - payment.refundedOre, reason: "refund", author: ctx.author, set: stripIds(payment, { chargeId: charge.id, paymentIntentId }) },
    { goals: ctx.goals.all, batch: ctx.batch },
  );
}

/**
 * A refund failed (charge.refund.updated with status failed, or refund.failed): the money went back
 * to the charity, but refunded_ore only grows and the ledger is never rewritten, so the reversal
 * already posted stays. Staff are told (`refund_failed`, once per refund) and correct it; nothing is
 * reduced silently.
 */
export async function onRefundFailed(tx: Tx, refund: Stripe.Refund, ctx: Ctx) {
  if (refund.status !== "failed") return;
  const chargeId = idOf(refund.charge);
  const paymentIntentId = idOf(refund.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `ch:${chargeId}`, ctx.batch);
  const payment = await lockPayment(tx, { paymentIntentId, chargeId }, ctx.batch);
  await flag(tx, ctx.batch, payment?.id ?? null, "refund_failed", refund.id, {
    amountOre: refund.amount,
    currency: refund.currency,
    failureReason: refund.failure_reason ?? null,
    chargeId,
    paymentIntentId,
    refundedOreRecorded: payment?.refundedOre.toString() ?? null,
  });
  void ctx;
}

export async function onDispute(tx: Tx, dispute: Stripe.Dispute, ctx: Ctx) {
  const chargeId = idOf(dispute.charge);
  const paymentIntentId = idOf(dispute.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `ch:${chargeId}`, ctx.batch);
  const closed = dispute.status === "won" || dispute.status === "lost" || dispute.status === "warning_closed";
  // Dispute status only moves forward; a late "created" must not reopen a closed dispute.
  await tx
    .insert(paymentDisputes)
    .values({
      disputeId: dispute.id,
      chargeId,
      paymentIntentId,
      amountOre: BigInt(dispute.amount),
      currency: dispute.currency,
      status: dispute.status,
      closedAt: closed ? new Date(ctx.created * 1000) : null,
    })
    .onConflictDoUpdate({
      target: paymentDisputes.disputeId,
      set: { status: dispute.status, amountOre: BigInt(dispute.amount), closedAt: closed ? new Date(ctx.created * 1000) : null },
      setWhere: closed ? undefined : sql`${paymentDisputes.closedAt} is null`,
    });
  const payment = await lockPayment(tx, { ref: refOf(dispute.metadata), paymentIntentId, chargeId, invoiceId: ctx.hints.invoiceOfCharge ?? null }, ctx.batch);
  // A dispute of a monthly gift's month whose invoice.paid has not arrived: stored now, it would not
  // be found when the month is recorded (months are found by invoice, and a month's row may lack the
  // PaymentIntent), so nothing is written and Stripe delivers it again (as for refunds).
  if (!payment && ctx.hints.invoiceOfCharge) throw new RetryLater(`dispute ${dispute.id} is about invoice ${ctx.hints.invoiceOfCharge}, not recorded yet`);
  await flag(tx, ctx.batch, payment?.id ?? null, dispute.status === "lost" ? "dispute_lost" : closed ? "dispute_closed" : "dispute_opened", dispute.id, {
    amountOre: dispute.amount,
    status: dispute.status,
    reason: dispute.reason,
  });
  if (!payment) return; // Kept: syncPaymentLedger reads lost disputes when the payment is recorded.
  const set = stripIds(payment, { chargeId, paymentIntentId });
  if (payment.status !== "paid" && payment.status !== "held") {
    // Counted when it is paid (syncPaymentLedger reads lost disputes then).
    if (Object.keys(set).length) await patchPayment(tx, payment, { ...set, updatedAt: new Date() }, ctx.batch);
    return;
  }
  // The lost dispute is a fact in payment_disputes already: the reversal adds nothing to the payment row.
  await reversePayment(tx, payment, { amountOre: 0n, reason: "dispute", author: ctx.author, set }, { goals: ctx.goals.all, batch: ctx.batch });
}

