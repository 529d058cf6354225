import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type Stripe from "stripe";
import { pipelinedTransaction, type Db, type Tx } from "~db/client.server";
import { paymentAnomalies, payments, stripeEvents } from "~db/schema";
import { wakeOutbox } from "~/services/email/outbox.server";
import { invalidatePageCache } from "~/utils/page-cache.server";
import { onChargeRefunded, onDispute, onRefundFailed } from "./events-charges.server";
import { withCompanyInvoices } from "./events-company-invoices.server";
import { onCheckoutSessionCompleted, onCheckoutSessionExpired, onCheckoutSessionFailed } from "./events-checkout.server";
import { idOf, type Ctx, type DispatchHints } from "./events-common.server";
import type { WriteBatch } from "./deferred-writes.server";
import type { ShapeProblem } from "./events-shape";
import { invoiceSubscription, onInvoicePaid, onInvoicePaymentFailed, onSubscriptionChanged } from "./events-monthly.server";
import { runBuilt } from "./hot-queries.server";
import { onPayoutEvent } from "./payouts.server";
import { stripePathFor, type StripePath } from "./stripe-path.server";

export { applySubscriptionState } from "./events-monthly.server";
export { RetryLater, type DispatchHints } from "./events-common.server";

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

type Handler = (tx: Tx, object: never, ctx: Ctx) => Promise<void>;

const handlers: Record<string, Handler> = {
  "checkout.session.completed": onCheckoutSessionCompleted as Handler,
  "checkout.session.async_payment_succeeded": onCheckoutSessionCompleted as Handler,
  "checkout.session.async_payment_failed": onCheckoutSessionFailed as Handler,
  "checkout.session.expired": onCheckoutSessionExpired as Handler,
  "invoice.paid": withCompanyInvoices(onInvoicePaid) as Handler,
  "invoice.payment_failed": onInvoicePaymentFailed as Handler,
  "customer.subscription.created": onSubscriptionChanged as Handler,
  "customer.subscription.updated": onSubscriptionChanged as Handler,
  "customer.subscription.deleted": onSubscriptionChanged as Handler,
  "charge.refunded": onChargeRefunded as Handler,
  "charge.refund.updated": onRefundFailed as Handler,
  "refund.failed": onRefundFailed as Handler,
  "charge.dispute.created": onDispute as Handler,
  "charge.dispute.closed": onDispute as Handler,
  // Only queue a job (payouts.server.ts): fees are read from the payout's balance transactions, off this path.
  "payout.paid": onPayoutEvent as Handler,
  "payout.failed": onPayoutEvent as Handler,
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
  const path = stripePathFor(db);
  // Most re-deliveries reach the instance that handled the first one after it committed: a memory of
  // recently committed event ids answers them without touching the database. Anything else (another
  // instance, a restart, a concurrent duplicate) meets the unique insert below.
  if (path.recentlyProcessed(event.id)) return "duplicate";
  const goals = await path.goals();
  const result = await handlerTransaction(path, async (tx, batch) => {
    const key = firstLockKey(event);
    // The event id once, and (only when it is new) the lock on the object it is about, in one statement.
    const inserted = runBuilt<{ id: string }>(
      tx,
      key ? "stripe_event_insert_lock" : "stripe_event_insert",
      () =>
        tx
          .insert(stripeEvents)
          .values({ id: sql.placeholder("id"), type: sql.placeholder("type"), source: sql.placeholder("source") })
          .onConflictDoNothing()
          .returning({ id: stripeEvents.id, locked: key ? sql<string>`pg_advisory_xact_lock(hashtext(${sql.placeholder("key")}::text))::text` : sql<string>`''` }),
      { id: event.id, type: event.type, source, key },
      batch.statements,
    );
    // The handler starts without waiting for the answer, so its first statements go to the server in
    // the same flight as BEGIN and the insert (one round trip fewer per new event). The server runs
    // them in order, after the insert (and its lock). A new event (almost every one that gets here)
    // is handled exactly as before; for a duplicate whatever the handler did is rolled back below.
    if (key) batch.heldKeys.add(key);
    const ctx: Ctx = { author: `${source === "simulator" ? "simulator" : "stripe"}:${event.id}`, created: event.created, goals, hints, batch };
    const [insert, handled] = await Promise.allSettled([inserted, handler(tx, event.data.object as never, ctx)]);
    if (insert.status === "rejected") throw insert.reason;
    if (insert.value.length === 0) throw new DuplicateEvent();
    if (handled.status === "rejected") throw handled.reason;
    return "processed" as const;
  }).catch((error: unknown) => {
    if (error instanceof DuplicateEvent) return "duplicate" as const;
    throw error;
  });
  path.remember(event.id);
  // Public pages show ledger balances from a one-second cache: drop it once the change is committed.
  if (result === "processed") invalidatePageCache();
  return result;
}

/** The event id was taken already: the transaction is rolled back (the handler ran before that was known). */
class DuplicateEvent extends Error {}

/**
 * The transaction a handler runs in, with its write plan (deferred-writes.server.ts): the writes it
 * deferred go to the database together with the COMMIT (pipelinedTransaction), and once committed the
 * outbox worker is woken if an email was queued.
 */
async function handlerTransaction<T>(path: StripePath, fn: (tx: Tx, batch: WriteBatch) => Promise<T>): Promise<T> {
  let batch: WriteBatch | undefined;
  let emails = false;
  const result = await pipelinedTransaction(
    path.db,
    (tx) => fn(tx, (batch = path.batch(tx))),
    () => {
      const taken = batch?.take() ?? { statements: [], emails: false };
      emails = taken.emails;
      return taken.statements;
    },
  );
  if (emails) wakeOutbox();
  return result;
}

/**
 * A signed event the handlers cannot read (events-shape.ts), kept for staff in /admin/payments: under
 * its event id when that is sound, else under a hash of the body, so a re-delivery is recorded once.
 * Only this row is written; the event id is not taken, so a corrected event with the same id would
 * still be handled.
 */
export async function recordMalformedEvent(db: Db, rawBody: string, problem: ShapeProblem): Promise<void> {
  const objectId = problem.eventId ?? `body:sha256:${createHash("sha256").update(rawBody).digest("hex")}`;
  console.warn(`[payments] malformed Stripe event ${objectId} (${problem.type ?? "no type"}): ${problem.issues.map((i) => `${i.path || "body"}: ${i.message}`).join("; ")}`);
  await db
    .insert(paymentAnomalies)
    .values({ paymentId: null, kind: "malformed_event", objectId, details: { type: problem.type, bytes: rawBody.length, issues: problem.issues } })
    .onConflictDoNothing();
}

/** Whether this instance already committed the event (a cheap pre-check; the unique insert decides). */
export function recentlyProcessed(db: Db, eventId: string): boolean {
  return stripePathFor(db).recentlyProcessed(eventId);
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
    stripePathFor(db).statements,
  );
  return rows.length > 0;
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
    case "customer.subscription.created":
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


/**
 * A Checkout Session fetched from Stripe (the success page asks while the payment is pending),
 * applied with the same handler as the webhook's checkout.session.completed.
 */
export async function applyCheckoutSession(db: Db, session: Stripe.Checkout.Session): Promise<void> {
  const path = stripePathFor(db);
  const goals = await path.goals();
  await handlerTransaction(path, async (tx, batch) => {
    await onCheckoutSessionCompleted(tx, session, { author: `stripe:retrieve:${session.id}`, created: Math.floor(Date.now() / 1000), goals, hints: {}, batch });
  });
  invalidatePageCache();
}
