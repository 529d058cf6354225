import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "~/utils/env.server";

/**
 * The monthly donor's self-service link, without an account: /give/monthly/<gift id>.<signature>.
 * The signature is an HMAC-SHA256 of the gift id with SESSION_SECRET, so only the app can make one
 * and changing the id breaks it. It does not expire: it is in every receipt of the gift.
 */
function signature(giftId: string, purpose = "monthly-gift"): string {
  return createHmac("sha256", env().sessionSecret).update(`${purpose}:${giftId}`).digest("base64url").slice(0, 32);
}

export function manageToken(giftId: bigint | string): string {
  const id = giftId.toString();
  return `${id}.${signature(id)}`;
}

export function manageUrl(giftId: bigint | string): string {
  return `${env().appUrl}/give/monthly/${manageToken(giftId)}`;
}

/** The gift id a token names, or null when the token is not one the app made. */
export function giftIdFromToken(token: string, purpose = "monthly-gift"): bigint | null {
  const m = /^(\d{1,18})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(signature(m[1], purpose));
  const given = Buffer.from(m[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return BigInt(m[1]);
}

/**
 * The reference in the success and cancel URLs (/give/thanks?ref=…): the payment id, signed the same
 * way, so a visitor cannot read another donor's payment status by changing a number.
 */
export function paymentToken(paymentId: bigint | string): string {
  const id = paymentId.toString();
  return `${id}.${signature(id, "payment")}`;
}

export function paymentIdFromToken(token: string): bigint | null {
  return giftIdFromToken(token, "payment");
}
