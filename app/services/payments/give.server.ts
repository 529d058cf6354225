import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~db/client.server";
import { giftConsents, goals, monthlyGifts, payments, type Payment } from "~db/schema";
import { giveMessages } from "~/i18n/give";
import type { Locale } from "~/i18n/messages";
import { Invalid, NotFound, ServiceError } from "~/services/errors";
import { hitRateLimit } from "~/services/auth/rate-limit.server";
import { env } from "~/utils/env.server";
import { parseKronor } from "~/utils/money";
import { collectionIsActive, getCollectionBySlug } from "~/services/collections/collections.server";
import { applyCheckoutSession } from "./events.server";
import { getGateway, type PaymentGateway } from "./gateway.server";
import { GIFT_LIMITS, GIFT_START_LIMIT, GREETING_MAX, STRIPE_CONFIRM_EVERY_MS } from "./limits";
import { paymentIdFromToken, paymentToken } from "./manage-link.server";

export { GIFT_LIMITS, GREETING_MAX, PRESET_AMOUNTS_KR } from "./limits";

export class GatewayUnavailable extends ServiceError {
  constructor() {
    super(422, "gateway_unavailable", { _form: "gateway_unavailable" });
  }
}

/** Too many gifts started from one client: nothing is written and no Checkout Session is made. */
export class TooManyGifts extends ServiceError {
  constructor(public retryAfterS: number) {
    super(429, "too_many_gifts", { _form: "too_many_gifts" }, { "Retry-After": String(retryAfterS) });
  }
}

const giftInput = z.object({
  frequency: z.enum(["one_off", "monthly"], { message: "frequency" }),
  goal: z.string().trim().max(100).default(""),
  amount: z.string().trim().max(40).default(""),
  amountOther: z.string().trim().max(40).default(""),
  method: z.enum(["card", "swish"], { message: "method" }).optional(),
  name: z.string().trim().min(1, { message: "name_required" }).max(200, { message: "name_long" }),
  email: z.string().trim().max(254, { message: "email" }).pipe(z.email({ message: "email" })),
  anonymous: z.boolean().default(false),
  greeting: z.string().trim().max(GREETING_MAX, { message: "greeting_long" }).default(""),
  collection: z.string().trim().max(100).default(""),
  hideAmount: z.boolean().default(false),
  /** The give page's contact consent box (ticked: true). Never assumed: absent is no. */
  consent: z.boolean().default(false),
});

export type GiftFormValues = z.input<typeof giftInput>;

/** The collection a gift is for, by its slug ("" → none; unknown → null). */
async function giftCollection(db: Db, slug: string) {
  if (!slug.trim()) return undefined;
  const c = await getCollectionBySlug(db, slug.trim().slice(0, 100).toLowerCase());
  if (!c) return null;
  return {
    id: c.id,
    goalId: c.goalId,
    goalSlug: c.goalSlug,
    title: c.title,
    competitionTeamId: c.competitionTeamId,
    active: collectionIsActive(c),
  };
}

export interface GiftStarted {
  paymentId: bigint;
  monthlyGiftId: bigint | null;
  redirectUrl: string;
}

/** Parses and checks the give form. Field errors are message codes; the page turns them into text. */
export async function validateGift(db: Db, raw: Record<string, unknown>) {
  const parsed = giftInput.safeParse(raw);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "_form");
      errors[key] ??= issue.message.match(/^[a-z_]+$/) ? issue.message : key;
    }
  }
  const v = parsed.success ? parsed.data : null;
  const frequency = v?.frequency ?? (raw.frequency === "monthly" ? "monthly" : "one_off");
  // Amount: a typed amount wins over the preset radio (a donor who types 300 without also clicking
  // "Annat belopp" means 300, and without JavaScript nothing clicks it for them); else the preset.
  const typed = String(raw.amountOther ?? "").trim();
  const preset = String(raw.amount ?? "").trim();
  const amountText = typed || (preset === "other" ? "" : preset);
  let amountOre: bigint | null = null;
  if (!amountText.trim()) errors.amount ??= "amount_required";
  else {
    amountOre = parseKronor(amountText);
    const max = frequency === "monthly" ? GIFT_LIMITS.maxMonthlyOre : GIFT_LIMITS.maxOneOffOre;
    if (amountOre === null) errors.amount ??= "amount_invalid";
    else if (amountOre < GIFT_LIMITS.minOre) errors.amount ??= "amount_min";
    else if (amountOre > max) errors.amount ??= frequency === "monthly" ? "amount_max_monthly" : "amount_max";
  }
  // Swish cannot recur: monthly gifts are by card. A donor who chose Swish for a monthly gift is told
  // so before paying, instead of being sent to a card checkout they did not choose.
  // Read from the raw input, so another field's error does not also flag a valid choice here.
  const chosen: "card" | "swish" | undefined = raw.method === "card" || raw.method === "swish" ? raw.method : undefined;
  if (frequency === "monthly" && chosen === "swish") errors.method = "monthly_swish";
  const method = frequency === "monthly" ? "card" : chosen;
  if (frequency === "one_off" && !method && !errors.method) errors.method = "method";
  let goalId: number | null = null;
  const slug = typeof raw.goal === "string" ? raw.goal.trim().slice(0, 100) : "";
  if (slug) {
    const [g] = await db.select({ id: goals.id }).from(goals).where(eq(goals.slug, slug));
    if (!g) errors.goal = "goal_unknown";
    else goalId = g.id;
  }
  // A gift to a collection: one-off, designated to the collection's goal, refused once it no longer
  // takes gifts (closed, ended or hidden) with nothing written.
  const collection = await giftCollection(db, typeof raw.collection === "string" ? raw.collection : "");
  if (collection) {
    if (!collection.active) throw new Invalid("collection_closed", { _form: "collection_closed" });
    if (frequency === "monthly") errors.frequency = "collection_monthly";
    delete errors.goal;
    goalId = collection.goalId;
  } else if (collection === null && typeof raw.collection === "string" && raw.collection.trim()) errors.collection = "collection_unknown";
  if (Object.keys(errors).length || !v || amountOre === null || !method) throw new Invalid("gift_invalid", errors);
  return { ...v, frequency, method, amountOre, goalId, goalSlug: collection ? collection.goalSlug : slug || null, collection: collection ?? undefined };
}

