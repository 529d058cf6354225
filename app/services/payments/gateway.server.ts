import { createRequire } from "node:module";
import type Stripe from "stripe";
import type { Locale } from "~/i18n/messages";
import { env, type Env } from "~/utils/env.server";
import { sendCompanyInvoiceWithStripe, type CompanyInvoiceRequest, type CompanyInvoiceSent } from "./gateway-invoices.server";

/**
 * The one adapter between the app and the payment provider (DESIGN.md "Adapters at the edge").
 * Real: the Stripe SDK (STRIPE_SECRET_KEY set; STRIPE_API_URL points it at another host, e.g. the
 * fake Stripe server in tests/fakes). Local: the simulator, whose checkout page at /dev/checkout/<id>
 * builds the same event objects Stripe would send and hands them to the webhook's dispatch function.
 */
export interface CheckoutRequest {
  /** Our payment id (one-off) or first-month payment id (monthly): metadata.payment_ref. */
  paymentRef: string;
  /**
   * The payment's random checkout key (payments.checkout_key): the idempotency key is
   * `checkout:<key>`. Never the payment id, which repeats after a database reset or in another
   * environment on the same Stripe account (Stripe would refuse the key with other parameters).
   */
  checkoutKey: string;
  mode: "payment" | "subscription";
  method: "card" | "swish";
  amountOre: bigint;
  /** Goal slug or null for "där behovet är störst". */
  goalSlug: string | null;
  /** Product name shown in Checkout, e.g. "Gåva till Alla är trygga". */
  productName: string;
  donorEmail: string;
  locale: Locale;
  monthlyGiftId?: string;
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutCreated {
  sessionId: string;
  /** Where to send the donor: Stripe's hosted page, or the simulator's page. */
  url: string;
}

export interface PaymentGateway {
  kind: "stripe" | "simulator";
  createCheckout(req: CheckoutRequest): Promise<CheckoutCreated>;
  /** The session as the provider knows it now (the success page does not trust the redirect). */
  retrieveCheckout(sessionId: string): Promise<Stripe.Checkout.Session | null>;
  /**
   * Ends a Checkout Session the donor walked away from (the cancel page). True when the session is
   * expired now (by this call or before); false when it is complete (paid, or a Swish payment still
   * waiting for approval), which no cancel link may undo.
   */
  expireCheckout(sessionId: string): Promise<boolean>;
  /** Changes a monthly gift's amount from the next month on. Returns the updated subscription. */
  updateSubscriptionAmount(subscriptionId: string, amountOre: bigint, idempotencyKey: string): Promise<Stripe.Subscription>;
  cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<Stripe.Subscription>;
  /** A page where the donor updates the card of a monthly gift. */
  cardUpdateUrl(customerId: string, returnUrl: string, idempotencyKey: string): Promise<string>;
  /**
   * Invoice ↔ PaymentIntent (Stripe's invoice payments). Webhook payloads of this API version carry
   * neither link on invoices or charges, and a refund names only the PaymentIntent.
   */
  invoicePaymentIntent(invoiceId: string): Promise<string | null>;
  invoiceForPaymentIntent(paymentIntentId: string): Promise<string | null>;
  /** The Checkout Session (id and metadata) that created a PaymentIntent, e.g. a Payment Link's. */
  checkoutSessionForPaymentIntent(paymentIntentId: string): Promise<{ id: string; metadata: Record<string, string> } | null>;
  /** A company invoice delivered by Stripe Invoicing (gateway-invoices.server.ts). */
  sendCompanyInvoice(req: CompanyInvoiceRequest): Promise<CompanyInvoiceSent>;
}

/** The Checkout Session parameters for a gift. Exported so tests can read exactly what is sent. */
export function checkoutSessionParams(req: CheckoutRequest): Stripe.Checkout.SessionCreateParams {
  const metadata: Record<string, string> = {
    payment_ref: req.paymentRef,
    goal: req.goalSlug ?? "",
    channel: req.mode === "subscription" ? "monthly_gift" : "one_off_gift",
  };
  if (req.monthlyGiftId) metadata.monthly_gift_id = req.monthlyGiftId;
  const unitAmount = Number(req.amountOre);
  const common: Stripe.Checkout.SessionCreateParams = {
    client_reference_id: req.paymentRef,
    customer_email: req.donorEmail,
    locale: req.locale === "en" ? "en" : "sv",
    metadata,
    success_url: req.successUrl,
    cancel_url: req.cancelUrl,
    submit_type: "donate",
  };
  if (req.mode === "subscription") {
    return {
      ...common,
      mode: "subscription",
      // Swish cannot recur (research/domain.md A1): monthly gifts are card only.
      allowed_payment_method_types: ["card"],
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "sek",
            unit_amount: unitAmount,
            recurring: { interval: "month" },
            product_data: { name: req.productName },
          },
        },
      ],
      // Copied by Stripe onto each invoice (invoice.parent.subscription_details.metadata).
      subscription_data: { metadata },
    };
  }
  return {
    ...common,
    mode: "payment",
    // Stripe 23 (API 2026-10-28) removed `payment_method_types` from SessionCreateParams; its
    // replacement `allowed_payment_method_types` filters the dynamically eligible methods. The donor
    // chose card or Swish on our page, so the session offers exactly that method.
    allowed_payment_method_types: [req.method],
    line_items: [
      {
        quantity: 1,
        price_data: { currency: "sek", unit_amount: unitAmount, product_data: { name: req.productName } },
      },
    ],
    // So charges, refunds and disputes (which carry the PaymentIntent's metadata) find the payment.
    payment_intent_data: { metadata },
  };
}

