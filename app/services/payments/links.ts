/** Browser-safe: the give page prefilled with a gift that did not go through, so the donor can try again. */
export function retryLink(gift: { goalSlug: string | null; amountOre: string; monthly: boolean; method: string | null }): string {
  const q = new URLSearchParams();
  if (gift.goalSlug) q.set("goal", gift.goalSlug);
  const ore = BigInt(gift.amountOre);
  q.set("amount", ore % 100n === 0n ? (ore / 100n).toString() : `${ore / 100n},${(ore % 100n).toString().padStart(2, "0")}`);
  q.set("frequency", gift.monthly ? "monthly" : "one_off");
  if (gift.method) q.set("method", gift.method);
  return `/give?${q}`;
}
