import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import { pipelinedTransaction, type Db, type Tx } from "~db/client.server";
import {
  goals,
  ledgerEntries,
  monthlyGifts,
  paymentAnomalies,
  paymentChannels,
  paymentDisputes,
  payments,
  stripeEvents,
  type MonthlyGift,
  type NewPayment,
  type Payment,
  type PaymentChannel,
} from "~db/schema";
import { syncPaymentLedger } from "~/services/ledger/posting.server";
import { wakeOutbox } from "~/services/email/outbox.server";
import { invalidatePageCache } from "~/utils/page-cache.server";
import { beforeRead, deferWrite, deferWrites, patchPayment, takeWrites } from "./deferred-writes.server";
import { runBuilt } from "./hot-queries.server";
import { goalDirectory, type GoalDirectory } from "./goal-directory.server";
import { notifyMonthlyGiftFailed, notifyReceipt } from "./notify.server";

/**
 * Stripe events → payments and ledger. `dispatchStripeEvent` is what the webhook route calls after
 * the signature check, and what the simulator calls with the events it builds: one code path.
 *
 * Guarantees (DESIGN.md "Webhooks"):
 * - each event id once: it is inserted in the same transaction as its effects, so a failed handler
 *   leaves no trace and Stripe's retry runs it again; a concurrent duplicate waits on the unique
 *   index and then finds the id taken;
 * - two different events about one payment count once: handlers find the payment by Stripe object
 *   ids (all uniquely indexed), lock it (SELECT … FOR UPDATE) and append only what is missing
 *   (syncPaymentLedger), keyed by unique entry keys;
 * - any order: facts only grow (paid, cumulative amount refunded, lost disputes) and the ledger is
 *   brought up to them; a transaction-scoped advisory lock on the PaymentIntent id serialises the
 *   events of one payment even before its row exists.
 */
export type DispatchResult = "processed" | "duplicate" | "ignored";

interface Ctx {
  author: string;
  /** Event creation time, seconds. */
  created: number;
  goals: GoalDirectory;
  hints: DispatchHints;
}

/** Facts looked up at Stripe before the transaction (see webhook.server.ts). */
export interface DispatchHints {
  /**
   * The invoice a refunded or disputed charge paid, when no payment is recorded with the charge's
   * PaymentIntent or charge id (the month is not recorded yet, or recorded without its PaymentIntent).
   */
  invoiceOfCharge?: string | null;
  /** The Checkout Session of a refunded charge whose payment is not recorded yet (a Payment Link's). */
  sessionOfCharge?: { id: string; metadata: Record<string, string> } | null;
}

/**
 * The event cannot be handled correctly yet (e.g. a refund of a monthly payment whose invoice.paid
 * has not arrived). Nothing is written and the webhook answers 503, so Stripe delivers it again later.
 */
export class RetryLater extends Error {}

type Handler = (tx: Tx, object: never, ctx: Ctx) => Promise<void>;

const handlers: Record<string, Handler> = {
  "checkout.session.completed": onCheckoutSessionCompleted as Handler,
  "checkout.session.async_payment_succeeded": onCheckoutSessionCompleted as Handler,
  "checkout.session.async_payment_failed": onCheckoutSessionFailed as Handler,
  "checkout.session.expired": onCheckoutSessionExpired as Handler,
  "invoice.paid": onInvoicePaid as Handler,
  "invoice.payment_failed": onInvoicePaymentFailed as Handler,
  "customer.subscription.updated": onSubscriptionChanged as Handler,
  "customer.subscription.deleted": onSubscriptionChanged as Handler,
  "charge.refunded": onChargeRefunded as Handler,
  "charge.refund.updated": onRefundFailed as Handler,
  "refund.failed": onRefundFailed as Handler,
  "charge.dispute.created": onDispute as Handler,
  "charge.dispute.closed": onDispute as Handler,
};