/** `checkout:<the payment's random checkout key>`: unique across databases and environments. */
export function checkoutIdempotencyKey(req: Pick<CheckoutRequest, "checkoutKey">): string {
  if (!/^[0-9a-f-]{36}$/i.test(req.checkoutKey)) throw new Error("a checkout needs the payment's random checkout key");
  return `checkout:${req.checkoutKey}`;
}

let sdk: typeof Stripe | undefined;

/**
 * The Stripe SDK, loaded the first time a process talks to Stripe or checks a webhook rather than when the
 * server starts: its loading is 0.2 CPU-s, and a server on the simulator never needs it. Through require
 * because two of its callers are synchronous (verifyStripeSignature, stripeClient); its CommonJS build
 * makes the same clients and has the same statics (webhooks, errors) as the ES module one.
 */
function stripeSdk(): typeof Stripe {
  return (sdk ??= createRequire(import.meta.url)("stripe") as typeof Stripe);
}

export function stripeClient(config: Env): Stripe {
  const Stripe = stripeSdk();
  if (!config.stripeSecretKey) throw new Error("STRIPE_SECRET_KEY is not set");
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000 };
  if (config.stripeApiUrl) {
    const url = new URL(config.stripeApiUrl);
    options.protocol = url.protocol === "http:" ? "http" : "https";
    options.host = url.hostname;
    options.port = url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
  }
  return new Stripe(config.stripeSecretKey, options);
}

export function stripeGateway(config: Env): PaymentGateway {
  const Stripe = stripeSdk();
  const stripe = stripeClient(config);
  return {
    kind: "stripe",
    async createCheckout(req) {
      const session = await stripe.checkout.sessions.create(checkoutSessionParams(req), {
        idempotencyKey: checkoutIdempotencyKey(req),
      });
      if (!session.url) throw new Error("Stripe returned a Checkout Session without a url");
      return { sessionId: session.id, url: session.url };
    },
    async retrieveCheckout(sessionId) {
      return stripe.checkout.sessions.retrieve(sessionId);
    },
    async expireCheckout(sessionId) {
      try {
        return (await stripe.checkout.sessions.expire(sessionId)).status === "expired";
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
        // Stripe expires only open sessions: ask what it is instead (already expired counts as done).
        return (await stripe.checkout.sessions.retrieve(sessionId)).status === "expired";
      }
    },
    async updateSubscriptionAmount(subscriptionId, amountOre, idempotencyKey) {
      const sub = await stripe.subscriptions.retrieve(subscriptionId);
      const item = sub.items.data[0];
      if (!item) throw new Error(`subscription ${subscriptionId} has no items`);
      const product = typeof item.price.product === "string" ? item.price.product : item.price.product.id;
      return stripe.subscriptions.update(
        subscriptionId,
        {
          items: [
            {
              id: item.id,
              price_data: { currency: "sek", product, unit_amount: Number(amountOre), recurring: { interval: "month" } },
            },
          ],
          // A gift changes from the next month; no prorated charge for the current one.
          proration_behavior: "none",
        },
        { idempotencyKey },
      );
    },
    async cancelSubscription(subscriptionId, idempotencyKey) {
      return stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey });
    },
    async cardUpdateUrl(customerId, returnUrl, idempotencyKey) {
      const portal = await stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl }, { idempotencyKey });
      return portal.url;
    },
    async invoicePaymentIntent(invoiceId) {
      const list = await stripe.invoicePayments.list({ invoice: invoiceId, limit: 10 });
      const paid = list.data.find((p) => p.status === "paid") ?? list.data[0];
      const pi = paid?.payment?.payment_intent;
      return typeof pi === "string" ? pi : (pi?.id ?? null);
    },
    async checkoutSessionForPaymentIntent(paymentIntentId) {
      const list = await stripe.checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 });
      const session = list.data[0];
      return session ? { id: session.id, metadata: (session.metadata ?? {}) as Record<string, string> } : null;
    },
    async invoiceForPaymentIntent(paymentIntentId) {
      const list = await stripe.invoicePayments.list({ payment: { type: "payment_intent", payment_intent: paymentIntentId }, limit: 1 });
      const invoice = list.data[0]?.invoice;
      return typeof invoice === "string" ? invoice : (invoice?.id ?? null);
    },
    sendCompanyInvoice: (req) => sendCompanyInvoiceWithStripe(stripe, req),
  };
}

let cached: { key: string; gateway: PaymentGateway } | undefined;

/** Stripe when a secret key is set, the simulator otherwise (announced at start and by the page banner). */
export async function getGateway(config: Env = env()): Promise<PaymentGateway> {
  const key = `${config.stripeSecretKey ?? ""}|${config.stripeApiUrl ?? ""}`;
  if (cached?.key === key) return cached.gateway;
  const gateway = config.stripeSecretKey ? stripeGateway(config) : (await import("./simulator.server")).simulatorGateway();
  cached = { key, gateway };
  return gateway;
}

/** Webhook signature check on the raw body; throws on a bad or missing signature. */
export function verifyStripeSignature(rawBody: string, signature: string | null, secret: string): Stripe.Event {
  if (!signature) throw new Error("missing Stripe-Signature");
  return stripeSdk().webhooks.constructEvent(rawBody, signature, secret);
}