/**
 * The give page's action: validate (nothing is written on bad input), record the pending payment
 * (and the pending monthly gift), then create the Checkout Session and return where to send the donor.
 * The payment stays pending until Stripe (or the simulator) confirms it through an event.
 */
export async function startGift(
  db: Db,
  { input, locale, gateway, clientKey }: { input: Record<string, unknown>; locale: Locale; gateway?: PaymentGateway; clientKey?: string },
): Promise<GiftStarted> {
  const gift = await validateGift(db, input);
  // Counted after validation: correcting a typo does not use up a donor's tries; every start that
  // would write a payment and open a Checkout Session does.
  if (clientKey !== undefined) {
    const hit = await hitRateLimit(db, `give:client:${clientKey}`, GIFT_START_LIMIT);
    if (!hit.allowed) throw new TooManyGifts(hit.retryAfterS);
  }
  const gw = gateway ?? (await getGateway());
  const monthly = gift.frequency === "monthly";
  const donor = {
    donorName: gift.name,
    donorEmail: gift.email,
    anonymous: gift.anonymous,
    greeting: gift.greeting || null,
    locale,
  };
  const { payment, monthlyGiftId } = await db.transaction(async (tx) => {
    let monthlyGiftId: bigint | null = null;
    if (monthly) {
      const [m] = await tx
        .insert(monthlyGifts)
        .values({ amountOre: gift.amountOre, goalId: gift.goalId, ...donor })
        .returning({ id: monthlyGifts.id });
      monthlyGiftId = m.id;
    }
    const [payment] = await tx
      .insert(payments)
      .values({
        // A competition team's collection credits the team (compete sets competitionTeamId).
        channel: gift.collection ? (gift.collection.competitionTeamId === null ? "collection" : "competition") : monthly ? "monthly_gift" : "one_off_gift",
        method: gift.method,
        amountOre: gift.amountOre,
        goalId: gift.goalId,
        monthlyGiftId,
        origin: "app",
        collectionId: gift.collection?.id ?? null,
        competitionTeamId: gift.collection?.competitionTeamId ?? null,
        showAmount: !gift.hideAmount,
        ...donor,
      })
      .returning();
    // Waits for the payment: the trigger of migration 0033 records the donor's consent when it is paid.
    if (gift.consent) await tx.insert(giftConsents).values({ paymentId: payment.id, purpose: "contact", wording: giveMessages(locale).consent });
    return { payment, monthlyGiftId };
  });

  const [goal] = gift.goalId === null ? [] : await db.select().from(goals).where(eq(goals.id, gift.goalId));
  const title = goal ? (locale === "en" ? goal.titleEn : goal.titleSv) : locale === "en" ? "where the need is greatest" : "där behovet är störst";
  const productName = gift.collection
    ? locale === "en"
      ? `Gift to the collection ${gift.collection.title}: ${title}`
      : `Gåva till insamlingen ${gift.collection.title}: ${title}`
    : locale === "en"
      ? `${monthly ? "Monthly gift" : "Gift"}: ${title}`
      : `${monthly ? "Månadsgåva" : "Gåva"}: ${title}`;
  const token = paymentToken(payment.id);
  const base = env().appUrl;
  let created;
  try {
    created = await gw.createCheckout({
      paymentRef: payment.id.toString(),
      checkoutKey: payment.checkoutKey,
      mode: monthly ? "subscription" : "payment",
      method: gift.method,
      amountOre: gift.amountOre,
      goalSlug: gift.goalSlug,
      productName,
      donorEmail: gift.email,
      locale,
      monthlyGiftId: monthlyGiftId?.toString(),
      successUrl: `${base}/give/thanks?ref=${token}`,
      cancelUrl: `${base}/give/cancelled?ref=${token}`,
    });
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    console.error("[payments] creating the Checkout Session failed:", error instanceof Error ? error.message : error);
    await db.update(payments).set({ status: "failed", updatedAt: new Date() }).where(eq(payments.id, payment.id));
    throw new GatewayUnavailable();
  }
  if (monthlyGiftId !== null) {
    await db.update(monthlyGifts).set({ checkoutSessionId: created.sessionId }).where(eq(monthlyGifts.id, monthlyGiftId));
  } else {
    await db.update(payments).set({ checkoutSessionId: created.sessionId }).where(eq(payments.id, payment.id));
  }
  return { paymentId: payment.id, monthlyGiftId, redirectUrl: created.url };
}