export function handlesEventType(type: string): boolean {
  return type in handlers;
}

export async function dispatchStripeEvent(
  db: Db,
  event: Stripe.Event,
  source: "webhook" | "simulator" = "webhook",
  hints: DispatchHints = {},
): Promise<DispatchResult> {
  const handler = handlers[event.type];
  if (!handler) return "ignored";
  const ctx: Ctx = { author: `${source === "simulator" ? "simulator" : "stripe"}:${event.id}`, created: event.created, goals: await goalDirectory(db), hints };
  // Most re-deliveries reach the instance that handled the first one after it committed: a memory of
  // recently committed event ids answers them without touching the database. Anything else (another
  // instance, a restart, a concurrent duplicate) meets the unique insert below.
  const recent = recentEventIds(db);
  if (recent.has(event.id)) return "duplicate";
  const result = await handlerTransaction(db, async (tx) => {
    const key = firstLockKey(event);
    // The event id once, and (only when it is new) the lock on the object it is about, in one statement.
    const inserted = await runBuilt<{ id: string }>(
      tx,
      key ? "stripe_event_insert_lock" : "stripe_event_insert",
      () =>
        tx
          .insert(stripeEvents)
          .values({ id: sql.placeholder("id"), type: sql.placeholder("type"), source: sql.placeholder("source") })
          .onConflictDoNothing()
          .returning({ id: stripeEvents.id, locked: key ? sql<string>`pg_advisory_xact_lock(hashtext(${sql.placeholder("key")}::text))::text` : sql<string>`''` }),
      { id: event.id, type: event.type, source, key },
    );
    if (inserted.length === 0) return "duplicate" as const;
    if (key) heldKeys.set(tx, new Set([key]));
    deferWrites(tx);
    await handler(tx, event.data.object as never, ctx);
    return "processed" as const;
  });
  remember(recent, event.id);
  // Public pages show ledger balances from a one-second cache: drop it once the change is committed.
  if (result === "processed") invalidatePageCache();
  return result;
}

/**
 * The transaction a handler runs in: the writes it deferred (deferWrites, deferred-writes.server.ts)
 * go to the database together with the COMMIT (pipelinedTransaction), and once committed the outbox
 * worker is woken if an email was queued.
 */
async function handlerTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let emails = false;
  const result = await pipelinedTransaction(db, fn, (tx) => {
    const taken = takeWrites(tx);
    emails = taken.emails;
    return taken.statements;
  });
  if (emails) wakeOutbox();
  return result;
}

const RECENT_MAX = 50_000;
const recentByDb = new WeakMap<object, Set<string>>();

/** Whether this instance already committed the event (a cheap pre-check; the unique insert decides). */
export function recentlyProcessed(db: Db, eventId: string): boolean {
  return recentEventIds(db).has(eventId);
}

/** Whether a payment with this PaymentIntent or charge is recorded. */
export async function paymentRecordedFor(db: Db, paymentIntentId: string | null, chargeId: string | null): Promise<boolean> {
  if (!paymentIntentId && !chargeId) return false;
  const rows = await runBuilt<{ id: bigint }>(
    db,
    "payment_recorded_for",
    () =>
      db
        .select({ id: payments.id })
        .from(payments)
        .where(sql`${payments.paymentIntentId} = ${sql.placeholder("pi")}::text or ${payments.chargeId} = ${sql.placeholder("ch")}::text`)
        .limit(1),
    { pi: paymentIntentId, ch: chargeId },
  );
  return rows.length > 0;
}

function recentEventIds(db: Db): Set<string> {
  let set = recentByDb.get(db);
  if (!set) recentByDb.set(db, (set = new Set()));
  return set;
}

