import { asc, eq, inArray } from "drizzle-orm";
import { goals, organisations, partnerTiers, partnerships, yearlyCosts, type YearlyCosts } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { NotFound } from "~/services/errors";
import { impactView, listImpactFigures, type ImpactView } from "~/services/impact/impact.server";
import { moneyByPartnershipYear } from "~/services/partners/dashboard-money.server";
import { reportYearSchema } from "~/validation/impact";
import { effektTextsOfYear, type EffektTexts } from "./effekt-texts.server";
import { collectionsMoney, moneyByGoalAndChannel } from "./money.server";
import { stockholmYear } from "~/utils/dates";

/**
 * The yearly report (issue 14 item 4), per goal or for all goals: money in by channel, partners,
 * collections, impact figures, the 90-konto share from the costs staff entered, and the facts the
 * effektrapport draft is filled from. Staff only. Öre are strings (loader JSON).
 */

/** Svensk Insamlingskontroll: at least 75 % of the money to the purpose (domain.md B1). */
export const PURPOSE_SHARE_MIN_PERCENT = 75;

export interface PurposeShare {
  purposeOre: string;
  fundraisingOre: string;
  administrationOre: string;
  totalOre: string;
  /** Share to the purpose in hundredths of a percent (7523 = 75.23 %), rounded down; null when the costs are all 0. */
  purposeBasisPoints: number | null;
  meetsRule: boolean | null;
  note: string;
}

export interface ReportGoal {
  id: number;
  slug: string;
  number: number;
  title: string;
  /** The goal's texts (staff-reviewed, drawn from the organisation's own), for the effektrapport draft. */
  lead: string;
  today: string;
}

export interface YearlyReport {
  year: number;
  goal: ReportGoal | null;
  goals: ReportGoal[];
  money: { channel: string; amountOre: string }[];
  moneyPerGoal: { goalNumber: number; title: string; amountOre: string }[];
  totalOre: string;
  partners: { id: number; organisation: string; demo: boolean; goalNumber: number; tier: string; status: string; paidOre: string }[];
  collections: { slug: string; title: string; goalNumber: number; status: string; hidden: boolean; amountOre: string }[];
  impact: ImpactView[];
  costs: PurposeShare | null;
  /** Staff's own text per effektrapport section of the year ("" where none). */
  effektTexts: EffektTexts;
}

/** The share to the purpose of the year's costs; worked example: 80 000 / (80 000 + 15 000 + 5 000) = 8000 bp = 80 %. */
export function purposeShare(costs: Pick<YearlyCosts, "purposeOre" | "fundraisingOre" | "administrationOre" | "note">): PurposeShare {
  const total = costs.purposeOre + costs.fundraisingOre + costs.administrationOre;
  const basisPoints = total === 0n ? null : Number((costs.purposeOre * 10000n) / total);
  return {
    purposeOre: costs.purposeOre.toString(),
    fundraisingOre: costs.fundraisingOre.toString(),
    administrationOre: costs.administrationOre.toString(),
    totalOre: total.toString(),
    purposeBasisPoints: basisPoints,
    // Compared exactly in öre, not on the rounded share.
    meetsRule: total === 0n ? null : costs.purposeOre * 100n >= total * BigInt(PURPOSE_SHARE_MIN_PERCENT),
    note: costs.note,
  };
}

