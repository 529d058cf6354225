import { and, isNotNull, lt, or } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { loginTokens, rateLimits } from "~db/schema";
import { deleteExpiredSessions } from "./sessions.server";

/** Removes ended sessions, used or expired sign-in links (after a day) and stale rate-limit windows. */
export async function identityHousekeeping(db: Db, now = new Date()): Promise<void> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000);
  await deleteExpiredSessions(db, now);
  await db.delete(loginTokens).where(or(lt(loginTokens.expiresAt, dayAgo), and(isNotNull(loginTokens.usedAt), lt(loginTokens.createdAt, dayAgo))));
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, dayAgo));
}

/** Hourly, in the background; the timer never keeps the process alive. */
export function startIdentityHousekeeping(db: Db): () => void {
  const run = () => identityHousekeeping(db).catch((error) => console.error("[auth] housekeeping failed:", error));
  void run();
  const timer = setInterval(run, 60 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