/** Only ids whose transaction committed are remembered (a failed handler must run again on retry). */
function remember(set: Set<string>, id: string) {
  set.add(id);
  if (set.size > RECENT_MAX) set.delete(set.values().next().value!);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

const heldKeys = new WeakMap<object, Set<string>>();

/** Serialises work on one Stripe object (payment intent, subscription) for the rest of the transaction. */
async function lockKey(tx: Tx, key: string | null) {
  if (!key) return;
  const held = heldKeys.get(tx);
  if (held?.has(key)) return;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/**
 * The advisory lock key a handler takes first, so dispatch can take it together with the event id
 * insert (one round trip fewer). If this ever disagrees with the handler, the handler just takes
 * its own key as well.
 */
function firstLockKey(event: Stripe.Event): string | null {
  const o = event.data.object as unknown as Record<string, unknown> & { id: string };
  const ref = (v: unknown) => idOf(v as string | { id: string } | null | undefined);
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired":
      if (o.mode === "subscription" && event.type === "checkout.session.completed") return ref(o.subscription) ? `sub:${ref(o.subscription)}` : `cs:${o.id}`;
      return ref(o.payment_intent) ? `pi:${ref(o.payment_intent)}` : `cs:${o.id}`;
    case "invoice.paid":
    case "invoice.payment_failed": {
      const sub = invoiceSubscription(o as unknown as Stripe.Invoice).subscriptionId;
      if (sub) return `sub:${sub}`;
      return null;
    }
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return `sub:${o.id}`;
    case "charge.refunded":
      return ref(o.payment_intent) ? `pi:${ref(o.payment_intent)}` : `ch:${o.id}`;
    case "charge.dispute.created":
    case "charge.dispute.closed":
    case "charge.refund.updated":
    case "refund.failed":
      return ref(o.payment_intent) ? `pi:${ref(o.payment_intent)}` : `ch:${ref(o.charge)}`;
    default:
      return null;
  }
}

function refOf(metadata: Stripe.Metadata | null | undefined): bigint | null {
  const ref = metadata?.payment_ref;
  return ref && /^\d{1,18}$/.test(ref) ? BigInt(ref) : null;
}

interface PaymentKeys {
  ref?: bigint | null;
  sessionId?: string | null;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  invoiceId?: string | null;
}

/** The payment with any of these ids (absent ones match nothing), locked. One statement, built once. */
async function lockPayment(tx: Tx, keys: PaymentKeys): Promise<Payment | undefined> {
  if (!keys.ref && !keys.sessionId && !keys.paymentIntentId && !keys.chargeId && !keys.invoiceId) return undefined;
  await beforeRead(tx, "payments");
  const [row] = await runBuilt<Payment>(
    tx,
    "payment_lock",
    () =>
      tx
        .select()
        .from(payments)
        .where(
          sql`${payments.id} = ${sql.placeholder("ref")}::bigint or ${payments.checkoutSessionId} = ${sql.placeholder("cs")}::text
           or ${payments.paymentIntentId} = ${sql.placeholder("pi")}::text or ${payments.chargeId} = ${sql.placeholder("ch")}::text
           or ${payments.invoiceId} = ${sql.placeholder("inv")}::text`,
        )
        .orderBy(payments.id)
        .limit(1)
        .for("update"),
    {
      ref: keys.ref ? keys.ref.toString() : null,
      cs: keys.sessionId || null,
      pi: keys.paymentIntentId || null,
      ch: keys.chargeId || null,
      inv: keys.invoiceId || null,
    },
  );
  return row;
}

async function flag(tx: Tx, paymentId: bigint | null, kind: string, objectId: string, details: Record<string, unknown> = {}) {
  await deferWrite(tx, "payment_anomalies", tx.insert(paymentAnomalies).values({ paymentId, kind, objectId, details }).onConflictDoNothing());
}

function goalIdForSlug(ctx: Ctx, slug: string | undefined | null): { goalId: number | null; unknown: boolean } {
  if (!slug) return { goalId: null, unknown: false };
  const g = ctx.goals.bySlug.get(slug);
  return g ? { goalId: g.id, unknown: false } : { goalId: null, unknown: true };
}

function channelOf(metadata: Stripe.Metadata | null | undefined, fallback: PaymentChannel): PaymentChannel {
  const c = metadata?.channel;
  return c && (paymentChannels as readonly string[]).includes(c) ? (c as PaymentChannel) : fallback;
}

/** A payment the app did not start (Payment Link, dashboard): recorded, designated by metadata.goal, flagged. */
async function createExternalPayment(
  tx: Tx,
  ctx: Ctx,
  objectId: string,
  values: Pick<NewPayment, "channel" | "amountOre" | "currency" | "checkoutSessionId" | "paymentIntentId" | "chargeId" | "invoiceId" | "donorEmail" | "donorName" | "method">,
  metadata: Stripe.Metadata | null | undefined,
  keys: PaymentKeys,
) {
  const goal = goalIdForSlug(ctx, metadata?.goal);
  // A row this transaction inserts is locked by it; on a conflict another transaction made it first.
  await beforeRead(tx, "payments");
  const p = sql.placeholder;
  const [inserted] = await runBuilt<Payment>(
    tx,
    "payment_insert_external",
    () =>
      tx
        .insert(payments)
        .values({
          channel: p("channel"),
          amountOre: p("amountOre"),
          currency: p("currency"),
          goalId: p("goalId"),
          origin: "external",
          checkoutSessionId: p("checkoutSessionId"),
          paymentIntentId: p("paymentIntentId"),
          chargeId: p("chargeId"),
          invoiceId: p("invoiceId"),
          donorEmail: p("donorEmail"),
          donorName: p("donorName"),
          method: p("method"),
        })
        .onConflictDoNothing()
        .returning(),
    {
      channel: values.channel,
      amountOre: values.amountOre,
      currency: values.currency ?? "sek",
      goalId: goal.goalId,
      checkoutSessionId: values.checkoutSessionId ?? null,
      paymentIntentId: values.paymentIntentId ?? null,
      chargeId: values.chargeId ?? null,
      invoiceId: values.invoiceId ?? null,
      donorEmail: values.donorEmail ?? null,
      donorName: values.donorName ?? null,
      method: values.method ?? null,
    },
  );
  const row = inserted ?? (await lockPayment(tx, keys));
  if (!row) throw new Error(`external payment for ${objectId} could not be recorded`);
  await flag(tx, row.id, "external_payment", objectId, { goal: metadata?.goal ?? null });
  if (goal.unknown) await flag(tx, row.id, "unknown_goal", objectId, { goal: metadata?.goal });
  return row;
}

interface PaidFacts {
  amountOre: bigint;
  currency: string;
  paidAt: Date;
  objectId: string;
  method?: string | null;
  set?: Partial<Pick<Payment, "paymentIntentId" | "chargeId" | "invoiceId" | "checkoutSessionId" | "donorEmail" | "donorName">>;
}

/**
 * The payment is paid. Amount and currency are checked against what the app expected: a different
 * amount is recorded as received and flagged for staff; another currency than SEK is held out of
 * the (SEK) ledger and flagged. Sends the receipt once (outbox dedupe key) and posts to the ledger.
 */
async function markPaid(tx: Tx, payment: Payment, facts: PaidFacts, ctx: Ctx): Promise<Payment> {
  const ids = stripIds(payment, facts.set ?? {});
  const alreadyPaid = payment.status === "paid" || payment.status === "held";
  // Another event about a payment already recorded as paid, with nothing new: nothing to write
  // (its ledger entries were posted in the transaction that recorded it as paid).
  if (alreadyPaid && Object.keys(ids).length === 0) return payment;
  const set: Partial<Payment> = { ...ids, updatedAt: new Date() };
  let current = payment;
  if (!alreadyPaid) {
    const currency = facts.currency.toLowerCase();
    if (payment.origin === "app" && facts.amountOre !== payment.amountOre) {
      await flag(tx, payment.id, "amount_mismatch", facts.objectId, { expectedOre: payment.amountOre.toString(), paidOre: facts.amountOre.toString() });
    }
    if (currency !== "sek") {
      await flag(tx, payment.id, "currency_mismatch", facts.objectId, { expected: "sek", paid: currency, amount: facts.amountOre.toString() });
    }
    Object.assign(set, {
      status: currency === "sek" ? "paid" : "held",
      amountOre: facts.amountOre,
      currency,
      paidAt: facts.paidAt,
      method: facts.method ?? payment.method,
    });
  }
  current = await patchPayment(tx, payment, set);
  // The receipt once (its outbox dedupe key): when the payment becomes paid, or when the donor's
  // address arrives later (a refund recorded the payment first, from a charge without it).
  if (current.status === "paid" && (payment.status !== "paid" || (!payment.donorEmail && current.donorEmail))) await notifyReceipt(tx, current, ctx.goals);
  await syncPaymentLedger(tx, current, ctx.author, ctx.goals.all);
  return current;
}

/** Only fills ids the row does not have yet (a unique id is never overwritten by another). */
function stripIds<T extends Record<string, unknown>>(payment: Payment, values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) continue;
    if ((payment as Record<string, unknown>)[k] == null) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

function methodOfSession(session: Stripe.Checkout.Session): string | null {
  const types = session.allowed_payment_method_types ?? session.payment_method_types;
  return types && types.length === 1 ? types[0] : null;
}

// ---------------------------------------------------------------------------------------------
// Checkout Sessions

/**
 * A payment the app did not start, recorded from another event first (e.g. a refund before
 * checkout.session.completed): the session's metadata.goal designates it, whatever the order. With
 * no ledger allocation yet, the goal is set from the session; once allocated (the ledger is never
 * rewritten) a different goal is flagged for staff (`goal_mismatch`).
 */
async function designateFromSession(tx: Tx, payment: Payment, session: Stripe.Checkout.Session, ctx: Ctx): Promise<Payment> {
  const slug = session.metadata?.goal;
  if (!slug) return payment;
  const goal = goalIdForSlug(ctx, slug);
  if (goal.unknown) await flag(tx, payment.id, "unknown_goal", session.id, { goal: slug });
  if (goal.goalId === null || goal.goalId === payment.goalId) return payment;
  await beforeRead(tx, "ledger_entries");
  const [allocated] = await tx
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.paymentId, payment.id), eq(ledgerEntries.kind, "allocation")))
    .limit(1);
  if (allocated) {
    await flag(tx, payment.id, "goal_mismatch", session.id, { recordedGoalId: payment.goalId, sessionGoal: slug });
    return payment;
  }
  return patchPayment(tx, payment, { goalId: goal.goalId, updatedAt: new Date() });
}

