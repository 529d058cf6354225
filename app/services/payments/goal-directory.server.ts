import { asc } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals } from "~db/schema";

/**
 * The goals' ids, slugs, numbers and titles. The webhook path reads them for every event
 * (designation by slug, tie-break by number, the receipt's title) and keeps them for a minute
 * (StripePath in stripe-path.server.ts); ids, slugs and numbers never change, and a title edited by
 * staff shows in receipts within a minute.
 */
export interface GoalInfo {
  id: number;
  slug: string;
  number: number;
  titleSv: string;
  titleEn: string;
}
export interface GoalDirectory {
  bySlug: Map<string, GoalInfo>;
  byId: Map<number, GoalInfo>;
  all: GoalInfo[];
}

export async function loadGoalDirectory(db: Db | Tx): Promise<GoalDirectory> {
  const rows = await db
    .select({ id: goals.id, slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn })
    .from(goals)
    .orderBy(asc(goals.number));
  return { bySlug: new Map(rows.map((g) => [g.slug, g])), byId: new Map(rows.map((g) => [g.id, g])), all: rows };
}
