import { and, eq, or, sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { goals, ledgerEntries, paymentDisputes, payments, type Payment } from "~db/schema";
import { ruleInForce } from "./allocation.server";
import { splitLargestRemainder, type Share } from "./split";

/**
 * Brings a payment's ledger entries in line with what is known about it, by appending only.
 * The caller holds the payment row locked (SELECT … FOR UPDATE) inside its transaction, so two
 * events about one payment never post concurrently; entry keys are unique as a second guard.
 *
 * - Paid (SEK) and not yet allocated: allocation entries, one per goal — the designated goal, or the
 *   split of the allocation rule in force at `paid_at` (largest remainder, see ./split.ts).
 * - Reversed so far R = min(amount, refunded + lost disputes). The cumulative reversal per goal is
 *   always the largest-remainder split of R over the payment's original allocation; each sync
 *   appends the difference from what is already reversed. So two partial refunds of 1 öre each and
 *   one refund of 2 öre end in the same per-goal totals, and a full refund reverses each goal exactly.
 *
 * Worked example: 100 kr undesignated, equal split → 20 kr to each of goals 1–5. A partial refund
 * of 30 kr → R = 3 000 öre → −6 kr per goal. A second refund bringing the total to 100 kr →
 * R = 10 000 öre → another −14 kr per goal; every goal is back to 0 for this payment.
 */
export async function syncPaymentLedger(tx: Tx, payment: Payment, author: string): Promise<{ posted: number }> {
  if (payment.status !== "paid" || payment.currency !== "sek" || payment.amountOre <= 0n) return { posted: 0 };
  let posted = 0;
  const existing = await tx
    .select({ goalId: ledgerEntries.goalId, kind: ledgerEntries.kind, amountOre: ledgerEntries.amountOre })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.paymentId, payment.id));
  const allocations = existing.filter((e) => e.kind === "allocation");

  let original: Share[];
  if (allocations.length === 0) {
    original = await allocationFor(tx, payment);
    await tx.insert(ledgerEntries).values(
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
    const numbers = await goalNumbers(tx);
    original = allocations.map((a) => ({ goalId: a.goalId, goalNumber: numbers.get(a.goalId) ?? 0, amountOre: a.amountOre }));
  }

  const lost = await lostDisputesOre(tx, payment);
  let target = payment.refundedOre + lost;
  if (target > payment.amountOre) target = payment.amountOre;
  const reversedByGoal = new Map<number, bigint>();
  let reversed = 0n;
  for (const e of existing) {
    if (e.kind !== "reversal") continue;
    reversedByGoal.set(e.goalId, (reversedByGoal.get(e.goalId) ?? 0n) - e.amountOre);
    reversed -= e.amountOre;
  }
  if (target > reversed) {
    const split = splitLargestRemainder(
      target,
      original.map((s) => ({ goalId: s.goalId, goalNumber: s.goalNumber, weight: s.amountOre })),
    );
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
        reason: lost > 0n ? "refund_or_dispute" : "refund",
        author,
      }));
    if (rows.length) await tx.insert(ledgerEntries).values(rows);
    posted += rows.length;
  }
  return { posted };
}

async function goalNumbers(tx: Tx): Promise<Map<number, number>> {
  const rows = await tx.select({ id: goals.id, number: goals.number }).from(goals);
  return new Map(rows.map((r) => [r.id, r.number]));
}

/** How a paid payment is split: its goal, or the rule in force when it was paid. Records the rule used. */
async function allocationFor(tx: Tx, payment: Payment): Promise<Share[]> {
  if (payment.goalId !== null) {
    const numbers = await goalNumbers(tx);
    return [{ goalId: payment.goalId, goalNumber: numbers.get(payment.goalId) ?? 0, amountOre: payment.amountOre }];
  }
  const rule = await ruleInForce(tx, payment.paidAt ?? new Date());
  if (rule.ruleId !== null) {
    await tx.update(payments).set({ allocationRuleId: rule.ruleId }).where(eq(payments.id, payment.id));
  }
  return splitLargestRemainder(payment.amountOre, rule.weights);
}

async function lostDisputesOre(tx: Tx, payment: Payment): Promise<bigint> {
  const keys = [];
  if (payment.chargeId) keys.push(eq(paymentDisputes.chargeId, payment.chargeId));
  if (payment.paymentIntentId) keys.push(eq(paymentDisputes.paymentIntentId, payment.paymentIntentId));
  if (keys.length === 0) return 0n;
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${paymentDisputes.amountOre}), 0)::text` })
    .from(paymentDisputes)
    .where(and(eq(paymentDisputes.status, "lost"), keys.length === 1 ? keys[0] : or(...keys)));
  return BigInt(row?.total ?? "0");
}