async function onCheckoutSessionCompleted(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  if (session.mode === "subscription") return subscriptionCheckoutCompleted(tx, session, ctx);
  const paymentIntentId = idOf(session.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `cs:${session.id}`);
  const keys = { ref: refOf(session.metadata), sessionId: session.id, paymentIntentId };
  let payment = await lockPayment(tx, keys);
  const paid = session.payment_status === "paid";
  if (!payment) {
    if (!paid) return; // Not paid and not ours: nothing to record until money moves.
    payment = await createExternalPayment(
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
    );
  }
  if (paid && payment.origin === "external") payment = await designateFromSession(tx, payment, session, ctx);
  const ids = { checkoutSessionId: session.id, paymentIntentId };
  if (!paid) {
    // Swish and other delayed methods: completed but not yet paid; async_payment_succeeded follows.
    const set = stripIds(payment, ids);
    if (Object.keys(set).length) await patchPayment(tx, payment, set);
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
}

async function onCheckoutSessionFailed(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  const paymentIntentId = idOf(session.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `cs:${session.id}`);
  const payment = await lockPayment(tx, { ref: refOf(session.metadata), sessionId: session.id, paymentIntentId });
  if (!payment || payment.status !== "pending") return;
  await patchPayment(tx, payment, { status: "failed", updatedAt: new Date(), ...stripIds(payment, { checkoutSessionId: session.id, paymentIntentId }) });
  void ctx;
}

async function onCheckoutSessionExpired(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  if (session.mode === "subscription") {
    const gift = await lockGift(tx, { id: giftRefOf(session.metadata), checkoutSessionId: session.id });
    if (gift && gift.status === "pending") {
      await tx.update(monthlyGifts).set({ status: "canceled", canceledAt: new Date(), updatedAt: new Date() }).where(eq(monthlyGifts.id, gift.id));
    }
  }
  const paymentIntentId = idOf(session.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `cs:${session.id}`);
  const payment = await lockPayment(tx, { ref: refOf(session.metadata), sessionId: session.id, paymentIntentId });
  if (!payment || payment.status !== "pending") return;
  await patchPayment(tx, payment, { status: "expired", updatedAt: new Date() });
  void ctx;
}

// ---------------------------------------------------------------------------------------------
// Monthly gifts (subscriptions and their invoices)

function giftRefOf(metadata: Stripe.Metadata | null | undefined): bigint | null {
  const ref = metadata?.monthly_gift_id;
  return ref && /^\d{1,18}$/.test(ref) ? BigInt(ref) : null;
}

async function lockGift(tx: Tx, keys: { id?: bigint | null; subscriptionId?: string | null; checkoutSessionId?: string | null }): Promise<MonthlyGift | undefined> {
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
  await flag(tx, null, "external_payment", keys.subscriptionId, { goal: metadata?.goal ?? null, monthlyGiftId: gift.id.toString() });
  return gift;
}

async function subscriptionCheckoutCompleted(tx: Tx, session: Stripe.Checkout.Session, ctx: Ctx) {
  const subscriptionId = idOf(session.subscription);
  await lockKey(tx, subscriptionId ? `sub:${subscriptionId}` : `cs:${session.id}`);
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
      status: gift.status === "pending" ? "active" : gift.status,
      updatedAt: new Date(),
    })
    .where(eq(monthlyGifts.id, gift.id));
  void ctx;
}

