import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import { goals, ledgerEntries, partnerTiers, type Goal } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { NotFound } from "~/services/errors";
import { keptPublicRead } from "~/utils/public-reads.server";

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

export function goalView(goal: Goal, raised: bigint, locale: Locale): GoalView {
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

/**
 * A goal's balance, the sum of its ledger entries (all channels, net of reversals), as a column of the
 * goal's row: the pages that show goals read them and their balances in one statement.
 */
// Written out qualified: Drizzle leaves the table name off the columns of a one-table select, and an
// unqualified "id" inside the subquery would be the ledger entry's.
export const raisedColumn = sql<string>`(select coalesce(sum(e.amount_ore), 0)::text from ${ledgerEntries} e where e.goal_id = ${sql.identifier("goals")}.${sql.identifier("id")})`;

/** Every goal in order with its ledger balance, in one prepared statement (/api/goals). */
async function goalsWithBalances(db: Db): Promise<Array<{ goal: Goal; raised: bigint }>> {
  const rows = await preparedQuery(db, "goals_with_balances", (d) =>
    d
      .select({ goal: goals, raised: raisedColumn })
      .from(goals)
      .orderBy(asc(goals.number))
      .prepare("goals_with_balances"),
  ).execute();
  return rows.map(({ goal, raised }) => ({ goal, raised: BigInt(raised) }));
}

/** One goal by its slug with its balance, in one prepared statement. */
async function goalWithBalance(db: Db, slug: string): Promise<{ goal: Goal; raised: bigint } | undefined> {
  const [row] = await preparedQuery(db, "goal_with_balance", (d) =>
    d
      .select({ goal: goals, raised: raisedColumn })
      .from(goals)
      .where(eq(goals.slug, sql.placeholder("slug")))
      .limit(1)
      .prepare("goal_with_balance"),
  ).execute({ slug });
  return row && { goal: row.goal, raised: BigInt(row.raised) };
}

/**
 * The goals to choose from on /give: number, slug and title, without balances (a balance sums the goal's
 * whole ledger, which only grows). Every view of /give needs them: kept a moment (public-reads.server.ts).
 */
export function listGoalChoices(db: Db, locale: Locale): Promise<Array<{ slug: string; number: number; title: string }>> {
  return keptPublicRead(db, `goal_choices:${locale}`, () => readGoalChoices(db, locale));
}

async function readGoalChoices(db: Db, locale: Locale): Promise<Array<{ slug: string; number: number; title: string }>> {
  const rows = await preparedQuery(db, "goal_choices", (d) =>
    d
      .select({ slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn })
      .from(goals)
      .orderBy(asc(goals.number))
      .prepare("goal_choices"),
  ).execute();
  return rows.map((g) => ({ slug: g.slug, number: g.number, title: locale === "en" ? g.titleEn : g.titleSv }));
}

/** A goal as the home page's card shows it: what the card needs and no more, since all of it travels twice (HTML and loader data). */
export type GoalCard = Pick<GoalView, "number" | "slug" | "title" | "lead" | "raisedOre" | "targetOre">;

/**
 * Every goal in order as a card, with its balance, in one prepared statement that reads none of the long
 * texts; kept a moment, as the same for every reader (public-reads.server.ts).
 */
export function listGoals(db: Db, locale: Locale): Promise<GoalCard[]> {
  return keptPublicRead(db, `goal_cards:${locale}`, () => readGoalCards(db, locale));
}

async function readGoalCards(db: Db, locale: Locale): Promise<GoalCard[]> {
  const rows = await preparedQuery(db, "goal_cards", (d) =>
    d
      .select({
        number: goals.number,
        slug: goals.slug,
        titleSv: goals.titleSv,
        titleEn: goals.titleEn,
        leadSv: goals.leadSv,
        leadEn: goals.leadEn,
        targetOre: goals.targetOre,
        raised: raisedColumn,
      })
      .from(goals)
      .orderBy(asc(goals.number))
      .prepare("goal_cards"),
  ).execute();
  const en = locale === "en";
  return rows.map((g) => ({
    number: g.number,
    slug: g.slug,
    title: en ? g.titleEn : g.titleSv,
    lead: en ? g.leadEn : g.leadSv,
    raisedOre: g.raised,
    targetOre: g.targetOre === null ? null : g.targetOre.toString(),
  }));
}

export async function getGoal(db: Db, slug: string, locale: Locale): Promise<GoalView> {
  const found = await goalWithBalance(db, slug);
  if (!found) throw new NotFound("goal_not_found");
  return goalView(found.goal, found.raised, locale);
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
  const found = await goalWithBalance(db, slug);
  if (!found) return null;
  const { goal, raised } = found;
  const json = { slug: goal.slug, number: goal.number, title: goal.titleSv, titleEn: goal.titleEn, raisedOre: Number(raised), targetOre: goal.targetOre === null ? null : Number(goal.targetOre) };
  return { id: goal.id, json };
}
