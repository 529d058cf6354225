import { eq, sql, type SQL } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { goals, ledgerEntries, paymentDisputes, payments, type Payment } from "~db/schema";
import { beforeRead, deferInsert, patchPayment, type WriteBatch } from "~/services/payments/deferred-writes.server";
import { runRaw } from "~/services/payments/hot-queries.server";
import { equalSplit, ruleSharesAt, type RuleInForce } from "./allocation.server";
import { reversalSplit, splitLargestRemainder, type Share } from "./split";

/**
 * Brings a payment's ledger entries in line with what is known about it, by appending only.
 * The caller holds the payment row locked (SELECT … FOR UPDATE) inside its transaction, so two
 * events about one payment never post concurrently; entry keys are unique as a second guard.
 *
 * - Paid (SEK) and not yet allocated: allocation entries, one per goal — the designated goal, or the
 *   split of the allocation rule in force at `paid_at` (largest remainder, see ./split.ts).
 * - Reversed so far R = min(amount, refunded + credited + lost disputes). The cumulative reversal per goal is
 *   the Sainte-Laguë split of R over the payment's original allocation (splitMonotone in ./split.ts),
 *   which only grows with R; each sync appends the difference from what is already reversed, so
 *   every reversal entry is ≤ 0 and no goal is reversed past its allocation. Two partial refunds of
 *   1 öre each and one refund of 2 öre end in the same per-goal totals, and a full refund reverses
 *   each goal exactly.
 *
 * Worked example: 100 kr undesignated, equal split → 20 kr to each of goals 1–5. A partial refund
 * of 30 kr → R = 3 000 öre → −6 kr per goal. A second refund bringing the total to 100 kr →
 * R = 10 000 öre → another −14 kr per goal; every goal is back to 0 for this payment.
 */
export interface PostingOptions {
  /** The reason on reversal entries, when not Stripe's (`refund`, `refund_or_dispute`): e.g. `credit_note:<number>`. */
  reversalReason?: string;
  /** The Stripe path's write plan: entries and the payment's patch wait in it. Without it they are written at once. */
  batch?: WriteBatch;
}

export async function syncPaymentLedger(
  tx: Tx,
  payment: Payment,
  author: string,
  goalList?: { id: number; number: number }[],
  opts: PostingOptions = {},
): Promise<{ posted: number }> {
  const batch = opts.batch;
  if (payment.status !== "paid" || payment.currency !== "sek" || payment.amountOre <= 0n) return { posted: 0 };
  let posted = 0;
  const { entries: existing, lost, rule } = await entriesAndLostDisputes(tx, payment, batch);
  const allocations = existing.filter((e) => e.kind === "allocation");
  const numbers = async () => new Map((goalList ?? (await tx.select({ id: goals.id, number: goals.number }).from(goals))).map((g) => [g.id, g.number]));

  let original: Share[];
  if (allocations.length === 0) {
    original = await allocationFor(tx, payment, rule, goalList, numbers, batch);
    await deferInsert(
      tx,
      batch,
      "ledger_entries",
      "ledger_allocation",
      ledgerEntries,
      original
          .filter((s) => s.amountOre > 0n)
          .map((s) => ({
            goalId: s.goalId,
            amountOre: s.amountOre,
            channel: payment.channel,
            kind: "allocation",
            paymentId: payment.id,
            entryKey: `alloc:${payment.id}:${s.goalId}`,
            author,
          })),
    );
    posted += original.length;
  } else {
    const byId = await numbers();
    original = allocations.map((a) => ({ goalId: a.goalId, goalNumber: byId.get(a.goalId) ?? 0, amountOre: a.amountOre }));
  }

  let target = payment.refundedOre + payment.creditedOre + lost;
  if (target > payment.amountOre) target = payment.amountOre;
  const reversedByGoal = new Map<number, bigint>();
  let reversed = 0n;
  for (const e of existing) {
    if (e.kind !== "reversal") continue;
    reversedByGoal.set(e.goalId, (reversedByGoal.get(e.goalId) ?? 0n) - e.amountOre);
    reversed -= e.amountOre;
  }
  if (target > reversed) {
    // Monotone per goal: every delta is ≥ 0 and no goal passes its allocation (./split.ts).
    const split = reversalSplit(target, original, reversedByGoal);
    const rows = split
      .map((s) => ({ goalId: s.goalId, delta: s.amountOre - (reversedByGoal.get(s.goalId) ?? 0n) }))
      .filter((r) => r.delta !== 0n)
      .map((r) => ({
        goalId: r.goalId,
        amountOre: -r.delta,
        channel: payment.channel,
        kind: "reversal",
        paymentId: payment.id,
        entryKey: `rev:${payment.id}:${target}:${r.goalId}`,
        reason: opts.reversalReason ?? (lost > 0n ? "refund_or_dispute" : "refund"),
        author,
      }));
    if (rows.length) await deferInsert(tx, batch, "ledger_entries", "ledger_reversal", ledgerEntries, rows);
    posted += rows.length;
  }
  return { posted };
}