function invoiceSubscription(invoice: Stripe.Invoice): { subscriptionId: string | null; metadata: Stripe.Metadata | null } {
  const details = invoice.parent?.subscription_details;
  return { subscriptionId: idOf(details?.subscription as string | { id: string } | undefined), metadata: details?.metadata ?? null };
}

function invoicePaymentIntent(invoice: Stripe.Invoice): string | null {
  const first = invoice.payments?.data?.[0]?.payment;
  return idOf(first?.payment_intent as string | { id: string } | undefined);
}

async function onInvoicePaid(tx: Tx, invoice: Stripe.Invoice, ctx: Ctx) {
  const { subscriptionId, metadata } = invoiceSubscription(invoice);
  const paymentIntentId = invoicePaymentIntent(invoice);
  await lockKey(tx, subscriptionId ? `sub:${subscriptionId}` : null);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `in:${invoice.id}`);
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
      (await lockPayment(tx, keys)) ??
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
  let payment = await lockPayment(tx, { invoiceId: invoice.id, paymentIntentId });
  if (!payment && invoice.billing_reason === "subscription_create") {
    // The first month: the pending payment recorded before the redirect to Checkout.
    await beforeRead(tx, "payments");
    const [first] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.monthlyGiftId, gift.id), isNull(payments.invoiceId), eq(payments.status, "pending")))
      .orderBy(payments.id)
      .limit(1)
      .for("update");
    payment = first;
  }
  if (!payment) {
    await beforeRead(tx, "payments");
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
    payment = await lockPayment(tx, { invoiceId: invoice.id, paymentIntentId });
    if (!payment) throw new Error(`payment for invoice ${invoice.id} could not be recorded`);
  }
  await markPaid(tx, payment, facts, ctx);
  // The invoice may arrive before checkout.session.completed: it names the subscription too.
  const customerId = idOf(invoice.customer as string | { id: string } | null);
  const fill: Partial<MonthlyGift> = {};
  if (!gift.subscriptionId) fill.subscriptionId = subscriptionId;
  if (!gift.customerId && customerId) fill.customerId = customerId;
  if ((gift.status !== "canceled" && gift.status !== "active") || Object.keys(fill).length) {
    await tx
      .update(monthlyGifts)
      .set({ ...fill, status: gift.status === "canceled" ? "canceled" : "active", updatedAt: new Date() })
      .where(eq(monthlyGifts.id, gift.id));
  }
}