export interface GiftStatusView {
  status: Payment["status"];
  amountOre: string;
  monthly: boolean;
  method: string | null;
  goalSlug: string | null;
  goalTitle: string | null;
  donorEmail: string | null;
}

/**
 * What the success and cancel pages show. The redirect proves nothing: the status comes from the
 * database (set by events), and while it is pending the session is asked from Stripe directly and
 * applied through the same handler as the webhook's.
 */
export async function giftStatus(db: Db, token: string, locale: Locale, opts: { confirm?: boolean } = {}): Promise<GiftStatusView> {
  const id = paymentIdFromToken(token);
  if (id === null) throw new NotFound("payment_not_found");
  let [payment] = await db.select().from(payments).where(eq(payments.id, id));
  if (!payment) throw new NotFound("payment_not_found");
  if (opts.confirm && payment.status === "pending" && payment.checkoutSessionId) {
    const gw = await getGateway();
    // The page reloads itself every few seconds, maybe in several tabs, on any app instance: ask
    // Stripe at most once per interval per payment, counted in the database all instances share.
    if (gw.kind === "stripe" && (await hitRateLimit(db, `give:confirm:${id}`, { max: 1, windowMs: STRIPE_CONFIRM_EVERY_MS })).allowed) {
      try {
        const session = await gw.retrieveCheckout(payment.checkoutSessionId);
        if (session && session.status === "complete" && session.payment_status === "paid") {
          await applyCheckoutSession(db, session);
          [payment] = await db.select().from(payments).where(eq(payments.id, id));
        }
      } catch (error) {
        console.warn("[payments] could not confirm the Checkout Session:", error instanceof Error ? error.message : error);
      }
    }
  }
  const [goal] = payment.goalId === null ? [] : await db.select().from(goals).where(eq(goals.id, payment.goalId));
  return {
    status: payment.status,
    amountOre: payment.amountOre.toString(),
    monthly: payment.channel === "monthly_gift",
    method: payment.method,
    goalSlug: goal?.slug ?? null,
    goalTitle: goal ? (locale === "en" ? goal.titleEn : goal.titleSv) : null,
    donorEmail: payment.donorEmail,
  };
}

/**
 * The cancel page (Checkout's cancel_url): the donor walked away, so the Checkout Session is ended
 * and the pending payment (and a pending monthly gift) recorded as expired, instead of waiting in
 * the staff list forever. The signed ref is the only key: a changed id does not verify. A session
 * that is already complete (a Swish payment waiting for approval) is left alone; its events settle it.
 */
export async function cancelGift(db: Db, token: string, locale: Locale, opts: { gateway?: PaymentGateway } = {}): Promise<GiftStatusView> {
  const id = paymentIdFromToken(token);
  if (id === null) throw new NotFound("payment_not_found");
  const [payment] = await db.select().from(payments).where(eq(payments.id, id));
  if (!payment) throw new NotFound("payment_not_found");
  if (payment.status === "pending" && payment.origin === "app") {
    const [gift] = payment.monthlyGiftId === null ? [] : await db.select().from(monthlyGifts).where(eq(monthlyGifts.id, payment.monthlyGiftId));
    const sessionId = payment.checkoutSessionId ?? gift?.checkoutSessionId ?? null;
    if (sessionId) {
      try {
        const gw = opts.gateway ?? (await getGateway());
        if (await gw.expireCheckout(sessionId)) await recordAbandoned(db, payment);
      } catch (error) {
        // Stripe unreachable: the payment stays pending; the session's own expiry event settles it later.
        console.warn("[payments] could not expire the Checkout Session:", error instanceof Error ? error.message : error);
      }
    }
  }
  return giftStatus(db, token, locale);
}

/** Pending → expired (the webhook's checkout.session.expired does the same; whichever comes first). */
async function recordAbandoned(db: Db, payment: Payment) {
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx.update(payments).set({ status: "expired", updatedAt: now }).where(and(eq(payments.id, payment.id), eq(payments.status, "pending")));
    if (payment.monthlyGiftId !== null) {
      await tx
        .update(monthlyGifts)
        .set({ status: "canceled", canceledAt: now, updatedAt: now })
        .where(and(eq(monthlyGifts.id, payment.monthlyGiftId), eq(monthlyGifts.status, "pending")));
    }
  });
}
