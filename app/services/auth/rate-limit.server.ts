import { sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { rateLimits } from "~db/schema";

export interface RateLimitRule {
  max: number;
  windowMs: number;
}

/**
 * Counts one hit against `key` in a fixed window and says whether it is within the limit. One
 * atomic upsert, so every app instance shares the same counters through the database.
 */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule, now = new Date()) {
  // Raw SQL parameters: timestamps as ISO text with a cast (postgres.js does not take a Date there).
  const windowFloor = sql`${new Date(now.getTime() - rule.windowMs).toISOString()}::timestamptz`;
  const nowParam = sql`${now.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then ${nowParam} else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  const retryAfterS = Math.max(1, Math.ceil((row.windowStart.getTime() + rule.windowMs - now.getTime()) / 1000));
  return { allowed: row.count <= rule.max, count: row.count, retryAfterS };
}