async function onInvoicePaymentFailed(tx: Tx, invoice: Stripe.Invoice, ctx: Ctx) {
  const { subscriptionId, metadata } = invoiceSubscription(invoice);
  if (!subscriptionId) return;
  await lockKey(tx, `sub:${subscriptionId}`);
  const gift = await lockGift(tx, { id: giftRefOf(metadata), subscriptionId });
  if (!gift || gift.status === "canceled") return;
  await tx.update(monthlyGifts).set({ status: "past_due", updatedAt: new Date() }).where(eq(monthlyGifts.id, gift.id));
  await notifyMonthlyGiftFailed(tx, gift, `${invoice.id}:${invoice.attempt_count ?? 0}`);
  void ctx;
}

async function onSubscriptionChanged(tx: Tx, sub: Stripe.Subscription, ctx: Ctx) {
  await applySubscriptionState(tx, sub, ctx.created);
}

/**
 * A subscription's state as Stripe reports it: amount and status. Used by the webhook and by the
 * self-service page right after it changed the subscription (same function, so both agree).
 * Canceled is final: an older "updated" event arriving late does not bring a gift back.
 * An older event does not overwrite a newer one (state_at = the event's time).
 */
export async function applySubscriptionState(tx: Tx, sub: Stripe.Subscription, at: number) {
  await lockKey(tx, `sub:${sub.id}`);
  const gift = await lockGift(tx, { id: giftRefOf(sub.metadata), subscriptionId: sub.id });
  if (!gift) return;
  if (gift.status === "canceled") return;
  if (gift.stateAt !== null && at < gift.stateAt) return;
  const item = sub.items?.data?.[0];
  const amount = item?.price?.unit_amount != null ? BigInt(item.price.unit_amount) * BigInt(item.quantity ?? 1) : gift.amountOre;
  const status =
    sub.status === "canceled" || sub.status === "incomplete_expired"
      ? "canceled"
      : sub.status === "past_due" || sub.status === "unpaid"
        ? "past_due"
        : sub.status === "active" || sub.status === "trialing"
          ? "active"
          : gift.status;
  await tx
    .update(monthlyGifts)
    .set({
      amountOre: amount > 0n ? amount : gift.amountOre,
      status,
      stateAt: at,
      subscriptionId: gift.subscriptionId ?? sub.id,
      customerId: gift.customerId ?? idOf(sub.customer as string | { id: string }),
      canceledAt: status === "canceled" ? new Date(at * 1000) : gift.canceledAt,
      updatedAt: new Date(),
    })
    .where(eq(monthlyGifts.id, gift.id));
}

