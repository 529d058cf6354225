/**
 * Gift limits (browser-safe: the give page shows them). Stripe's smallest SEK charge is 3 kr
 * (research/domain.md A1); 20 kr keeps card fees from eating the gift. The maximums stop typing
 * mistakes (an extra zero) and card testing; larger gifts are welcome by bank transfer.
 */
export const GIFT_LIMITS = {
  minOre: 2_000n,
  maxOneOffOre: 10_000_000n, // 100 000 kr
  maxMonthlyOre: 2_000_000n, // 20 000 kr a month
};
export const PRESET_AMOUNTS_KR = [100, 250, 500, 1000] as const;
export const GREETING_MAX = 500;
/** Payment statuses, for the staff filter (same list as the payments table's check constraint). */
export const PAYMENT_STATUSES = ["pending", "paid", "failed", "expired", "held"] as const;
/**
 * Starting a gift writes a pending payment and opens a Checkout Session: at most this many per
 * client (IP address) in the window. A donor who retries a few times stays well inside it.
 */
export const GIFT_START_LIMIT = { max: 10, windowMs: 10 * 60_000 };
/** The success page asks Stripe about a pending payment at most this often (it reloads every 3 s). */
export const STRIPE_CONFIRM_EVERY_MS = 5_000;