export async function yearlyReport(ctx: ServiceContext, input: { year: unknown; goalSlug?: string | null }): Promise<YearlyReport> {
  requireStaffActor(ctx);
  const parsedYear = reportYearSchema.safeParse(input.year);
  if (!parsedYear.success) throw new NotFound("report_not_found");
  const year = parsedYear.data;
  const en = ctx.locale === "en";
  const goalRows = await ctx.db.select().from(goals).orderBy(asc(goals.number));
  const goalList: ReportGoal[] = goalRows.map((g) => ({
    id: g.id,
    slug: g.slug,
    number: g.number,
    title: en ? g.titleEn : g.titleSv,
    lead: en ? g.leadEn : g.leadSv,
    today: en ? g.todayEn : g.todaySv,
  }));
  const goal = input.goalSlug ? (goalList.find((g) => g.slug === input.goalSlug) ?? null) : null;
  if (input.goalSlug && !goal) throw new NotFound("goal_not_found");
  const goalIds = goal ? [goal.id] : undefined;
  const numberOf = (id: number) => goalList.find((g) => g.id === id)?.number ?? 0;

  const money = await moneyByGoalAndChannel(ctx.db, year, goalIds);
  const byChannel = new Map<string, bigint>();
  const byGoal = new Map<number, bigint>();
  for (const m of money) {
    byChannel.set(m.channel, (byChannel.get(m.channel) ?? 0n) + m.amountOre);
    byGoal.set(m.goalId, (byGoal.get(m.goalId) ?? 0n) + m.amountOre);
  }
  const total = money.reduce((s, m) => s + m.amountOre, 0n);

  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  // Partners of the year: a partnership that brought money in the year, or was in force during it.
  const partnerRows = await ctx.db
    .select({ p: partnerships, organisation: organisations.name, demo: organisations.demo, tierSv: partnerTiers.nameSv, tierEn: partnerTiers.nameEn })
    .from(partnerships)
    .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
    .innerJoin(partnerTiers, eq(partnerTiers.slug, partnerships.tier))
    .where(goalIds ? inArray(partnerships.goalId, goalIds) : undefined)
    .orderBy(asc(partnerTiers.rank), asc(organisations.name), asc(partnerships.id));
  const paid = await moneyByPartnershipYear(
    ctx.db,
    partnerRows.map((r) => r.p.id),
  );
  const inForce = (p: typeof partnerships.$inferSelect) =>
    ["active", "renewal_due", "renewed"].includes(p.status) && (p.startsOn === null || p.startsOn <= to) && (p.endsOn === null || p.endsOn >= from);
  const partners = partnerRows
    .map((r) => ({ r, paidOre: paid.filter((m) => m.partnershipId === r.p.id && m.year === year).reduce((s, m) => s + m.netOre, 0n) }))
    .filter(({ r, paidOre }) => paidOre > 0n || inForce(r.p))
    .map(({ r, paidOre }) => ({
      id: r.p.id,
      organisation: r.organisation,
      demo: r.demo,
      goalNumber: numberOf(r.p.goalId),
      tier: en ? r.tierEn : r.tierSv,
      status: r.p.status,
      paidOre: paidOre.toString(),
    }));

  const collectionRows = await collectionsMoney(ctx.db, year, goalIds);
  const figures = await listImpactFigures(ctx.db, { goalIds, overlapping: { from, to } });
  const [costs] = await ctx.db.select().from(yearlyCosts).where(eq(yearlyCosts.year, year));

  return {
    year,
    goal,
    goals: goalList,
    money: [...byChannel].map(([channel, amount]) => ({ channel, amountOre: amount.toString() })),
    moneyPerGoal: goalList.filter((g) => byGoal.has(g.id)).map((g) => ({ goalNumber: g.number, title: g.title, amountOre: (byGoal.get(g.id) ?? 0n).toString() })),
    totalOre: total.toString(),
    partners,
    collections: collectionRows.map((c) => ({ slug: c.slug, title: c.title, goalNumber: c.goalNumber, status: c.status, hidden: c.hidden, amountOre: c.amountOre.toString() })),
    impact: figures.map((f) => impactView(f, ctx.locale)),
    costs: costs ? purposeShare(costs) : null,
    effektTexts: await effektTextsOfYear(ctx.db, year),
  };
}

/** The years a report can be asked for: those with costs entered, this year and the last (newest first). */
export async function reportYears(ctx: ServiceContext, now = new Date()): Promise<{ years: number[]; withCosts: number[]; goals: { slug: string; number: number; title: string }[] }> {
  requireStaffActor(ctx);
  const goalRows = await ctx.db.select({ slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  const current = stockholmYear(now);
  const rows = await ctx.db.select({ year: yearlyCosts.year }).from(yearlyCosts);
  const withCosts = rows.map((r) => r.year);
  const years = [...new Set([current, current - 1, ...withCosts])].sort((a, b) => b - a);
  return { years, withCosts, goals: goalRows.map((g) => ({ slug: g.slug, number: g.number, title: ctx.locale === "en" ? g.titleEn : g.titleSv })) };
}
