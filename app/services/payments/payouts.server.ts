import { and, eq, inArray, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db, Tx } from "~db/client.server";
import { ledgerEntries, payments, stripeBalanceTransactions, stripeFeeShares, stripePayouts } from "~db/schema";
import { enqueueJob, registerJobHandler, type JobRun } from "~/services/jobs/jobs.server";
import { env } from "~/utils/env.server";
import { idOf, type Ctx } from "./events-common.server";
import { stripeClient } from "./gateway.server";

/**
 * Stripe's fees and payouts into the bookkeeping (issue 14 item 5; docs/decisions/0007-stripe-fees-and-payouts.md).
 *
 * The charge webhooks stay as they were: Stripe's fee is not in their payloads, and asking for it
 * there would add a call to Stripe per payment on the hot path. Instead `payout.paid` (and
 * `payout.failed`) only queue a job in the event's own transaction; the job reads the payout and the
 * balance transactions it settles (`balanceTransactions.list({ payout })`, the charge/refund/dispute
 * expanded), outside any transaction, and records them in the transaction that marks the job done.
 * Each transaction is recorded once (its `txn_` id is the key), so a job run twice changes nothing.
 */

export const PAYOUT_JOB = "stripe_payout_record";

/** Transactions that are themselves a fee Stripe charged (their amount is the fee). */
const feeTypes = new Set(["stripe_fee", "stripe_fx_fee", "tax_fee"]);
/** Transactions about a payment: the app should know the payment. */
const paymentTypes = new Set(["charge", "payment", "refund", "payment_refund", "adjustment", "payment_failure_refund", "refund_failure"]);

/** The webhook's handler for `payout.paid` / `payout.failed`: one insert in the event's transaction, no call to Stripe. */
export async function onPayoutEvent(tx: Tx, payout: Stripe.Payout, _ctx: Ctx): Promise<void> {
  await enqueueJob(tx, { kind: PAYOUT_JOB, dedupeKey: `${payout.id}:${payout.status}`, payload: { payoutId: payout.id } });
}

export interface FetchedPayout {
  payout: Pick<Stripe.Payout, "id" | "amount" | "currency" | "status" | "arrival_date">;
  transactions: Stripe.BalanceTransaction[];
}

/** The payout and every balance transaction it settles, paged through (the SDK follows `has_more`). */
export async function fetchPayout(stripe: Stripe, payoutId: string): Promise<FetchedPayout> {
  const payout = await stripe.payouts.retrieve(payoutId);
  const transactions: Stripe.BalanceTransaction[] = [];
  for await (const txn of stripe.balanceTransactions.list({ payout: payoutId, limit: 100, expand: ["data.source"] })) transactions.push(txn);
  return { payout, transactions };
}

/** What a balance transaction is about: its charge and PaymentIntent, when its source names them. */
function sourceIds(txn: Stripe.BalanceTransaction): { sourceId: string | null; chargeId: string | null; paymentIntentId: string | null } {
  const source = txn.source as (Record<string, unknown> & { id: string; object?: string }) | string | null;
  if (!source || typeof source === "string") return { sourceId: source ?? null, chargeId: null, paymentIntentId: null };
  const ref = (v: unknown) => idOf(v as string | { id: string } | null | undefined);
  return {
    sourceId: source.id,
    chargeId: source.object === "charge" ? source.id : ref(source.charge),
    paymentIntentId: ref(source.payment_intent),
  };
}

/** Stripe's fee on a transaction: its `fee`, or the whole amount of a transaction that is a fee. */
export function feeOf(txn: Pick<Stripe.BalanceTransaction, "type" | "amount" | "fee">): bigint {
  return BigInt(txn.fee) + (feeTypes.has(txn.type) ? BigInt(-txn.amount) : 0n);
}

/**
 * `fee` split over the goals in proportion to `parts` (öre per goal, all > 0), by largest remainder
 * (ties to the lower goal id), so the shares add up to the fee exactly.
 * Example: 930 öre over {1: 15000, 2: 15000} → 465 + 465; 10 öre over {1: 1, 2: 2} → 3 + 7.
 */
export function splitFee(fee: bigint, parts: Map<number, bigint>): { goalId: number; feeOre: bigint }[] {
  const total = [...parts.values()].reduce((s, v) => s + v, 0n);
  const goals = [...parts.keys()].sort((a, b) => a - b);
  const shares = goals.map((goalId) => ({ goalId, feeOre: (fee * parts.get(goalId)!) / total, rest: (fee * parts.get(goalId)!) % total }));
  let left = fee - shares.reduce((s, x) => s + x.feeOre, 0n);
  for (const s of [...shares].sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.goalId - b.goalId))) {
    if (left === 0n) break;
    s.feeOre += 1n;
    left -= 1n;
  }
  return shares.filter((s) => s.feeOre !== 0n).map(({ goalId, feeOre }) => ({ goalId, feeOre }));
}

const CHUNK = 500;
function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Records a fetched payout in the caller's transaction: the payout (its status and amount as last
 * read), each balance transaction not yet recorded with its payment, its fee split over the goals
 * the payment was allocated to, and the payout's totals. Returns how many transactions were new.
 */
