import { alias } from "drizzle-orm/pg-core";
import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import { goals, organisations, partnerships, partnershipBenefits, partnerTierBenefits, partnerTiers, people, partnershipStatuses, type PartnershipStatus } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { NotFound } from "~/services/errors";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { idSchema } from "~/validation/fields";
import { industryExcluded, staffTransitions } from "./partnerships-admin.server";
import { partnershipPaidOre, signOffValid } from "./partnerships.server";

/** Staff's reads of the partnerships (/admin/partnerships). Money as öre strings (bigint does not cross JSON). */

const ore = (v: bigint | null) => (v === null ? null : v.toString());

export interface PartnershipFilter {
  goalId?: number | null;
  status?: PartnershipStatus | null;
}

/** The list, newest first, with organisation, goal, sign-off state; filtered by goal and status. */
export async function listPartnerships(ctx: ServiceContext, filter: PartnershipFilter = {}, now = new Date()) {
  requireStaffActor(ctx);
  const today = swedishDate(now);
  const en = ctx.locale === "en";
  const rows = await ctx.db
    .select({ p: partnerships, organisation: organisations.name, goalTitle: en ? goals.titleEn : goals.titleSv, goalSlug: goals.slug })
    .from(partnerships)
    .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
    .innerJoin(goals, eq(goals.id, partnerships.goalId))
    .where(and(filter.goalId ? eq(partnerships.goalId, filter.goalId) : undefined, filter.status ? eq(partnerships.status, filter.status) : undefined))
    .orderBy(desc(partnerships.id))
    .limit(500);
  return rows.map(({ p, organisation, goalTitle, goalSlug }) => ({
    id: p.id,
    organisation,
    organisationId: p.organisationId,
    goal: goalTitle,
    goalSlug,
    tier: p.tier,
    status: p.status as PartnershipStatus,
    agreedYearlyOre: ore(p.agreedYearlyOre),
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    signedOff: signOffValid(p, today),
    signOffExpired: p.signedOffAt !== null && !signOffValid(p, today),
    source: p.source,
  }));
}

/** Count and agreed value per status, per goal (every goal, every status, zeros included). */
export async function partnershipPipeline(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const en = ctx.locale === "en";
  const [goalRows, sums] = await Promise.all([
    ctx.db.select({ id: goals.id, slug: goals.slug, title: en ? goals.titleEn : goals.titleSv }).from(goals).orderBy(asc(goals.number)),
    ctx.db
      .select({
        goalId: partnerships.goalId,
        status: partnerships.status,
        count: sql<number>`count(*)::int`,
        agreedOre: sql<string>`coalesce(sum(${partnerships.agreedYearlyOre}), 0)::text`,
      })
      .from(partnerships)
      .groupBy(partnerships.goalId, partnerships.status),
  ]);
  const cell = (goalId: number | null, status: PartnershipStatus) => {
    const hits = sums.filter((s) => (goalId === null || s.goalId === goalId) && s.status === status);
    return { count: hits.reduce((n, s) => n + s.count, 0), agreedOre: hits.reduce((n, s) => n + BigInt(s.agreedOre), 0n).toString() };
  };
  return {
    statuses: partnershipStatuses,
    goals: goalRows.map((g) => ({ ...g, cells: partnershipStatuses.map((s) => cell(g.id, s)) })),
    total: partnershipStatuses.map((s) => cell(null, s)),
  };
}

/** What the staff form offers: organisations, goals, tiers with their minimum. */
export async function partnershipFormOptions(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const en = ctx.locale === "en";
  const [orgs, goalRows, tiers] = await Promise.all([
    ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name)),
    ctx.db.select({ id: goals.id, title: en ? goals.titleEn : goals.titleSv }).from(goals).orderBy(asc(goals.number)),
    ctx.db.select().from(partnerTiers).orderBy(asc(partnerTiers.rank)),
  ]);
  return { organisations: orgs, goals: goalRows, tiers: tiers.map((t) => ({ slug: t.slug, name: en ? t.nameEn : t.nameSv, minYearlyOre: ore(t.minYearlyOre) })) };
}

/** One partnership for its staff page: terms, screening, sign-off, checklist, payments, renewal links. */
export async function getPartnershipDetail(ctx: ServiceContext, rawId: unknown, now = new Date()) {
  requireStaffActor(ctx);
  const id = idSchema.safeParse(rawId);
  if (!id.success) throw new NotFound("partnership_not_found");
  const { db } = ctx;
  const locale: Locale = ctx.locale;
  const en = locale === "en";
  const signer = alias(people, "signer");
  const [row] = await db
    .select({ p: partnerships, organisation: organisations.name, goalTitle: en ? goals.titleEn : goals.titleSv, signerEmail: signer.email })
    .from(partnerships)
    .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
    .innerJoin(goals, eq(goals.id, partnerships.goalId))
    .leftJoin(signer, eq(signer.id, partnerships.signedOffByPersonId))
    .where(eq(partnerships.id, id.data));
  if (!row) throw new NotFound("partnership_not_found");
  const { p } = row;
  const today = swedishDate(now);
  const [screening, paidOre, benefits, renewal] = await Promise.all([
    db.transaction((tx) => industryExcluded(tx, p.organisationId)),
    partnershipPaidOre(db, p.id),
    db
      .select({ id: partnerTierBenefits.id, textSv: partnerTierBenefits.textSv, textEn: partnerTierBenefits.textEn, retiredAt: partnerTierBenefits.retiredAt, deliveredAt: partnershipBenefits.deliveredAt, byEmail: people.email })
      .from(partnerTierBenefits)
      .leftJoin(partnershipBenefits, and(eq(partnershipBenefits.benefitId, partnerTierBenefits.id), eq(partnershipBenefits.partnershipId, p.id)))
      .leftJoin(people, eq(people.id, partnershipBenefits.byPersonId))
      .where(and(eq(partnerTierBenefits.tier, p.tier), or(isNull(partnerTierBenefits.retiredAt), sql`${partnershipBenefits.deliveredAt} is not null`)))
      .orderBy(asc(partnerTierBenefits.position), asc(partnerTierBenefits.id)),
    db.select({ id: partnerships.id, status: partnerships.status }).from(partnerships).where(eq(partnerships.renewsPartnershipId, p.id)).orderBy(desc(partnerships.id)),
  ]);
  return {
    id: p.id,
    organisationId: p.organisationId,
    organisation: row.organisation,
    goalId: p.goalId,
    goal: row.goalTitle,
    tier: p.tier,
    status: p.status as PartnershipStatus,
    nextStatuses: staffTransitions[p.status as PartnershipStatus] ?? [],
    agreedYearlyOre: ore(p.agreedYearlyOre),
    paidOre: paidOre.toString(),
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    isPublic: p.isPublic,
    note: p.note,
    source: p.source,
    screening: { excluded: screening.excluded, industry: screening.industry ? (en ? screening.industry.nameEn : screening.industry.nameSv) : null },
    signOff: p.signedOffAt
      ? { at: p.signedOffAt.toISOString(), by: row.signerEmail, note: p.signOffNote, expiresOn: p.signOffExpiresOn, valid: signOffValid(p, today) }
      : null,
    benefits: benefits.map((b) => ({ id: b.id, text: en ? b.textEn : b.textSv, retired: b.retiredAt !== null, deliveredAt: b.deliveredAt?.toISOString() ?? null, by: b.byEmail })),
    renewsPartnershipId: p.renewsPartnershipId,
    renewals: renewal,
  };
}
