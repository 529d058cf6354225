import { eq } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, organisations, partnerTiers, partnerships, type CertificateFacts } from "~db/schema";
import { certificateImpact } from "~/services/impact/partner-impact.server";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { moneyByPartnershipYear } from "./dashboard-money.server";

/** The charity settings a certificate prints. The app never fills them in: a missing one is printed as missing. */
export const certificateSettings = ["name", "organisationNumber", "address", "website"] as const;
export type CertificateSetting = (typeof certificateSettings)[number];

export async function missingCertificateSettings(db: Db | Tx): Promise<CertificateSetting[]> {
  const charity = await getCharityIdentity(db);
  return certificateSettings.filter((key) => !charity[key].trim());
}

/**
 * What a certificate for the partnership and year states, from the database as it is now; null when the
 * partnership does not exist. Internal: the caller has checked the actor.
 */
export async function currentCertificateFacts(db: Db | Tx, partnershipId: number, year: number): Promise<{ organisationId: number; facts: CertificateFacts } | null> {
  const [row] = await db
    .select({ p: partnerships, org: organisations, goal: goals, tier: partnerTiers })
    .from(partnerships)
    .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
    .innerJoin(goals, eq(goals.id, partnerships.goalId))
    .innerJoin(partnerTiers, eq(partnerTiers.slug, partnerships.tier))
    .where(eq(partnerships.id, partnershipId));
  if (!row) return null;
  const money = await moneyByPartnershipYear(db, [partnershipId]);
  const amount = money.filter((m) => m.year === year).reduce((s, m) => s + m.netOre, 0n);
  const charity = await getCharityIdentity(db);
  return {
    organisationId: row.p.organisationId,
    facts: {
      company: row.org.name,
      orgNumber: row.org.orgNumber,
      goal: { slug: row.goal.slug, number: row.goal.number, titleSv: row.goal.titleSv, titleEn: row.goal.titleEn, sdgs: [...row.goal.sdgs].sort((a, b) => a - b) },
      tier: { slug: row.tier.slug, nameSv: row.tier.nameSv, nameEn: row.tier.nameEn },
      year,
      amountOre: amount.toString(),
      startsOn: row.p.startsOn,
      endsOn: row.p.endsOn,
      charity: { name: charity.name.trim(), organisationNumber: charity.organisationNumber.trim(), address: charity.address.trim(), website: charity.website.trim() },
      impact: await certificateImpact(db, row.goal.id, year),
    },
  };
}

/** A changed, added or removed impact figure is a changed certificate (jsonb key order does not matter here either). */
const impactKey = (f: CertificateFacts) =>
  (f.impact ?? []).map((i) => [i.labelSv, i.labelEn, i.value, i.valueTo, i.unitSv, i.unitEn, i.method, i.periodStart, i.periodEnd, i.demo]);

/** Two snapshots state the same (jsonb gives keys back in its own order, so compare field by field). */
export function sameFacts(a: CertificateFacts, b: CertificateFacts): boolean {
  const canonical = (f: CertificateFacts) =>
    JSON.stringify([f.company, f.orgNumber, f.goal.slug, f.goal.number, f.goal.titleSv, f.goal.titleEn, f.goal.sdgs, f.tier.slug, f.tier.nameSv, f.tier.nameEn, f.year, f.amountOre, f.startsOn, f.endsOn, f.charity.name, f.charity.organisationNumber, f.charity.address, f.charity.website, impactKey(f)]);
  return canonical(a) === canonical(b);
}
