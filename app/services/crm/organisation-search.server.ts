import { and, asc, eq, exists, ilike, inArray, sql, type SQL } from "drizzle-orm";
import { goals, industries, organisationMembers, organisations, partnerships, partnershipStatuses, partnerTiers, partnerTierSlugs, people } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { normaliseOrgNumber } from "~/services/organisations/org-number";
import { organisationSearchSchema, type OrganisationSearch } from "~/validation/crm";

/**
 * The staff organisation list's search and filters (issue 11 item 2): by name or organisationsnummer,
 * and by goal, tier and status of its partnerships. Staff only. The CSV export (export.server.ts)
 * uses the same selection, so a file holds what the list shows.
 */

export interface OrganisationFilters extends OrganisationSearch {
  tier: "" | (typeof partnerTierSlugs)[number];
  status: "" | (typeof partnershipStatuses)[number];
}

/** The query string as filters; an unknown tier, status or goal is ignored rather than refused. */
export function organisationFilters(query: URLSearchParams | Record<string, string | null | undefined>): OrganisationFilters {
  const raw = query instanceof URLSearchParams ? Object.fromEntries(query) : query;
  const parsed = organisationSearchSchema.parse({ q: raw.q ?? "", goal: raw.goal ?? "", tier: raw.tier ?? "", status: raw.status ?? "" });
  return {
    ...parsed,
    tier: (partnerTierSlugs as readonly string[]).includes(parsed.tier) ? (parsed.tier as OrganisationFilters["tier"]) : "",
    status: (partnershipStatuses as readonly string[]).includes(parsed.status) ? (parsed.status as OrganisationFilters["status"]) : "",
  };
}

/** LIKE's own characters typed in a search are meant literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The WHERE for the filters. A typed number that is a whole valid organisationsnummer (10 or 12
 * digits, hyphen or not) matches the stored NNNNNN-NNNN exactly; digits alone (a part of a number)
 * match anywhere in the stored digits; anything else is a part of the name, any case.
 */
export function organisationWhere(filters: OrganisationFilters): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  const q = filters.q.trim();
  if (q) {
    const whole = /\d/.test(q) ? normaliseOrgNumber(q) : null;
    const digits = q.replace(/[\s-]/g, "");
    if (whole) conditions.push(eq(organisations.orgNumber, whole));
    else if (/^\d{3,}$/.test(digits)) conditions.push(sql`regexp_replace(coalesce(${organisations.orgNumber}, ''), '[^0-9]', '', 'g') like ${`%${digits}%`}`);
    else conditions.push(ilike(organisations.name, `%${likeLiteral(q)}%`));
  }
  if (filters.goal !== null || filters.tier || filters.status) {
    // Goal, tier and status hold for one and the same partnership of the organisation.
    conditions.push(
      exists(
        sql`(select 1 from ${partnerships} where ${and(
          eq(partnerships.organisationId, organisations.id),
          filters.goal !== null ? eq(partnerships.goalId, filters.goal) : undefined,
          filters.tier ? eq(partnerships.tier, filters.tier) : undefined,
          filters.status ? eq(partnerships.status, filters.status) : undefined,
        )})`,
      ),
    );
  }
  return and(...conditions);
}

export interface PartnershipSummary {
  organisationId: number;
  goal: string;
  tier: string;
  status: string;
}

/** The partnerships of these organisations, named in the reader's language. */
export async function partnershipsOf(ctx: ServiceContext, organisationIds: number[]): Promise<PartnershipSummary[]> {
  if (!organisationIds.length) return [];
  const en = ctx.locale === "en";
  const rows = await ctx.db
    .select({ organisationId: partnerships.organisationId, goalSv: goals.titleSv, goalEn: goals.titleEn, tierSv: partnerTiers.nameSv, tierEn: partnerTiers.nameEn, status: partnerships.status })
    .from(partnerships)
    .innerJoin(goals, eq(goals.id, partnerships.goalId))
    .innerJoin(partnerTiers, eq(partnerTiers.slug, partnerships.tier))
    .where(inArray(partnerships.organisationId, organisationIds))
    .orderBy(asc(goals.number), asc(partnerTiers.rank));
  return rows.map((r) => ({ organisationId: r.organisationId, goal: en ? r.goalEn : r.goalSv, tier: en ? r.tierEn : r.tierSv, status: r.status }));
}

/** The organisations matching the filters, by name, with their industry and partnerships. */
export async function searchOrganisations(ctx: ServiceContext, filters: OrganisationFilters) {
  requireStaffActor(ctx);
  const en = ctx.locale === "en";
  const rows = await ctx.db
    .select({ o: organisations, industrySv: industries.nameSv, industryEn: industries.nameEn })
    .from(organisations)
    .leftJoin(industries, eq(industries.id, organisations.industryId))
    .where(organisationWhere(filters))
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(2000);
  const deals = await partnershipsOf(
    ctx,
    rows.map((r) => r.o.id),
  );
  return rows.map(({ o, industrySv, industryEn }) => ({
    ...o,
    industry: (en ? industryEn : industrySv) ?? null,
    partnerships: deals.filter((d) => d.organisationId === o.id),
  }));
}

/** The contacts of the organisations matching the filters (for the contacts export). */
export async function searchContacts(ctx: ServiceContext, filters: OrganisationFilters) {
  requireStaffActor(ctx);
  return ctx.db
    .select({
      organisationName: organisations.name,
      orgNumber: organisations.orgNumber,
      name: people.name,
      email: people.email,
      roles: organisationMembers.roles,
      isAdmin: organisationMembers.isAdmin,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .innerJoin(people, eq(people.id, organisationMembers.personId))
    .where(organisationWhere(filters))
    .orderBy(asc(organisations.name), asc(organisations.id), asc(people.email))
    .limit(10_000);
}

/** What the filter form offers: the goals, tiers and statuses. */
export async function organisationFilterOptions(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const en = ctx.locale === "en";
  const [goalRows, tierRows] = await Promise.all([
    ctx.db.select({ id: goals.id, number: goals.number, sv: goals.titleSv, en: goals.titleEn }).from(goals).orderBy(asc(goals.number)),
    ctx.db.select({ slug: partnerTiers.slug, sv: partnerTiers.nameSv, en: partnerTiers.nameEn }).from(partnerTiers).orderBy(asc(partnerTiers.rank)),
  ]);
  return {
    goals: goalRows.map((g) => ({ id: g.id, label: en ? g.en : g.sv })),
    tiers: tierRows.map((t) => ({ slug: t.slug, label: en ? t.en : t.sv })),
    statuses: [...partnershipStatuses],
  };
}

/** The staff organisation list: the filters read from the query string, the matches and the filter choices. */
export async function organisationListPage(ctx: ServiceContext, query: URLSearchParams) {
  requireStaffActor(ctx);
  const filters = organisationFilters(query);
  const [rows, options] = await Promise.all([searchOrganisations(ctx, filters), organisationFilterOptions(ctx)]);
  return { filters, options, organisations: rows.map((o) => ({ id: o.id, name: o.name, orgNumber: o.orgNumber, city: o.city, demo: o.demo, partnerships: o.partnerships })) };
}
