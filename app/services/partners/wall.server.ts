import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "~db/client.server";
import { organisations, partnerships, partnerTiers } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { jsonRows } from "~db/json-rows";
import { tiersWithBenefits } from "./tiers.server";
import { partnerWall, runningStatuses, wallEntries, type WallEntry, type WallRow } from "./partnerships.server";

/**
 * The partner wall as the goal page shows it: every tier, highest first, with its partners (maybe
 * none: the page then invites companies to sign up). Public facts only: names, websites, logos of
 * organisations that agreed to be shown.
 */
export async function goalPartnerWall(db: Db, goalId: number, locale: Locale, now = new Date()) {
  const [tiers, wall] = await Promise.all([tiersWithBenefits(db, locale), partnerWall(db, goalId, now)]);
  return wallByTier(tiers, wall);
}
export type GoalPartnerWall = Awaited<ReturnType<typeof goalPartnerWall>>;

function wallByTier(tiers: ReadonlyArray<{ slug: string; name: string; minYearlyOre: string | null }>, wall: WallEntry[]) {
  return tiers.map((t) => ({
    slug: t.slug,
    name: t.name,
    minYearlyOre: t.minYearlyOre,
    partners: wall.filter((w) => w.tier === t.slug).map((w) => ({ name: w.name, website: safeWebsite(w.website), logoUrl: w.logoUrl })),
  }));
}

const t = alias(partnerTiers, "wall_t");
const p = alias(partnerships, "wall_p");
const o = alias(organisations, "wall_o");

/**
 * goalPartnerWall as two columns of the goal page's one statement (goals/goal-page.server.ts): the
 * tiers, and partnerWall's rows (its conditions, its order) as json. `goalId` is the goal's id column
 * of the outer query; `today` (a Swedish date, swedishDate) a placeholder.
 */
export function goalPartnerWallColumns(goalId: SQL, today: SQL) {
  const running = sql.join(
    runningStatuses.map((s) => sql`${s}`),
    sql`, `,
  );
  return {
    tiers: sql<unknown>`(select json_agg(json_build_object('slug', ${t.slug}, 'nameSv', ${t.nameSv}, 'nameEn', ${t.nameEn}, 'minYearlyOre', ${t.minYearlyOre}::text) order by ${t.rank}) from ${partnerTiers} ${t})`,
    rows: sql<unknown>`(select json_agg(json_build_object('organisationId', ${o.id}, 'name', ${o.name}, 'tier', ${p.tier}, 'website', ${o.website}, 'logoId', ${o.logoId}) order by ${t.rank}, ${o.name}, ${o.id})
      from ${partnerships} ${p} join ${organisations} ${o} on ${o.id} = ${p.organisationId} join ${partnerTiers} ${t} on ${t.slug} = ${p.tier}
      where ${p.goalId} = ${goalId} and ${p.status} in (${running}) and ${p.isPublic} and ${o.isPublic}
        and ${p.signOffExpiresOn} >= ${today} and (${p.endsOn} is null or ${p.endsOn} >= ${today}))`,
  };
}

/** goalPartnerWall's result from the two columns of goalPartnerWallColumns. */
export function goalPartnerWallFromJson(tiersJson: unknown, rowsJson: unknown, locale: Locale): GoalPartnerWall {
  const tiers = jsonRows<{ slug: string; nameSv: string; nameEn: string; minYearlyOre: string | null }>(tiersJson).map((x) => ({
    slug: x.slug,
    name: locale === "en" ? x.nameEn : x.nameSv,
    minYearlyOre: x.minYearlyOre,
  }));
  return wallByTier(tiers, wallEntries(jsonRows<WallRow>(rowsJson)));
}

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
