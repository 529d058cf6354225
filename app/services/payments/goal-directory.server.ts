import { asc } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals } from "~db/schema";

/**
 * The goals' ids, slugs, numbers and titles, kept in memory for a minute per database. The webhook
 * path reads them for every event (designation by slug, tie-break by number, the receipt's title);
 * ids, slugs and numbers never change, and a title edited by staff shows in receipts within a minute.
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

const TTL_MS = 60_000;
const cache = new WeakMap<object, { at: number; dir: GoalDirectory }>();

export async function goalDirectory(db: Db): Promise<GoalDirectory> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.dir;
  const rows = await db
    .select({ id: goals.id, slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn })
    .from(goals)
    .orderBy(asc(goals.number));
  const dir = { bySlug: new Map(rows.map((g) => [g.slug, g])), byId: new Map(rows.map((g) => [g.id, g])), all: rows };
  cache.set(db, { at: Date.now(), dir });
  return dir;
}
