import { z } from "zod";

/**
 * The shape of a signed Stripe event, checked at the door before anything is written: the envelope,
 * and per handled event type only the fields the handlers read. A signed event that does not fit
 * (a body of `null`, no `data.object`, an amount that is fractional, a string, negative or beyond
 * what a bigint column holds, a `created` that is no number, a NUL that PostgreSQL text cannot
 * store) is a poison event: retrying cannot fix it, so the webhook answers 400 and staff are told.
 * Objects stay loose: Stripe adds fields, and the handlers get the event as it came.
 */

/** PostgreSQL text (and jsonb) cannot hold U+0000. */
const text = z.string().refine((s) => !s.includes("\u0000"), "contains a NUL character");
/** A Stripe object id: short, printable. */
const id = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "contains a control character");
/** Öre (or the smallest unit of another currency): a whole number, not negative, exact in a double. */
const amount = z.int().min(0);
const seconds = z.int().min(0);
const ref = z.union([id, z.looseObject({ id })]).nullish();
const metadata = z.record(text, text).nullish();
const person = z.looseObject({ email: text.nullish(), name: text.nullish() }).nullish();

const checkoutSession = z.looseObject({
  id,
  mode: text.nullish(),
  payment_status: text.nullish(),
  payment_intent: ref,
  subscription: ref,
  customer: ref,
  metadata,
  amount_total: amount.nullish(),
  currency: text.nullish(),
  customer_details: person,
  allowed_payment_method_types: z.array(text).nullish(),
  payment_method_types: z.array(text).nullish(),
});

const invoice = z.looseObject({
  id,
  amount_paid: amount,
  currency: text,
  metadata,
  customer: ref,
  customer_email: text.nullish(),
  customer_name: text.nullish(),
  billing_reason: text.nullish(),
  attempt_count: z.int().min(0).nullish(),
  status_transitions: z.looseObject({ paid_at: seconds.nullish() }).nullish(),
  parent: z.looseObject({ subscription_details: z.looseObject({ subscription: ref, metadata }).nullish() }).nullish(),
  payments: z
    .looseObject({ data: z.array(z.looseObject({ payment: z.looseObject({ payment_intent: ref }).nullish() })).nullish() })
    .nullish(),
});

const subscription = z.looseObject({
  id,
  status: text,
  customer: ref,
  metadata,
  items: z
    .looseObject({
      data: z.array(z.looseObject({ quantity: z.int().min(0).nullish(), price: z.looseObject({ unit_amount: amount.nullish() }).nullish() })).nullish(),
    })
    .nullish(),
});

const charge = z.looseObject({
  id,
  amount,
  amount_refunded: amount,
  currency: text,
  created: seconds,
  status: text.nullish(),
  paid: z.boolean().nullish(),
  payment_intent: ref,
  metadata,
  billing_details: person,
  payment_method_details: z.looseObject({ type: text.nullish() }).nullish(),
});

const refund = z.looseObject({
  id,
  status: text.nullish(),
  charge: ref,
  payment_intent: ref,
  amount,
  currency: text,
  failure_reason: text.nullish(),
});

const dispute = z.looseObject({
  id,
  status: text,
  charge: ref,
  payment_intent: ref,
  amount,
  currency: text,
  reason: text.nullish(),
  metadata,
});

const payout = z.looseObject({ id, status: text, amount: z.int(), currency: text, arrival_date: seconds });

const objectByType: Record<string, z.ZodType> = {
  "checkout.session.completed": checkoutSession,
  "checkout.session.async_payment_succeeded": checkoutSession,
  "checkout.session.async_payment_failed": checkoutSession,
  "checkout.session.expired": checkoutSession,
  "invoice.paid": invoice,
  "invoice.payment_failed": invoice,
  "customer.subscription.created": subscription,
  "customer.subscription.updated": subscription,
  "customer.subscription.deleted": subscription,
  "charge.refunded": charge,
  "charge.refund.updated": refund,
  "refund.failed": refund,
  "charge.dispute.created": dispute,
  "charge.dispute.closed": dispute,
  "payout.paid": payout,
  "payout.failed": payout,
};

const envelopeFields = { id, type: id, created: seconds };
const envelope = z.looseObject({ ...envelopeFields, data: z.looseObject({ object: z.looseObject({}) }) });
/** Per handled type, the whole event in one schema (one pass over the body on the hot path). */
const eventByType = new Map(Object.entries(objectByType).map(([type, object]) => [type, z.looseObject({ ...envelopeFields, data: z.looseObject({ object }) })]));

export interface ShapeProblem {
  /** The event id and type, when they themselves are sound (so staff can look the event up at Stripe). */
  eventId: string | null;
  type: string | null;
  issues: { path: string; message: string }[];
}

/** Null when the event fits; otherwise what is wrong, in words safe to store (no NUL). */
export function eventShapeProblem(event: unknown): ShapeProblem | null {
  const head = event && typeof event === "object" && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
  const full = typeof head.type === "string" ? eventByType.get(head.type) : undefined;
  const result = (full ?? envelope).safeParse(event);
  if (result.success) return null;
  const eventId = id.safeParse(head.id).success ? (head.id as string) : null;
  const type = id.safeParse(head.type).success ? (head.type as string) : null;
  return { eventId, type, issues: describe(result.error.issues) };
}

function describe(issues: z.core.$ZodIssue[]) {
  return issues.slice(0, 20).map((i) => ({ path: clean(i.path.map(String).join(".")), message: clean(i.message) }));
}

function clean(s: string): string {
  return s.replace(/\u0000/g, "\\0").slice(0, 200);
}
