import type { Db } from "~db/client.server";
import type { Locale } from "~/i18n/messages";
import { tiersWithBenefits } from "./tiers.server";
import { partnerWall } from "./partnerships.server";

/**
 * The partner wall as the goal page shows it: every tier, highest first, with its partners (maybe
 * none: the page then invites companies to sign up). Public facts only: names, websites, logos of
 * organisations that agreed to be shown.
 */
export async function goalPartnerWall(db: Db, goalId: number, locale: Locale, now = new Date()) {
  const [tiers, wall] = await Promise.all([tiersWithBenefits(db, locale), partnerWall(db, goalId, now)]);
  return tiers.map((t) => ({
    slug: t.slug,
    name: t.name,
    minYearlyOre: t.minYearlyOre,
    partners: wall.filter((w) => w.tier === t.slug).map((w) => ({ name: w.name, website: safeWebsite(w.website), logoUrl: w.logoUrl })),
  }));
}
export type GoalPartnerWall = Awaited<ReturnType<typeof goalPartnerWall>>;

/** `partners` of GET /api/goals/<slug> (DESIGN.md): `[{ name, tier, website }]`, highest tier first. */
export async function publicPartnersJson(db: Db, goalId: number, now = new Date()) {
  return (await partnerWall(db, goalId, now)).map((w) => ({ name: w.name, tier: w.tier, website: safeWebsite(w.website) }));
}

/** Only http(s) addresses become links (a stored value is never trusted to be one). */
function safeWebsite(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}