export async function recordPayout(tx: Tx, fetched: FetchedPayout): Promise<number> {
  const { payout } = fetched;
  const arrivalDate = new Date(payout.arrival_date * 1000).toISOString().slice(0, 10);
  await tx
    .insert(stripePayouts)
    .values({ id: payout.id, amountOre: BigInt(payout.amount), currency: payout.currency, status: payout.status, arrivalDate })
    .onConflictDoUpdate({ target: stripePayouts.id, set: { amountOre: BigInt(payout.amount), status: payout.status, arrivalDate, updatedAt: new Date() } });

  const txns = fetched.transactions.filter((t) => t.type !== "payout").map((t) => ({ t, ...sourceIds(t) }));
  const chargeIds = [...new Set(txns.map((x) => x.chargeId).filter((v): v is string => !!v))];
  const piIds = [...new Set(txns.map((x) => x.paymentIntentId).filter((v): v is string => !!v))];
  const byCharge = new Map<string, bigint>();
  const byPi = new Map<string, bigint>();
  const goalOf = new Map<bigint, number | null>();
  for (const part of chunks([...chargeIds, ...piIds])) {
    const rows = await tx
      .select({ id: payments.id, chargeId: payments.chargeId, pi: payments.paymentIntentId, goalId: payments.goalId })
      .from(payments)
      .where(or(inArray(payments.chargeId, part), inArray(payments.paymentIntentId, part)));
    for (const r of rows) {
      if (r.chargeId) byCharge.set(r.chargeId, r.id);
      if (r.pi) byPi.set(r.pi, r.id);
      goalOf.set(r.id, r.goalId);
    }
  }
  const rows = txns.map(({ t, sourceId, chargeId, paymentIntentId }) => ({
    id: t.id,
    payoutId: payout.id,
    type: t.type,
    reportingCategory: t.reporting_category ?? null,
    amountOre: BigInt(t.amount),
    feeOre: feeOf(t),
    netOre: BigInt(t.net),
    sourceId,
    paymentId: (chargeId ? byCharge.get(chargeId) : undefined) ?? (paymentIntentId ? byPi.get(paymentIntentId) : undefined) ?? null,
    createdAt: new Date(t.created * 1000),
  }));
  const inserted = new Set<string>();
  for (const part of chunks(rows)) {
    const ids = await tx.insert(stripeBalanceTransactions).values(part).onConflictDoNothing().returning({ id: stripeBalanceTransactions.id });
    ids.forEach((r) => inserted.add(r.id));
  }

  const fresh = rows.filter((r) => inserted.has(r.id) && r.feeOre !== 0n);
  const paymentIds = [...new Set(fresh.map((r) => r.paymentId).filter((v): v is bigint => v !== null))];
  const allocation = new Map<bigint, Map<number, bigint>>();
  for (const part of chunks(paymentIds)) {
    const sums = await tx
      .select({ paymentId: ledgerEntries.paymentId, goalId: ledgerEntries.goalId, sum: sql<string>`sum(${ledgerEntries.amountOre})::text` })
      .from(ledgerEntries)
      .where(and(inArray(ledgerEntries.paymentId, part), eq(ledgerEntries.kind, "allocation")))
      .groupBy(ledgerEntries.paymentId, ledgerEntries.goalId);
    for (const s of sums) {
      if (BigInt(s.sum) <= 0n) continue;
      const m = allocation.get(s.paymentId!) ?? new Map<number, bigint>();
      m.set(s.goalId, BigInt(s.sum));
      allocation.set(s.paymentId!, m);
    }
  }
  const shares = fresh.flatMap((r) => {
    const parts = r.paymentId !== null ? allocation.get(r.paymentId) : undefined;
    // A refund's fee (rare) or any fee of a payment not allocated: on its designated goal, or on none.
    if (!parts || r.feeOre < 0n) return [{ balanceTransactionId: r.id, goalId: r.paymentId !== null ? (goalOf.get(r.paymentId) ?? null) : null, feeOre: r.feeOre }];
    return splitFee(r.feeOre, parts).map((s) => ({ balanceTransactionId: r.id, ...s }));
  });
  for (const part of chunks(shares)) await tx.insert(stripeFeeShares).values(part);

  const unmatched = sql`count(*) filter (where ${stripeBalanceTransactions.paymentId} is null and ${stripeBalanceTransactions.type} in (${sql.join([...paymentTypes].map((t) => sql`${t}`), sql`, `)}))::int`;
  await tx
    .update(stripePayouts)
    .set({
      feeOre: sql`(select coalesce(sum(fee_ore), 0) from stripe_balance_transactions where payout_id = ${payout.id})`,
      grossOre: sql`(select coalesce(sum(amount_ore), 0) from stripe_balance_transactions where payout_id = ${payout.id} and type not in ('stripe_fee', 'stripe_fx_fee', 'tax_fee'))`,
      transactions: sql`(select count(*)::int from stripe_balance_transactions where payout_id = ${payout.id})`,
      unmatched: sql`(select ${unmatched} from stripe_balance_transactions where payout_id = ${payout.id})`,
    })
    .where(eq(stripePayouts.id, payout.id));
  return inserted.size;
}

/** The job: read Stripe outside any transaction, record in the one that marks the job done. */
export async function runPayoutJob(run: Pick<JobRun, "job">, stripe: Stripe = stripeClient(env())) {
  const payoutId = run.job.payload.payoutId;
  if (typeof payoutId !== "string" || !payoutId.startsWith("po_")) throw new Error(`stripe_payout_record: no payout id in ${JSON.stringify(run.job.payload)}`);
  const fetched = await fetchPayout(stripe, payoutId);
  return { complete: async (tx: Tx) => void (await recordPayout(tx, fetched)) };
}

export function registerPayoutJobs(_db: Db): void {
  // A payout of a busy month lists thousands of transactions: read and record them within 10 minutes.
  registerJobHandler(PAYOUT_JOB, (run) => runPayoutJob(run), { lockMs: 10 * 60_000 });
}
