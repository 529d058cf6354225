import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, monthlyGifts, type MonthlyGift } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { Conflict, Invalid, NotFound } from "~/services/errors";
import { env } from "~/utils/env.server";
import { monthlyAmountField } from "~/validation/monthly-gift";
import { applySubscriptionState } from "./events.server";
import { getGateway, type PaymentGateway } from "./gateway.server";
import { giftIdFromToken, manageToken } from "./manage-link.server";

/**
 * Self-service for a monthly donor, from the signed link in every receipt (no account). The change
 * is made at Stripe (or in the simulator); the subscription Stripe returns is applied with the same
 * function as the customer.subscription.* webhooks, so the page and the events agree.
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

export async function monthlyGiftForToken(db: Db, token: string, locale: Locale): Promise<MonthlyGiftView> {
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

function activeSubscription(gift: MonthlyGift): string {
  if (!gift.subscriptionId || gift.status === "canceled") throw new Conflict("monthly_gift_not_active");
  return gift.subscriptionId;
}

export async function changeMonthlyAmount(
  db: Db,
  { token, amount, requestId, gateway }: { token: string; amount: string; requestId: string; gateway?: PaymentGateway },
): Promise<void> {
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
  const sub = await gw.updateSubscriptionAmount(subscriptionId, ore, key);
  await db.transaction((tx) => applySubscriptionState(tx, sub, Math.floor(Date.now() / 1000)));
}

export async function stopMonthlyGift(db: Db, { token, gateway }: { token: string; gateway?: PaymentGateway }): Promise<void> {
  const gift = await giftForToken(db, token);
  if (gift.status === "canceled") return;
  const subscriptionId = activeSubscription(gift);
  const gw = gateway ?? (await getGateway());
  const sub = await gw.cancelSubscription(subscriptionId, `sub-cancel:${subscriptionId}`);
  await db.transaction((tx) => applySubscriptionState(tx, sub, Math.floor(Date.now() / 1000)));
}

export async function cardUpdateUrl(db: Db, { token, requestId, gateway }: { token: string; requestId: string; gateway?: PaymentGateway }): Promise<string> {
  const gift = await giftForToken(db, token);
  activeSubscription(gift);
  if (!gift.customerId) throw new Conflict("monthly_gift_not_active");
  const gw = gateway ?? (await getGateway());
  return gw.cardUpdateUrl(gift.customerId, `${env().appUrl}/give/monthly/${manageToken(gift.id)}`, `portal:${gift.id}:${requestId.slice(0, 64)}`);
}
