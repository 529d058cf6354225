import { randomBytes } from "node:crypto";
import type Stripe from "stripe";

/**
 * Stripe API objects as Stripe sends them (API version 2026-10-28), with the fields this app and
 * ordinary integrations read. The payment simulator builds its events here, and so does the fake
 * Stripe server in tests/fakes — one description of the shapes for both.
 */
export const STRIPE_API_VERSION = "2026-10-28.endive";

export function stripeId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
}

const now = () => Math.floor(Date.now() / 1000);

export function stripeEvent<T extends { object: string }>(type: string, object: T, opts: { id?: string; created?: number } = {}): Stripe.Event {
  return {
    id: opts.id ?? stripeId("evt"),
    object: "event",
    api_version: STRIPE_API_VERSION,
    created: opts.created ?? now(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as Stripe.Event;
}

export interface SessionFields {
  id: string;
  mode: "payment" | "subscription";
  amountTotal: number;
  currency?: string;
  status: "open" | "complete" | "expired";
  paymentStatus: "paid" | "unpaid" | "no_payment_required";
  metadata?: Record<string, string>;
  paymentIntent?: string | null;
  subscription?: string | null;
  customer?: string | null;
  customerEmail?: string | null;
  customerName?: string | null;
  allowedPaymentMethodTypes?: string[];
  clientReferenceId?: string | null;
  successUrl?: string | null;
  cancelUrl?: string | null;
  url?: string | null;
  created?: number;
}

export function checkoutSessionObject(f: SessionFields): Stripe.Checkout.Session {
  const methods = f.allowedPaymentMethodTypes ?? ["card"];
  return {
    id: f.id,
    object: "checkout.session",
    allowed_payment_method_types: methods,
    amount_subtotal: f.amountTotal,
    amount_total: f.amountTotal,
    cancel_url: f.cancelUrl ?? null,
    client_reference_id: f.clientReferenceId ?? null,
    created: f.created ?? now(),
    currency: f.currency ?? "sek",
    customer: f.customer ?? null,
    customer_details: f.customerEmail || f.customerName ? { email: f.customerEmail ?? null, name: f.customerName ?? null } : null,
    customer_email: f.customerEmail ?? null,
    expires_at: (f.created ?? now()) + 24 * 3600,
    livemode: false,
    metadata: f.metadata ?? {},
    mode: f.mode,
    payment_intent: f.mode === "payment" ? (f.paymentIntent ?? null) : null,
    payment_link: null,
    payment_method_types: methods,
    payment_status: f.paymentStatus,
    status: f.status,
    submit_type: "donate",
    subscription: f.subscription ?? null,
    success_url: f.successUrl ?? null,
    ui_mode: "hosted_page",
    url: f.status === "open" ? (f.url ?? null) : null,
  } as unknown as Stripe.Checkout.Session;
}

export interface InvoiceFields {
  id: string;
  amountPaid: number;
  amountDue?: number;
  currency?: string;
  status: "paid" | "open";
  subscription?: string | null;
  subscriptionMetadata?: Record<string, string> | null;
  metadata?: Record<string, string>;
  billingReason?: string;
  paymentIntent?: string | null;
  customer?: string | null;
  customerEmail?: string | null;
  customerName?: string | null;
  paidAt?: number | null;
  attemptCount?: number;
  /** Stripe leaves `payments` out of webhook payloads unless asked to include it. */
  includePayments?: boolean;
}

export function invoiceObject(f: InvoiceFields): Stripe.Invoice {
  return {
    id: f.id,
    object: "invoice",
    amount_due: f.amountDue ?? f.amountPaid,
    amount_paid: f.amountPaid,
    amount_remaining: (f.amountDue ?? f.amountPaid) - f.amountPaid,
    attempt_count: f.attemptCount ?? 1,
    billing_reason: f.billingReason ?? "subscription_cycle",
    collection_method: "charge_automatically",
    created: now(),
    currency: f.currency ?? "sek",
    customer: f.customer ?? null,
    customer_email: f.customerEmail ?? null,
    customer_name: f.customerName ?? null,
    livemode: false,
    metadata: f.metadata ?? {},
    parent: f.subscription
      ? { type: "subscription_details", quote_details: null, subscription_details: { subscription: f.subscription, metadata: f.subscriptionMetadata ?? {} } }
      : null,
    payments: f.paymentIntent && f.includePayments !== false
      ? { object: "list", data: [{ object: "invoice_payment", id: stripeId("inpay"), payment: { type: "payment_intent", payment_intent: f.paymentIntent }, status: f.status === "paid" ? "paid" : "open" }], has_more: false, url: `/v1/invoices/${f.id}/payments` }
      : undefined,
    status: f.status,
    status_transitions: { paid_at: f.status === "paid" ? (f.paidAt ?? now()) : null, finalized_at: now(), marked_uncollectible_at: null, voided_at: null },
  } as unknown as Stripe.Invoice;
}

export interface ChargeFields {
  id: string;
  amount: number;
  amountRefunded?: number;
  currency?: string;
  paymentIntent?: string | null;
  metadata?: Record<string, string>;
  status?: "succeeded" | "pending" | "failed";
  method?: "card" | "swish";
  created?: number;
  email?: string | null;
  name?: string | null;
}

export function chargeObject(f: ChargeFields): Stripe.Charge {
  const refunded = f.amountRefunded ?? 0;
  return {
    id: f.id,
    object: "charge",
    amount: f.amount,
    amount_captured: f.amount,
    amount_refunded: refunded,
    billing_details: { email: f.email ?? null, name: f.name ?? null, address: null, phone: null },
    captured: true,
    created: f.created ?? now(),
    currency: f.currency ?? "sek",
    disputed: false,
    livemode: false,
    metadata: f.metadata ?? {},
    paid: (f.status ?? "succeeded") === "succeeded",
    payment_intent: f.paymentIntent ?? null,
    payment_method_details: { type: f.method ?? "card" },
    refunded: refunded >= f.amount,
    status: f.status ?? "succeeded",
  } as unknown as Stripe.Charge;
}

export interface RefundFields {
  id: string;
  charge: string;
  paymentIntent?: string | null;
  amount: number;
  currency?: string;
  status: "pending" | "requires_action" | "succeeded" | "failed" | "canceled";
  failureReason?: string | null;
}

export function refundObject(f: RefundFields): Stripe.Refund {
  return {
    id: f.id,
    object: "refund",
    amount: f.amount,
    charge: f.charge,
    created: now(),
    currency: f.currency ?? "sek",
    failure_reason: f.status === "failed" ? (f.failureReason ?? "unknown") : null,
    metadata: {},
    payment_intent: f.paymentIntent ?? null,
    reason: null,
    status: f.status,
  } as unknown as Stripe.Refund;
}

export interface DisputeFields {
  id: string;
  charge: string;
  paymentIntent?: string | null;
  amount: number;
  currency?: string;
  status: "needs_response" | "under_review" | "won" | "lost" | "warning_needs_response" | "warning_under_review" | "warning_closed";
  reason?: string;
  metadata?: Record<string, string>;
}

export function disputeObject(f: DisputeFields): Stripe.Dispute {
  return {
    id: f.id,
    object: "dispute",
    amount: f.amount,
    charge: f.charge,
    created: now(),
    currency: f.currency ?? "sek",
    livemode: false,
    metadata: f.metadata ?? {},
    payment_intent: f.paymentIntent ?? null,
    reason: f.reason ?? "fraudulent",
    status: f.status,
  } as unknown as Stripe.Dispute;
}

export interface SubscriptionFields {
  id: string;
  status: "active" | "past_due" | "canceled" | "incomplete" | "unpaid";
  customer: string;
  metadata?: Record<string, string>;
  itemId: string;
  product: string;
  unitAmount: number;
  quantity?: number;
  currency?: string;
}

export function subscriptionObject(f: SubscriptionFields): Stripe.Subscription {
  return {
    id: f.id,
    object: "subscription",
    cancel_at_period_end: false,
    canceled_at: f.status === "canceled" ? now() : null,
    created: now(),
    currency: f.currency ?? "sek",
    customer: f.customer,
    ended_at: f.status === "canceled" ? now() : null,
    items: {
      object: "list",
      data: [
        {
          id: f.itemId,
          object: "subscription_item",
          price: {
            id: stripeId("price"),
            object: "price",
            currency: f.currency ?? "sek",
            product: f.product,
            recurring: { interval: "month", interval_count: 1 },
            type: "recurring",
            unit_amount: f.unitAmount,
          },
          quantity: f.quantity ?? 1,
        },
      ],
      has_more: false,
      url: `/v1/subscription_items?subscription=${f.id}`,
    },
    livemode: false,
    metadata: f.metadata ?? {},
    status: f.status,
  } as unknown as Stripe.Subscription;
}
