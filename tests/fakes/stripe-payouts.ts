import type Stripe from "stripe";
import { stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import type { RecordedRequest } from "./stripe-server";

/**
 * Payouts and balance transactions in the fake Stripe API (tests/fakes/stripe-server.ts): Stripe pays
 * the balance out to the bank, and `GET /v1/balance_transactions?payout=` lists what that payout
 * settled (with `expand[]=data.source` the charge, refund or dispute), paged by `limit` and
 * `starting_after` as Stripe pages, with `has_more`. `pay` stands in for Stripe: it builds the
 * transactions of the charges (and refunds) given, with a fee, and returns the `payout.paid` event.
 *
 * The fee rule is the test's (1.5 % rounded + 1.80 kr unless told otherwise), not a claim about Stripe's prices.
 */
type Answer = { status: number; body: unknown };
const fail = (status: number, message: string, param?: string): Answer => ({ status, body: { error: { type: "invalid_request_error", message, param } } });

interface FakeBalanceTransaction {
  id: string;
  type: string;
  reportingCategory: string;
  amount: number;
  fee: number;
  created: number;
  source: Record<string, unknown> | null;
}

interface FakePayout {
  id: string;
  amount: number;
  status: "paid" | "failed";
  arrivalDate: number;
  created: number;
  transactions: FakeBalanceTransaction[];
}

export interface PayoutItem {
  /** A charge the fake knows (by its PaymentIntent) — or a charge Stripe has that the app never recorded. */
  charge: Stripe.Charge;
  fee?: number;
  /** Refunded in this payout's period (a refund transaction, no fee). */
  refunded?: number;
}

export const testFee = (amount: number) => Math.round(amount * 0.015) + 180;

export class FakePayouts {
  payouts = new Map<string, FakePayout>();
  /** At most this many transactions per page, whatever `limit` asks (tests set it low to make the app page). */
  pageSize = 100;

  route(r: RecordedRequest): Answer | null {
    let m: RegExpExecArray | null;
    if ((m = /^\/v1\/payouts\/([^/]+)$/.exec(r.path)) && r.method === "GET") {
      const p = this.payouts.get(m[1]);
      return p ? { status: 200, body: this.object(p) } : fail(404, `No such payout: '${m[1]}'`);
    }
    if (r.path === "/v1/balance_transactions" && r.method === "GET") {
      const payoutId = r.body.payout as string | undefined;
      const p = payoutId ? this.payouts.get(payoutId) : undefined;
      if (!p) return fail(404, `No such payout: '${payoutId}'`, "payout");
      const expand = Object.values((r.body.expand ?? {}) as Record<string, string>);
      const limit = Math.min(Number(r.body.limit ?? 10), this.pageSize);
      const after = r.body.starting_after as string | undefined;
      const start = after ? p.transactions.findIndex((t) => t.id === after) + 1 : 0;
      const page = p.transactions.slice(start, start + limit);
      const data = page.map((t) => this.transactionObject(t, p, expand.includes("data.source")));
      return { status: 200, body: { object: "list", data, has_more: start + limit < p.transactions.length, url: "/v1/balance_transactions" } };
    }
    return null;
  }

  /** Stripe pays out: the transactions of these charges and their refunds, and Stripe's own payout row. */
  pay(items: PayoutItem[], opts: { arrivalDate?: string; extra?: { type: string; amount: number; fee?: number }[]; status?: "paid" | "failed" } = {}): Stripe.Event {
    const created = Math.floor(Date.now() / 1000);
    const transactions: FakeBalanceTransaction[] = [];
    for (const { charge, fee, refunded } of items) {
      transactions.push({ id: stripeId("txn"), type: "charge", reportingCategory: "charge", amount: charge.amount, fee: fee ?? testFee(charge.amount), created, source: { ...charge } });
      if (refunded) {
        const refund = { id: stripeId("re"), object: "refund", amount: refunded, charge: charge.id, payment_intent: charge.payment_intent, currency: "sek", status: "succeeded" };
        transactions.push({ id: stripeId("txn"), type: "refund", reportingCategory: "refund", amount: -refunded, fee: 0, created, source: refund });
      }
    }
    for (const x of opts.extra ?? []) transactions.push({ id: stripeId("txn"), type: x.type, reportingCategory: "fee", amount: x.amount, fee: x.fee ?? 0, created, source: null });
    const amount = transactions.reduce((s, t) => s + t.amount - t.fee, 0);
    const arrival = Math.floor(Date.parse(`${opts.arrivalDate ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`) / 1000);
    const payout: FakePayout = { id: stripeId("po"), amount, status: opts.status ?? "paid", arrivalDate: arrival, created, transactions };
    // As Stripe lists it: the payout's own transaction is among those the payout filter returns.
    transactions.push({ id: stripeId("txn"), type: "payout", reportingCategory: "payout", amount: -amount, fee: 0, created, source: { id: payout.id, object: "payout" } });
    this.payouts.set(payout.id, payout);
    return stripeEvent(payout.status === "paid" ? "payout.paid" : "payout.failed", this.object(payout) as unknown as Stripe.Payout);
  }

  /** The bank returns a paid payout (closed account…): Stripe marks it failed and sends payout.failed. */
  fail(id: string): Stripe.Event {
    const p = this.payouts.get(id);
    if (!p) throw new Error(`no payout ${id}`);
    p.status = "failed";
    return stripeEvent("payout.failed", this.object(p) as unknown as Stripe.Payout);
  }

  private object(p: FakePayout) {
    return { id: p.id, object: "payout", amount: p.amount, currency: "sek", status: p.status, arrival_date: p.arrivalDate, created: p.created, automatic: true, method: "standard", type: "bank_account" };
  }

  private transactionObject(t: FakeBalanceTransaction, p: FakePayout, expandSource: boolean) {
    const sourceId = (t.source?.id as string | undefined) ?? null;
    return {
      id: t.id,
      object: "balance_transaction",
      type: t.type,
      reporting_category: t.reportingCategory,
      amount: t.amount,
      fee: t.fee,
      net: t.amount - t.fee,
      currency: "sek",
      created: t.created,
      available_on: p.arrivalDate,
      status: "available",
      source: expandSource ? t.source : sourceId,
    };
  }
}