// ---------------------------------------------------------------------------------------------
// Refunds and disputes

async function onChargeRefunded(tx: Tx, charge: Stripe.Charge, ctx: Ctx) {
  const paymentIntentId = idOf(charge.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `ch:${charge.id}`);
  // The invoice (looked up at Stripe) finds a month recorded without its PaymentIntent (the
  // invoice-payments look-up came back empty when invoice.paid arrived).
  const session = ctx.hints.sessionOfCharge ?? null;
  const keys = { ref: refOf(charge.metadata), paymentIntentId, chargeId: charge.id, invoiceId: ctx.hints.invoiceOfCharge ?? null, sessionId: session?.id ?? null };
  let payment = await lockPayment(tx, keys);
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
  const refunded = BigInt(charge.amount_refunded);
  const next = refunded > payment.refundedOre ? (refunded > payment.amountOre ? payment.amountOre : refunded) : payment.refundedOre;
  const updated = await patchPayment(tx, payment, { refundedOre: next, updatedAt: new Date(), ...stripIds(payment, { chargeId: charge.id, paymentIntentId }) });
  await syncPaymentLedger(tx, updated, ctx.author, ctx.goals.all);
}

/**
 * A refund failed (charge.refund.updated with status failed, or refund.failed): the money went back
 * to the charity, but refunded_ore only grows and the ledger is never rewritten, so the reversal
 * already posted stays. Staff are told (`refund_failed`, once per refund) and correct it; nothing is
 * reduced silently.
 */
