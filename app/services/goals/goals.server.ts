import { asc, eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, partnerTiers, type Goal } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { NotFound } from "~/services/errors";
import { goalBalances } from "~/services/ledger/balances.server";

/** A goal as pages show it: texts in one language, money as öre strings (bigint does not cross JSON). */
export interface GoalView {
  id: number;
  number: number;
  slug: string;
  title: string;
  lead: string;
  about: string;
  today: string;
  more: string;
  sdgs: number[];
  draft: boolean;
  raisedOre: string;
  targetOre: string | null;
}

function toView(goal: Goal, raised: bigint, locale: Locale): GoalView {
  const en = locale === "en";
  return {
    id: goal.id,
    number: goal.number,
    slug: goal.slug,
    title: en ? goal.titleEn : goal.titleSv,
    lead: en ? goal.leadEn : goal.leadSv,
    about: en ? goal.aboutEn : goal.aboutSv,
    today: en ? goal.todayEn : goal.todaySv,
    more: en ? goal.moreEn : goal.moreSv,
    sdgs: goal.sdgs,
    draft: goal.draft,
    raisedOre: raised.toString(),
    targetOre: goal.targetOre === null ? null : goal.targetOre.toString(),
  };
}

/** Every goal in order with its ledger balance. */
async function goalsWithBalances(db: Db): Promise<Array<{ goal: Goal; raised: bigint }>> {
  const [rows, balances] = await Promise.all([db.select().from(goals).orderBy(asc(goals.number)), goalBalances(db)]);
  return rows.map((goal) => ({ goal, raised: balances.get(goal.id) ?? 0n }));
}

export async function listGoals(db: Db, locale: Locale): Promise<GoalView[]> {
  return (await goalsWithBalances(db)).map(({ goal, raised }) => toView(goal, raised, locale));
}

export async function getGoal(db: Db, slug: string, locale: Locale): Promise<GoalView> {
  const [goal] = await db.select().from(goals).where(eq(goals.slug, slug)).limit(1);
  if (!goal) throw new NotFound("goal_not_found");
  const balances = await goalBalances(db);
  return toView(goal, balances.get(goal.id) ?? 0n, locale);
}

/** The public JSON contract of GET /api/goals (DESIGN.md). */
export async function publicGoalsJson(db: Db) {
  return (await goalsWithBalances(db)).map(({ goal, raised }) => ({
    slug: goal.slug,
    number: goal.number,
    title: goal.titleSv,
    titleEn: goal.titleEn,
    raisedOre: Number(raised),
    targetOre: goal.targetOre === null ? null : Number(goal.targetOre),
  }));
}

export async function listTiers(db: Db, locale: Locale) {
  const rows = await db.select().from(partnerTiers).orderBy(asc(partnerTiers.rank));
  return rows.map((t) => ({
    slug: t.slug,
    name: locale === "en" ? t.nameEn : t.nameSv,
    minYearlyOre: t.minYearlyOre === null ? null : t.minYearlyOre.toString(),
  }));
}

/** One goal in the fields of GET /api/goals, with its id for the lists composed onto it; null for an unknown slug. */
export async function publicGoalJson(db: Db, slug: string) {
  const [goal] = await db.select().from(goals).where(eq(goals.slug, slug)).limit(1);
  if (!goal) return null;
  const raised = (await goalBalances(db)).get(goal.id) ?? 0n;
  const json = { slug: goal.slug, number: goal.number, title: goal.titleSv, titleEn: goal.titleEn, raisedOre: Number(raised), targetOre: goal.targetOre === null ? null : Number(goal.targetOre) };
  return { id: goal.id, json };
}
