/**
 * The next run of a daily job at `hourUtc`:`minute` after `after`, with the period's dedupe key
 * (`daily:2026-11-30`): enqueued by every instance at start and by each run for the next, it exists once.
 * Example: after 2026-11-30T09:15Z at 06:00 → 2026-12-01T06:00Z, `daily:2026-12-01`.
 */
export function nextDailyRun(after: Date, hourUtc: number, minute = 0): { runAt: Date; dedupeKey: string } {
  const runAt = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), hourUtc, minute));
  if (runAt.getTime() <= after.getTime()) runAt.setUTCDate(runAt.getUTCDate() + 1);
  return { runAt, dedupeKey: `daily:${runAt.toISOString().slice(0, 10)}` };
}