async function onRefundFailed(tx: Tx, refund: Stripe.Refund, ctx: Ctx) {
  if (refund.status !== "failed") return;
  const chargeId = idOf(refund.charge);
  const paymentIntentId = idOf(refund.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `ch:${chargeId}`);
  const payment = await lockPayment(tx, { paymentIntentId, chargeId });
  await flag(tx, payment?.id ?? null, "refund_failed", refund.id, {
    amountOre: refund.amount,
    currency: refund.currency,
    failureReason: refund.failure_reason ?? null,
    chargeId,
    paymentIntentId,
    refundedOreRecorded: payment?.refundedOre.toString() ?? null,
  });
  void ctx;
}

async function onDispute(tx: Tx, dispute: Stripe.Dispute, ctx: Ctx) {
  const chargeId = idOf(dispute.charge);
  const paymentIntentId = idOf(dispute.payment_intent);
  await lockKey(tx, paymentIntentId ? `pi:${paymentIntentId}` : `ch:${chargeId}`);
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
  const payment = await lockPayment(tx, { ref: refOf(dispute.metadata), paymentIntentId, chargeId, invoiceId: ctx.hints.invoiceOfCharge ?? null });
  // A dispute of a monthly gift's month whose invoice.paid has not arrived: stored now, it would not
  // be found when the month is recorded (months are found by invoice, and a month's row may lack the
  // PaymentIntent), so nothing is written and Stripe delivers it again (as for refunds).
  if (!payment && ctx.hints.invoiceOfCharge) throw new RetryLater(`dispute ${dispute.id} is about invoice ${ctx.hints.invoiceOfCharge}, not recorded yet`);
  await flag(tx, payment?.id ?? null, dispute.status === "lost" ? "dispute_lost" : closed ? "dispute_closed" : "dispute_opened", dispute.id, {
    amountOre: dispute.amount,
    status: dispute.status,
    reason: dispute.reason,
  });
  if (!payment) return; // Kept: syncPaymentLedger reads lost disputes when the payment is recorded.
  const set = stripIds(payment, { chargeId, paymentIntentId });
  let current = payment;
  if (Object.keys(set).length) current = await patchPayment(tx, payment, set);
  await syncPaymentLedger(tx, current, ctx.author, ctx.goals.all);
}

/**
 * A Checkout Session fetched from Stripe (the success page asks while the payment is pending),
 * applied with the same handler as the webhook's checkout.session.completed.
 */
export async function applyCheckoutSession(db: Db, session: Stripe.Checkout.Session): Promise<void> {
  const goals = await goalDirectory(db);
  await handlerTransaction(db, async (tx) => {
    deferWrites(tx);
    await onCheckoutSessionCompleted(tx, session, { author: `stripe:retrieve:${session.id}`, created: Math.floor(Date.now() / 1000), goals, hints: {} });
  });
  invalidatePageCache();
}
