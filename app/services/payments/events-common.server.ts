import { sql, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "~db/client.server";
import { paymentAnomalies, paymentChannels, payments, type NewPayment, type Payment, type PaymentChannel } from "~db/schema";
import { markPaymentPaid } from "./core.server";
import { collectionOfMetadata } from "./events-collections.server";
import { beforeRead, deferInsert, type WriteBatch } from "./deferred-writes.server";
import type { GoalDirectory } from "./goal-directory.server";
import { newPaymentLedgerFacts, readAheadKey } from "~/services/ledger/posting.server";
import { runBuilt } from "./hot-queries.server";
import { notifyReceipt } from "./notify.server";

/**
 * What the Stripe event handlers (events-*.server.ts) share: the handler context, finding and locking
 * a payment by any of its Stripe ids, recording one the app did not start, marking one paid, and
 * flagging anomalies for staff.
 */
export interface Ctx {
  author: string;
  /** Event creation time, seconds. */
  created: number;
  goals: GoalDirectory;
  hints: DispatchHints;
  /** This event's write plan (deferred writes, locks held, prepared statements): see deferred-writes.server.ts. */
  batch: WriteBatch;
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

export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/**
 * Serialises work on one Stripe object (payment intent, subscription) for the rest of the transaction.
 * A key the batch holds already (taken with the event id insert) costs nothing.
 */
export async function lockKey(tx: Tx, key: string | null, batch?: WriteBatch) {
  if (!key || batch?.heldKeys.has(key)) return;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
  batch?.heldKeys.add(key);
}


export function refOf(metadata: Stripe.Metadata | null | undefined): bigint | null {
  const ref = metadata?.payment_ref;
  return ref && /^\d{1,18}$/.test(ref) ? BigInt(ref) : null;
}

export interface PaymentKeys {
  ref?: bigint | null;
  sessionId?: string | null;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  invoiceId?: string | null;
}

/**
 * The payment with any of these ids, locked. One statement per set of ids given (built once each),
 * naming only those: with a null compared as well, PostgreSQL planned the statement anew on every run
 * (the custom plan, which drops the null's arm, always looked cheaper than the generic one), 0.3 ms
 * each time on the bench (pg_stat_statements: 553 plans in 779 runs).
 */
const lockColumns = [
  ["ref", payments.id, "bigint"],
  ["cs", payments.checkoutSessionId, "text"],
  ["pi", payments.paymentIntentId, "text"],
  ["ch", payments.chargeId, "text"],
  ["inv", payments.invoiceId, "text"],
] as const;

export async function lockPayment(tx: Tx, keys: PaymentKeys, batch: WriteBatch): Promise<Payment | undefined> {
  const values: Record<string, string> = {};
  if (keys.ref) values.ref = keys.ref.toString();
  if (keys.sessionId) values.cs = keys.sessionId;
  if (keys.paymentIntentId) values.pi = keys.paymentIntentId;
  if (keys.chargeId) values.ch = keys.chargeId;
  if (keys.invoiceId) values.inv = keys.invoiceId;
  const given = lockColumns.filter(([name]) => name in values);
  if (given.length === 0) return undefined;
  await beforeRead(batch, "payments");
  const [row] = await runBuilt<Payment>(
    tx,
    `payment_lock:${given.map(([name]) => name).join(",")}`,
    () =>
      tx
        .select()
        .from(payments)
        .where(sql.join(given.map(([name, column, type]) => sql`${column} = ${sql.placeholder(name)}::${sql.raw(type)}`), sql` or `))
        .orderBy(payments.id)
        .limit(1)
        .for("update"),
    values,
    batch.statements,
  );
  return row;
}

export async function flag(tx: Tx, batch: WriteBatch | undefined, paymentId: bigint | null, kind: string, objectId: string, details: Record<string, unknown> = {}) {
  const rows = [{ paymentId, kind, objectId, details }];
  await deferInsert(tx, batch, "payment_anomalies", "anomaly", paymentAnomalies, rows, (q) => (q as unknown as { onConflictDoNothing(): { getSQL(): SQL } }).onConflictDoNothing());
}

export function goalIdForSlug(ctx: Ctx, slug: string | undefined | null): { goalId: number | null; unknown: boolean } {
  if (!slug) return { goalId: null, unknown: false };
  const g = ctx.goals.bySlug.get(slug);
  return g ? { goalId: g.id, unknown: false } : { goalId: null, unknown: true };
}

export function channelOf(metadata: Stripe.Metadata | null | undefined, fallback: PaymentChannel): PaymentChannel {
  const c = metadata?.channel;
  return c && (paymentChannels as readonly string[]).includes(c) ? (c as PaymentChannel) : fallback;
}

/**
 * A payment the app did not start (Payment Link, dashboard): recorded, designated by metadata.goal,
 * flagged. metadata.collection (a collection's slug) attributes it to that collection and designates
 * the collection's goal instead.
 *
 * The insert comes first and finds a payment already recorded with one of these Stripe ids by its
 * conflict (the ids are uniquely indexed); only then is that row locked and returned, unflagged (it
 * was flagged when it was recorded). So a caller that expects a new payment need not look first.
 * `paidAt`: the payment is marked paid at that time in this transaction; what its ledger posting reads
 * (lost disputes, the rule in force) goes in the same flight as the insert (newPaymentLedgerFacts).
 */
export async function createExternalPayment(
  tx: Tx,
  ctx: Ctx,
  objectId: string,
  values: Pick<NewPayment, "channel" | "amountOre" | "currency" | "checkoutSessionId" | "paymentIntentId" | "chargeId" | "invoiceId" | "donorEmail" | "donorName" | "method">,
  metadata: Stripe.Metadata | null | undefined,
  keys: PaymentKeys,
  opts: { paidAt?: Date } = {},
): Promise<Payment> {
  const collection = await collectionOfMetadata(tx, metadata);
  const attributed = collection && "found" in collection ? collection.found : null;
  const goal = attributed ? { goalId: attributed.goalId, unknown: false } : goalIdForSlug(ctx, metadata?.goal);
  // A row this transaction inserts is locked by it; on a conflict another transaction made it first.
  await beforeRead(ctx.batch, "payments");
  const p = sql.placeholder;
  const insert = runBuilt<Payment>(
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
          collectionId: p("collectionId"),
          competitionTeamId: p("competitionTeamId"),
        })
        .onConflictDoNothing()
        .returning(),
    {
      channel: attributed ? attributed.channel : values.channel,
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
      collectionId: attributed?.collectionId ?? null,
      competitionTeamId: attributed?.competitionTeamId ?? null,
    },
    ctx.batch.statements,
  );
  const paidAt = opts.paidAt;
  const ids = { chargeId: values.chargeId ?? null, paymentIntentId: values.paymentIntentId ?? null, goalId: goal.goalId };
  const [[inserted], facts] = await Promise.all([insert, paidAt ? newPaymentLedgerFacts(tx, { ...ids, paidAt }, ctx.batch) : undefined]);
  if (!inserted) {
    const row = await lockPayment(tx, keys, ctx.batch);
    if (!row) throw new Error(`external payment for ${objectId} could not be recorded`);
    return row;
  }
  if (facts && paidAt) ctx.batch.keepLedgerFacts(readAheadKey(inserted.id, { ...ids, paidAt }), facts);
  const row = inserted;
  await flag(tx, ctx.batch, row.id, "external_payment", objectId, { goal: metadata?.goal ?? null });
  if (goal.unknown) await flag(tx, ctx.batch, row.id, "unknown_goal", objectId, { goal: metadata?.goal });
  if (collection && "unknown" in collection) await flag(tx, ctx.batch, row.id, "unknown_collection", objectId, { collection: collection.unknown });
  if (attributed?.closed) await flag(tx, ctx.batch, row.id, "collection_closed", objectId, { collectionId: attributed.collectionId });
  return row;
}

