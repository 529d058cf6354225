import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, monthlyGifts, type MonthlyGift } from "~db/schema";
import type { ServiceContext } from "~/services/context";
import { Invalid, NotFound, ServiceError } from "~/services/errors";
import { env } from "~/utils/env.server";
import { monthlyAmountField } from "~/validation/monthly-gift";
import { applySubscriptionState } from "./events.server";
import { getGateway, type PaymentGateway } from "./gateway.server";
import { GatewayUnavailable, GIFT_LIMITS } from "./give.server";
import { giftIdFromToken, manageToken } from "./manage-link.server";

/**
 * Self-service for a monthly donor, from the signed link in every receipt (no account). The change
 * is made at Stripe (or in the simulator); the subscription Stripe returns is applied with the same
 * function as the customer.subscription.* webhooks, so the page and the events agree.
 *
 * Access: whoever holds the signed link acts for the gift (anonymous visitors included; the donor
 * needs no account). Each function checks the link first, before it reads or changes anything.
 */
export interface MonthlyGiftView {
  status: MonthlyGift["status"];
  amountOre: string;
  goalTitle: string | null;
  donorName: string;
  canChange: boolean;
}

async function giftForToken(db: Db, token: string): Promise<MonthlyGift> {
  const id = giftIdFromToken(token);
  if (id === null) throw new NotFound("monthly_gift_not_found");
  const [gift] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.id, id));
  if (!gift) throw new NotFound("monthly_gift_not_found");
  return gift;
}

export async function monthlyGiftForToken(ctx: ServiceContext, token: string): Promise<MonthlyGiftView> {
  const { db, locale } = ctx;
  const gift = await giftForToken(db, token);
  const [goal] = gift.goalId === null ? [] : await db.select().from(goals).where(eq(goals.id, gift.goalId));
  return {
    status: gift.status,
    amountOre: gift.amountOre.toString(),
    goalTitle: goal ? (locale === "en" ? goal.titleEn : goal.titleSv) : null,
    donorName: gift.donorName,
    canChange: !!gift.subscriptionId && gift.status !== "canceled",
  };
}

/** The gift has ended (or its checkout never finished): nothing to change. Shown above the form. */
class GiftNotActive extends ServiceError {
  constructor() {
    super(409, "monthly_gift_not_active", { _form: "monthly_gift_not_active" });
  }
}

function activeSubscription(gift: MonthlyGift): string {
  if (!gift.subscriptionId || gift.status === "canceled") throw new GiftNotActive();
  return gift.subscriptionId;
}

/** A call to Stripe (or the simulator) that failed: a 4xx with a "try again" message, not a 500. */
async function atGateway<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    console.error(`[payments] monthly gift ${what} failed:`, error instanceof Error ? error.message : error);
    throw new GatewayUnavailable();
  }
}

export async function changeMonthlyAmount(
  ctx: ServiceContext,
  { token, amount, requestId, gateway }: { token: string; amount: string; requestId: string; gateway?: PaymentGateway },
): Promise<void> {
  const { db } = ctx;
  const gift = await giftForToken(db, token);
  const parsed = monthlyAmountField.safeParse(amount);
  if (!parsed.success) {
    const code = parsed.error.issues[0]?.message ?? "amount_invalid";
    throw new Invalid(code, { amount: code });
  }
  const ore = parsed.data;
  const subscriptionId = activeSubscription(gift);
  if (ore === gift.amountOre) return;
  const gw = gateway ?? (await getGateway());
  const key = `sub-update:${gift.id}:${ore}:${requestId.slice(0, 64)}`;
  const sub = await atGateway("amount change", () => gw.updateSubscriptionAmount(subscriptionId, ore, key));
  await db.transaction((tx) => applySubscriptionState(tx, sub, Math.floor(Date.now() / 1000)));
}

export async function stopMonthlyGift(ctx: ServiceContext, { token, gateway }: { token: string; gateway?: PaymentGateway }): Promise<void> {
  const { db } = ctx;
  const gift = await giftForToken(db, token);
  if (gift.status === "canceled") return;
  const subscriptionId = activeSubscription(gift);
  const gw = gateway ?? (await getGateway());
  const sub = await atGateway("stop", () => gw.cancelSubscription(subscriptionId, `sub-cancel:${subscriptionId}`));
  await db.transaction((tx) => applySubscriptionState(tx, sub, Math.floor(Date.now() / 1000)));
}

export async function cardUpdateUrl(ctx: ServiceContext, { token, requestId, gateway }: { token: string; requestId: string; gateway?: PaymentGateway }): Promise<string> {
  const gift = await giftForToken(ctx.db, token);
  activeSubscription(gift);
  const customerId = gift.customerId;
  if (!customerId) throw new GiftNotActive();
  const gw = gateway ?? (await getGateway());
  return atGateway("card update", () => gw.cardUpdateUrl(customerId, `${env().appUrl}/give/monthly/${manageToken(gift.id)}`, `portal:${gift.id}:${requestId.slice(0, 64)}`));
}
