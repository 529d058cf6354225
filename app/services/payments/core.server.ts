import type { Tx } from "~db/client.server";
import { payments, type NewPayment, type Payment, type PaymentChannel, type PaymentMethod, type PaymentOrigin } from "~db/schema";
import { syncPaymentLedger } from "~/services/ledger/posting.server";
import { Conflict, Invalid } from "~/services/errors";
import { patchPayment, type WriteBatch } from "./deferred-writes.server";

/**
 * The payments core: what every money source does with a payment, whatever the provider (Stripe's
 * event handlers, staff marking a bank transfer paid, a BgMax file, company invoices, credit notes).
 * Building blocks run INSIDE the caller's transaction; the calling service checks access with its
 * ServiceContext first and holds whatever lock makes its call happen once (the payment row
 * `FOR UPDATE`, the invoice row). The ledger is written only through syncPaymentLedger, with the
 * split and reversal rules of decision 0004 unchanged.
 */

/** What a payment was for: typed source columns on `payments` (added by the areas that own them). */
type SourceColumn = Extract<
  keyof NewPayment,
  "companyInvoiceId" | "companyInvoiceLineId" | "partnershipId" | "payrollRunLineId" | "collectionId" | "competitionTeamId"
>;
export type PaymentSource = Partial<Pick<NewPayment, SourceColumn>>;

export interface RecordPaymentInput {
  channel: PaymentChannel;
  amountOre: bigint;
  /** Null: undesignated, split by the allocation rule in force when it is paid. */
  goalId: number | null;
  origin: PaymentOrigin;
  method?: PaymentMethod | null;
  payer?: { name?: string | null; email?: string | null; organisationId?: number | null; locale?: "sv" | "en" };
  source?: PaymentSource;
  /** The bank's or provider's reference (OCR, transfer reference). */
  reference?: string | null;
}

/** A pending payment. Money reaches the ledger only when it is marked paid. */
export async function recordPayment(tx: Tx, input: RecordPaymentInput): Promise<Payment> {
  if (input.amountOre <= 0n) throw new Invalid("amount_not_positive", { amountOre: "amount_not_positive" });
  const [row] = await tx
    .insert(payments)
    .values({
      ...input.source,
      channel: input.channel,
      amountOre: input.amountOre,
      goalId: input.goalId,
      origin: input.origin,
      method: input.method ?? null,
      donorName: input.payer?.name ?? null,
      donorEmail: input.payer?.email ?? null,
      organisationId: input.payer?.organisationId ?? null,
      locale: input.payer?.locale ?? "sv",
      reference: input.reference ?? null,
      status: "pending",
    })
    .returning();
  return row;
}

export interface PaidFacts {
  paidAt: Date;
  /** What was received, if not the amount recorded (it is real money: recorded as received). */
  amountOre?: bigint;
  /** Anything but SEK is held out of the (SEK) ledger: status `held`. Default SEK. */
  currency?: string;
  method?: string | null;
  reference?: string | null;
  /** Who posts: `stripe:<event>`, `staff:<email>`, `bgmax:<file>` (authorOf(ctx.actor)). */
  author: string;
  /** Other columns recorded with it (e.g. the provider's ids, only those the row lacks). */
  set?: Partial<Payment>;
}

export interface CoreOptions {
  /** The goals' ids and numbers, if the caller has them (saves a read). */
  goals?: { id: number; number: number }[];
  /**
   * Only the Stripe path passes its write plan (deferred-writes.server.ts): the writes then wait and
   * go with its COMMIT. Without it everything is written at once.
   */
  batch?: WriteBatch;
}

/**
 * The payment is paid: status, date, amount received, and its allocation entries in the ledger (the
 * designated goal, or the split of the rule in force at `paidAt`). A payment already paid (or held)
 * posts nothing again: only new `set` columns are recorded, so a second call (a BgMax file imported
 * twice, an event delivered again) changes no balance.
 */
export async function markPaymentPaid(tx: Tx, payment: Payment, facts: PaidFacts, opts: CoreOptions = {}): Promise<Payment> {
  const alreadyPaid = payment.status === "paid" || payment.status === "held";
  const extra = facts.set ?? {};
  if (alreadyPaid && Object.keys(extra).length === 0) return payment;
  const set: Partial<Payment> = { ...extra, updatedAt: new Date() };
  if (!alreadyPaid) {
    const amountOre = facts.amountOre ?? payment.amountOre;
    if (amountOre < 0n) throw new Invalid("amount_not_positive", { amountOre: "amount_not_positive" });
    const currency = (facts.currency ?? "sek").toLowerCase();
    Object.assign(set, {
      status: currency === "sek" ? "paid" : "held",
      amountOre,
      currency,
      paidAt: facts.paidAt,
      method: facts.method ?? payment.method,
    });
    if (facts.reference != null) set.reference = facts.reference;
  }
  const current = await patchPayment(tx, payment, set, opts.batch);
  await syncPaymentLedger(tx, current, facts.author, opts.goals, { batch: opts.batch });
  return current;
}

export type ReversalReason = "refund" | "dispute" | "credit_note" | "void";

export interface Reversal {
  /**
   * This reversal (not a running total). A refund adds to `refunded_ore`, a credit note or void to
   * `credited_ore`; a lost dispute is 0 here (it is recorded as a dispute, payment_disputes). 0 only
   * brings the ledger up to what is recorded (a provider's event repeated).
   */
  amountOre: bigint;
  reason: ReversalReason;
  reference?: string | null;
  author: string;
  set?: Partial<Payment>;
}

/**
 * Takes back part or all of a paid payment: the ledger reverses min(amount, refunded + credited +
 * lost disputes) over the payment's goals by the monotone rule of decision 0004 (every step ≤ 0 per
 * goal, no goal past its allocation, a full reversal brings each goal back to exactly 0). More than
 * is left of the payment is refused (Conflict), nothing written. The caller makes each reversal
 * happen once (a credit note's own row, Stripe's cumulative refund).
 */
export async function reversePayment(tx: Tx, payment: Payment, reversal: Reversal, opts: CoreOptions = {}): Promise<Payment> {
  // Held (another currency than SEK): the facts are recorded, the SEK ledger has nothing to reverse.
  if (payment.status !== "paid" && payment.status !== "held") throw new Conflict("payment_not_paid");
  if (reversal.amountOre < 0n) throw new Invalid("amount_negative", { amountOre: "amount_negative" });
  if (payment.refundedOre + payment.creditedOre + reversal.amountOre > payment.amountOre) throw new Conflict("reversal_exceeds_payment");
  const set: Partial<Payment> = { ...reversal.set };
  if (reversal.amountOre > 0n && reversal.reason === "refund") set.refundedOre = payment.refundedOre + reversal.amountOre;
  else if (reversal.amountOre > 0n && reversal.reason !== "dispute") set.creditedOre = payment.creditedOre + reversal.amountOre;
  const current = Object.keys(set).length ? await patchPayment(tx, payment, { ...set, updatedAt: new Date() }, opts.batch) : payment;
  // Stripe's refunds and disputes keep their reasons (refund, refund_or_dispute); others name themselves.
  const reason = reversal.reason === "credit_note" || reversal.reason === "void" ? [reversal.reason, reversal.reference].filter(Boolean).join(":") : undefined;
  await syncPaymentLedger(tx, current, reversal.author, opts.goals, { reversalReason: reason, batch: opts.batch });
  return current;
}