export interface PaidFacts {
  amountOre: bigint;
  currency: string;
  paidAt: Date;
  objectId: string;
  method?: string | null;
  set?: Partial<Pick<Payment, "paymentIntentId" | "chargeId" | "invoiceId" | "checkoutSessionId" | "donorEmail" | "donorName">>;
}

/**
 * The Stripe adapter over the core's markPaymentPaid. Amount and currency are checked against what
 * the app expected: a different amount is recorded as received and flagged for staff; another
 * currency than SEK is held out of the (SEK) ledger and flagged. The receipt once (outbox dedupe key).
 */
export async function markPaid(tx: Tx, payment: Payment, facts: PaidFacts, ctx: Ctx): Promise<Payment> {
  const ids = stripIds(payment, facts.set ?? {});
  const alreadyPaid = payment.status === "paid" || payment.status === "held";
  // Another event about a payment already recorded as paid, with nothing new: nothing to write
  // (its ledger entries were posted in the transaction that recorded it as paid).
  if (alreadyPaid && Object.keys(ids).length === 0) return payment;
  if (!alreadyPaid) {
    const currency = facts.currency.toLowerCase();
    if (payment.origin === "app" && facts.amountOre !== payment.amountOre) {
      await flag(tx, ctx.batch, payment.id, "amount_mismatch", facts.objectId, { expectedOre: payment.amountOre.toString(), paidOre: facts.amountOre.toString() });
    }
    if (currency !== "sek") {
      await flag(tx, ctx.batch, payment.id, "currency_mismatch", facts.objectId, { expected: "sek", paid: currency, amount: facts.amountOre.toString() });
    }
  }
  const current = await markPaymentPaid(
    tx,
    payment,
    { paidAt: facts.paidAt, amountOre: facts.amountOre, currency: facts.currency, method: facts.method, author: ctx.author, set: ids },
    { goals: ctx.goals.all, batch: ctx.batch },
  );
  // The receipt once (its outbox dedupe key): when the payment becomes paid, or when the donor's
  // address arrives later (a refund recorded the payment first, from a charge without it).
  if (current.status === "paid" && (payment.status !== "paid" || (!payment.donorEmail && current.donorEmail))) await notifyReceipt(tx, current, ctx.goals, ctx.batch);
  return current;
}

/** Only fills ids the row does not have yet (a unique id is never overwritten by another). */
export function stripIds<T extends Record<string, unknown>>(payment: Payment, values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) continue;
    if ((payment as Record<string, unknown>)[k] == null) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

export function methodOfSession(session: Stripe.Checkout.Session): string | null {
  const types = session.allowed_payment_method_types ?? session.payment_method_types;
  return types && types.length === 1 ? types[0] : null;
}

