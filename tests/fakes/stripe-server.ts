import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import {
  chargeObject,
  checkoutSessionObject,
  disputeObject,
  invoiceObject,
  stripeEvent,
  stripeId,
  subscriptionObject,
  type SessionFields,
} from "~/services/payments/stripe-objects";
import { FakeInvoicing } from "./stripe-invoicing";
import { FakePayouts } from "./stripe-payouts";

/**
 * A small fake of Stripe's API for tests: the real Stripe SDK talks to it through STRIPE_API_URL
 * (host/port/protocol options). It records every request (method, path, idempotency key, decoded
 * form body), answers the calls the app makes (Checkout Sessions create/retrieve/expire,
 * subscriptions retrieve/update/cancel, billing portal sessions), replays a response for a repeated
 * idempotency key as Stripe does (and refuses a key reused with other parameters), and — standing in for the donor and Stripe's event system — can
 * complete a session and return the events Stripe would send, for the test to sign and deliver.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  authorization: string | null;
  stripeVersion: string | null;
  body: Record<string, unknown>;
}

interface FakeSession {
  fields: SessionFields;
  params: Record<string, unknown>;
}

interface FakeSubscription {
  id: string;
  customer: string;
  itemId: string;
  product: string;
  unitAmount: number;
  status: "active" | "canceled" | "past_due";
  metadata: Record<string, string>;
}

/** Decodes `a[b][0][c]=v` form bodies (what the SDK sends) into nested objects and arrays. */
export function decodeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
      const key = Array.isArray(node) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        container[key] ??= nextIsIndex ? [] : {};
        node = container[key] as Record<string, unknown> | unknown[];
      }
    });
  }
  return root;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