/** How a paid payment is split: its goal, or the rule in force when it was paid. Records the rule used. */
async function allocationFor(
  tx: Tx,
  payment: Payment,
  shares: { ruleId: bigint; goalId: number; basisPoints: number }[] | undefined,
  goalList: { id: number; number: number }[] | undefined,
  numbers: () => Promise<Map<number, number>>,
  batch: WriteBatch | undefined,
): Promise<Share[]> {
  if (payment.goalId !== null) {
    return [{ goalId: payment.goalId, goalNumber: (await numbers()).get(payment.goalId) ?? 0, amountOre: payment.amountOre }];
  }
  let rule: RuleInForce;
  if (shares?.length) {
    const byId = await numbers();
    const weights = shares.map((s) => ({ goalId: s.goalId, goalNumber: byId.get(s.goalId) ?? 0, weight: BigInt(s.basisPoints) }));
    rule = { ruleId: shares[0].ruleId, weights: weights.sort((a, b) => a.goalNumber - b.goalNumber) };
  } else {
    rule = equalSplit(goalList ?? (await tx.select({ id: goals.id, number: goals.number }).from(goals)));
  }
  if (rule.ruleId !== null) await patchPayment(tx, payment, { allocationRuleId: rule.ruleId }, batch);
  return splitLargestRemainder(payment.amountOre, rule.weights);
}

/**
 * The payment's ledger entries and the sum of its lost disputes, and for an undesignated payment the
 * allocation rule in force when it was paid, in one round trip (this runs for every event about a
 * payment). Disputes are matched by charge or PaymentIntent id, so a dispute recorded before its
 * payment is still counted when the payment arrives.
 */
async function entriesAndLostDisputes(tx: Tx, payment: Payment, batch: WriteBatch | undefined): Promise<LedgerFacts> {
  const ahead = batch?.takeLedgerFacts(readAheadKey(payment.id, payment));
  if (ahead) return ahead;
  await beforeRead(batch, "ledger_entries");
  const withRule = payment.goalId === null;
  const list = await runRaw<{ goal_id: number | null; kind: string; amount_ore: string }>(
    tx,
    withRule ? "ledger_entries_disputes_rule" : "ledger_entries_disputes",
    () => sql`
    select ${ledgerEntries.goalId} as goal_id, ${ledgerEntries.kind} as kind, ${ledgerEntries.amountOre}::text as amount_ore
      from ${ledgerEntries} where ${ledgerEntries.paymentId} = ${sql.placeholder("payment")}::bigint
    ${disputesAndRule(withRule)}`,
    { payment: payment.id.toString(), charge: payment.chargeId ?? "", pi: payment.paymentIntentId ?? "", paidAt: (payment.paidAt ?? new Date()).toISOString() },
    batch?.statements,
  );
  return factsOf(list);
}

export interface LedgerFacts {
  entries: { goalId: number; kind: string; amountOre: bigint }[];
  lost: bigint;
  rule: { ruleId: bigint; goalId: number; basisPoints: number }[];
}

/** What a read ahead is valid for: the payment, the ids its disputes are matched by, when it was paid, designated or not. */
export function readAheadKey(paymentId: bigint, p: Pick<Payment, "chargeId" | "paymentIntentId" | "paidAt" | "goalId">): string {
  return [paymentId, p.chargeId ?? "", p.paymentIntentId ?? "", p.paidAt?.toISOString() ?? "", p.goalId === null].join("|");
}

/**
 * The ledger facts of a payment being inserted in this transaction and paid at `paidAt`, read in the
 * same flight as its insert (createExternalPayment: a Payment Link payment): it has no entries yet,
 * so only its lost disputes and, undesignated, the rule in force when it was paid. The Stripe path
 * keeps them in its WriteBatch for the payment's first ledger sync, which then reads nothing.
 */
export async function newPaymentLedgerFacts(
  tx: Tx,
  p: Pick<Payment, "chargeId" | "paymentIntentId" | "goalId"> & { paidAt: Date },
  batch: WriteBatch,
): Promise<LedgerFacts> {
  const withRule = p.goalId === null;
  const list = await runRaw<{ goal_id: number | null; kind: string; amount_ore: string }>(
    tx,
    withRule ? "new_payment_disputes_rule" : "new_payment_disputes",
    () => sql`select null::integer as goal_id, 'lost_disputes' as kind, '0' as amount_ore where false ${disputesAndRule(withRule)}`,
    { charge: p.chargeId ?? "", pi: p.paymentIntentId ?? "", paidAt: p.paidAt.toISOString() },
    batch.statements,
  );
  return factsOf(list);
}

/** The rows after a payment's entries: its lost disputes (by charge or PaymentIntent) and, if asked, the rule in force when it was paid. */
function disputesAndRule(withRule: boolean): SQL {
  return sql`union all
    select null, 'lost_disputes', coalesce(sum(${paymentDisputes.amountOre}), 0)::text
      from ${paymentDisputes}
     where ${paymentDisputes.status} = 'lost'
       and (${paymentDisputes.chargeId} = ${sql.placeholder("charge")}::text or ${paymentDisputes.paymentIntentId} = ${sql.placeholder("pi")}::text)
    ${withRule ? sql`union all select r.goal_id, 'rule:' || r.rule_id::text, r.basis_points::text from (${ruleSharesAt(sql.placeholder("paidAt"))}) r` : sql``}`;
}

function factsOf(list: { goal_id: number | null; kind: string; amount_ore: string }[]): LedgerFacts {
  let lost = 0n;
  const entries: { goalId: number; kind: string; amountOre: bigint }[] = [];
  const rule: { ruleId: bigint; goalId: number; basisPoints: number }[] = [];
  for (const r of list) {
    if (r.kind === "lost_disputes") lost = BigInt(r.amount_ore);
    else if (r.kind.startsWith("rule:")) rule.push({ ruleId: BigInt(r.kind.slice(5)), goalId: Number(r.goal_id), basisPoints: Number(r.amount_ore) });
    else entries.push({ goalId: Number(r.goal_id), kind: r.kind, amountOre: BigInt(r.amount_ore) });
  }
  return { entries, lost, rule };
}