export class FakeStripe {
  requests: RecordedRequest[] = [];
  sessions = new Map<string, FakeSession>();
  subscriptions = new Map<string, FakeSubscription>();
  /** Customers and company invoices (Stripe Invoicing): tests/fakes/stripe-invoicing.ts. */
  invoicing = new FakeInvoicing(() => this.url);
  /** Payouts and their balance transactions: tests/fakes/stripe-payouts.ts. */
  payouts = new FakePayouts();
  private idempotent = new Map<string, { status: number; body: unknown; params: string }>();
  /** The next request gets this error instead of an answer (e.g. Stripe refusing a session). */
  failNext: { status: number; message: string } | null = null;
  private server!: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const [path, query = ""] = (req.url ?? "/").split("?");
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path,
        idempotencyKey: (req.headers["idempotency-key"] as string) ?? null,
        authorization: (req.headers.authorization as string) ?? null,
        stripeVersion: (req.headers["stripe-version"] as string) ?? null,
        body: decodeForm(req.method === "GET" ? query : raw),
      };
      this.requests.push(recorded);
      if (this.failNext) {
        const { status, message } = this.failNext;
        this.failNext = null;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { type: status >= 500 ? "api_error" : "invalid_request_error", message } }));
        return;
      }
      const replayKey = recorded.idempotencyKey ? `${recorded.method} ${path} ${recorded.idempotencyKey}` : null;
      const replay = replayKey ? this.idempotent.get(replayKey) : undefined;
      // As Stripe: a key used again with other parameters is refused (for 24 hours), not replayed.
      const { status, body } =
        replay && replay.params !== raw
          ? this.error(400, "Keys for idempotent requests can only be used with the same parameters they were first used with.", undefined, "idempotency_error")
          : (replay ?? this.route(recorded));
      if (replayKey && !replay && status < 500) this.idempotent.set(replayKey, { status, body, params: raw });
      res.writeHead(status, { "content-type": "application/json", "request-id": stripeId("req") });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private error(status: number, message: string, param?: string, type = "invalid_request_error") {
    return { status, body: { error: { type, message, param } } };
  }

  private route(r: RecordedRequest): { status: number; body: unknown } {
    if (!r.authorization?.startsWith("Bearer sk_")) return { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key" } } };
    let m: RegExpExecArray | null;
    const invoicing = this.invoicing.route(r);
    if (invoicing) return invoicing;
    const payouts = this.payouts.route(r);
    if (payouts) return payouts;
    if (r.method === "POST" && r.path === "/v1/checkout/sessions") return this.createSession(r.body);
    if (r.method === "GET" && r.path === "/v1/checkout/sessions") {
      const pi = r.body.payment_intent as string | undefined;
      const data = [...this.sessions.values()].filter((s) => !pi || s.fields.paymentIntent === pi).map((s) => this.sessionObject(s));
      return { status: 200, body: { object: "list", data, has_more: false, url: "/v1/checkout/sessions" } };
    }
    if ((m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(r.path)) && r.method === "GET") {
      const s = this.sessions.get(m[1]);
      return s ? { status: 200, body: this.sessionObject(s) } : this.error(404, `No such checkout.session: '${m[1]}'`);
    }
    if ((m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(r.path)) && r.method === "POST") {
      const s = this.sessions.get(m[1]);
      if (!s) return this.error(404, "No such checkout.session");
      // As Stripe: only an open session can be expired (a paid one, or Swish awaiting approval, cannot).
      if (s.fields.status !== "open") return this.error(400, 'Only Checkout Sessions with a status in ["open"] can be expired.');
      s.fields.status = "expired";
      return { status: 200, body: this.sessionObject(s) };
    }
    if ((m = /^\/v1\/subscriptions\/([^/]+)$/.exec(r.path))) {
      const sub = this.subscriptions.get(m[1]);
      if (!sub) return this.error(404, `No such subscription: '${m[1]}'`);
      if (r.method === "GET") return { status: 200, body: this.subscriptionObject(sub) };
      if (r.method === "DELETE") {
        sub.status = "canceled";
        return { status: 200, body: this.subscriptionObject(sub) };
      }
      if (r.method === "POST") {
        const items = r.body.items as { id: string; price_data?: { unit_amount?: string; product?: string; currency?: string } }[] | undefined;
        const item = items?.[0];
        if (!item || item.id !== sub.itemId) return this.error(400, "items[0][id] must be an item of the subscription", "items[0][id]");
        if (item.price_data) {
          if (item.price_data.product !== sub.product) return this.error(400, "price_data.product must be a product id", "items[0][price_data][product]");
          sub.unitAmount = Number(item.price_data.unit_amount);
        }
        return { status: 200, body: this.subscriptionObject(sub) };
      }
    }
    if (r.method === "GET" && r.path === "/v1/invoice_payments") {
      const byInvoice = r.body.invoice as string | undefined;
      const byPi = (r.body.payment as { payment_intent?: string } | undefined)?.payment_intent;
      const data = this.invoicePayments
        .filter((p) => (byInvoice ? p.invoice === byInvoice && !this.unlistedInvoices.has(p.invoice) : true) && (byPi ? p.paymentIntent === byPi : true))
        .map((p) => ({ object: "invoice_payment", id: `inpay_${p.invoice}`, invoice: p.invoice, status: "paid", payment: { type: "payment_intent", payment_intent: p.paymentIntent } }));
      return { status: 200, body: { object: "list", data, has_more: false, url: "/v1/invoice_payments" } };
    }
    if (r.method === "POST" && r.path === "/v1/billing_portal/sessions") {
      if (!r.body.customer) return this.error(400, "Missing required param: customer.", "customer");
      const id = stripeId("bps");
      return { status: 200, body: { id, object: "billing_portal.session", customer: r.body.customer, return_url: r.body.return_url, url: `${this.url}/portal/${id}` } };
    }
    return this.error(404, `Unrecognized request URL (${r.method}: ${r.path})`);
  }

  private createSession(p: Record<string, unknown>) {
    const mode = p.mode as string;
    if (mode !== "payment" && mode !== "subscription") return this.error(400, "Missing required param: mode.", "mode");
    if (!p.success_url) return this.error(400, "Missing required param: success_url.", "success_url");
    const items = p.line_items as { quantity: string; price_data: { currency: string; unit_amount: string; recurring?: { interval: string } } }[] | undefined;
    if (!items?.length) return this.error(400, "Missing required param: line_items.", "line_items");
    const methods = (p.allowed_payment_method_types as string[] | undefined) ?? ["card"];
    for (const item of items) {
      if (item.price_data.currency !== "sek" && methods.includes("swish")) return this.error(400, "Swish only supports SEK.", "line_items");
      if (mode === "subscription" && !item.price_data.recurring) return this.error(400, "subscription mode needs a recurring price", "line_items");
      if (mode === "payment" && item.price_data.recurring) return this.error(400, "payment mode cannot take a recurring price", "line_items");
    }
    if (mode === "subscription" && methods.includes("swish")) return this.error(400, "The payment method type swish cannot be used in subscription mode.", "allowed_payment_method_types");
    const amount = items.reduce((s, i) => s + Number(i.price_data.unit_amount) * Number(i.quantity ?? 1), 0);
    if (methods.includes("swish") && amount < 300) return this.error(400, "Amount must be at least 3.00 kr", "line_items");
    const id = stripeId("cs_test");
    const session: FakeSession = {
      params: p,
      fields: {
        id,
        mode,
        amountTotal: amount,
        currency: items[0].price_data.currency,
        status: "open",
        paymentStatus: "unpaid",
        metadata: (p.metadata as Record<string, string>) ?? {},
        customerEmail: (p.customer_email as string) ?? null,
        allowedPaymentMethodTypes: methods,
        clientReferenceId: (p.client_reference_id as string) ?? null,
        successUrl: p.success_url as string,
        cancelUrl: (p.cancel_url as string) ?? null,
        url: `${this.url}/pay/${id}`,
      },
    };
    this.sessions.set(id, session);
    return { status: 200, body: this.sessionObject(session) };
  }

  private sessionObject(s: FakeSession) {
    return checkoutSessionObject(s.fields);
  }

  private subscriptionObject(sub: FakeSubscription) {
    return subscriptionObject({ ...sub, status: sub.status });
  }

  /**
   * The donor pays on Stripe's page. Returns the events Stripe sends, in the order it creates them
   * (delivery order is the test's business).
   */
  completeSession(id: string, opts: { name?: string } = {}): Stripe.Event[] {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no session ${id}`);
    const f = s.fields;
    f.status = "complete";
    f.customerName = opts.name ?? "Test Givare";
    const metadata = f.metadata ?? {};
    if (f.mode === "subscription") {
      const sub: FakeSubscription = {
        id: stripeId("sub"),
        customer: stripeId("cus"),
        itemId: stripeId("si"),
        product: stripeId("prod"),
        unitAmount: f.amountTotal,
        status: "active",
        metadata: ((s.params.subscription_data as { metadata?: Record<string, string> })?.metadata ?? {}) as Record<string, string>,
      };
      this.subscriptions.set(sub.id, sub);
      f.subscription = sub.id;
      f.customer = sub.customer;
      f.paymentStatus = "paid";
      const { invoice } = this.paidInvoice(sub, "subscription_create", f.customerEmail, f.customerName);
      return [
        stripeEvent("customer.subscription.created", this.subscriptionObject(sub)),
        stripeEvent("invoice.paid", invoice),
        stripeEvent("checkout.session.completed", this.sessionObject(s)),
      ];
    }
    f.paymentIntent = stripeId("pi");
    const piMetadata = ((s.params.payment_intent_data as { metadata?: Record<string, string> })?.metadata ?? metadata) as Record<string, string>;
    const charge = chargeObject({
      id: stripeId("ch"),
      amount: f.amountTotal,
      paymentIntent: f.paymentIntent,
      metadata: piMetadata,
      method: f.allowedPaymentMethodTypes?.[0] === "swish" ? "swish" : "card",
      email: f.customerEmail,
      name: f.customerName,
    });
    this.charges.set(f.paymentIntent, charge);
    if (f.allowedPaymentMethodTypes?.[0] === "swish") {
      // Delayed notification: completed while unpaid, then async_payment_succeeded.
      f.paymentStatus = "unpaid";
      const unpaid = stripeEvent("checkout.session.completed", this.sessionObject(s));
      f.paymentStatus = "paid";
      return [unpaid, stripeEvent("charge.succeeded", charge), stripeEvent("checkout.session.async_payment_succeeded", this.sessionObject(s))];
    }
    f.paymentStatus = "paid";
    return [stripeEvent("charge.succeeded", charge), stripeEvent("checkout.session.completed", this.sessionObject(s))];
  }

  charges = new Map<string, Stripe.Charge>();
  invoicePayments: { invoice: string; paymentIntent: string }[] = [];
  /** Invoices whose payment a look-up by invoice does not list (yet): the month is recorded without its PaymentIntent. */
  unlistedInvoices = new Set<string>();

  /** A paid invoice as Stripe sends it in a webhook (without `payments`), with its charge and invoice payment. */
  private paidInvoice(sub: FakeSubscription, billingReason: string, customerEmail?: string | null, customerName?: string | null) {
    const pi = stripeId("pi");
    const invoice = invoiceObject({
      id: stripeId("in"),
      amountPaid: sub.unitAmount,
      status: "paid",
      subscription: sub.id,
      subscriptionMetadata: sub.metadata,
      billingReason,
      paymentIntent: pi,
      includePayments: false,
      customer: sub.customer,
      customerEmail,
      customerName,
    });
    this.invoicePayments.push({ invoice: invoice.id!, paymentIntent: pi });
    this.charges.set(pi, chargeObject({ id: stripeId("ch"), amount: sub.unitAmount, paymentIntent: pi, metadata: {} }));
    return { invoice, paymentIntent: pi };
  }

  /** A refund made in the dashboard: charge.refunded with the cumulative amount refunded. */
  refund(paymentIntentId: string, amount: number): Stripe.Event {
    const charge = this.charges.get(paymentIntentId);
    if (!charge) throw new Error(`no charge for ${paymentIntentId}`);
    const next = chargeObject({
      id: charge.id,
      amount: charge.amount,
      amountRefunded: charge.amount_refunded + amount,
      paymentIntent: paymentIntentId,
      metadata: charge.metadata as Record<string, string>,
    });
    this.charges.set(paymentIntentId, next);
    return stripeEvent("charge.refunded", next);
  }

  /**
   * A donor pays through a Payment Link: a session the app did not create, whose metadata (the
   * link's) is not copied to the PaymentIntent, so the charge carries none. Returns the events.
   */
  paymentLink(amount: number, metadata: Record<string, string>): { paymentIntent: string; events: Stripe.Event[] } {
    const id = stripeId("cs_test");
    const paymentIntent = stripeId("pi");
    const fields: SessionFields = { id, mode: "payment", amountTotal: amount, status: "complete", paymentStatus: "paid", metadata, paymentIntent, customerEmail: "lank@example.com" };
    this.sessions.set(id, { fields, params: {} });
    const charge = chargeObject({ id: stripeId("ch"), amount, paymentIntent, metadata: {} });
    this.charges.set(paymentIntent, charge);
    return { paymentIntent, events: [stripeEvent("charge.succeeded", charge), stripeEvent("checkout.session.completed", this.sessionObject(this.sessions.get(id)!))] };
  }

  /** A dispute (chargeback) of a payment's charge, as charge.dispute.created or .closed. */
  dispute(paymentIntentId: string, status: "needs_response" | "won" | "lost", amount?: number): Stripe.Event {
    const charge = this.charges.get(paymentIntentId);
    if (!charge) throw new Error(`no charge for ${paymentIntentId}`);
    const dispute = disputeObject({ id: `dp_${charge.id}`, charge: charge.id, paymentIntent: paymentIntentId, amount: amount ?? charge.amount, status });
    return stripeEvent(status === "needs_response" ? "charge.dispute.created" : "charge.dispute.closed", dispute);
  }

  /** The next month of a subscription is paid: invoice.paid (without `payments`, as in webhooks). */
  renew(subscriptionId: string): { event: Stripe.Event; paymentIntent: string } {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no subscription ${subscriptionId}`);
    const { invoice, paymentIntent } = this.paidInvoice(sub, "subscription_cycle");
    return { event: stripeEvent("invoice.paid", invoice), paymentIntent };
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)));
  }
}

export async function startFakeStripe(): Promise<FakeStripe> {
  return new FakeStripe().start();
}
