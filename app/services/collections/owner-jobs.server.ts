import { and, eq, gt, isNotNull, isNull, lte, notExists, or, sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { collectionMilestonePercents, collectionMilestones, collections, collectionSummaries, people } from "~db/schema";
import { requireSystem, type ServiceContext } from "~/services/context";
import { enqueueEmail } from "~/services/email/outbox.server";
import { enqueueJob, registerJobHandler } from "~/services/jobs/jobs.server";
import { env } from "~/utils/env.server";
import { collectionTotals } from "./collections.server";

/**
 * The owner's emails (issue 12 item 4): a milestone email at 25, 50, 75 and 100 % of the target, and
 * a summary when the collection ends (its end date passed or its owner closed it). One recurring job
 * (`collection_progress`, every few minutes, and at once when an owner closes a collection) finds
 * what is due. Each email is sent once however many instances run the job at the same time: its row
 * (collection_milestones' unique pair, collection_summaries' key) is inserted in the transaction that
 * queues the email, and only the transaction whose insert returned the row queues it.
 */
export const COLLECTION_PROGRESS_JOB = "collection_progress";
export const PROGRESS_INTERVAL_MINUTES = 5;

/** The next run on the interval's grid after `after`, with that slot's dedupe key (one job per slot, whoever enqueues it). */
export function nextProgressRun(after: Date): { runAt: Date; dedupeKey: string } {
  const step = PROGRESS_INTERVAL_MINUTES * 60_000;
  const runAt = new Date((Math.floor(after.getTime() / step) + 1) * step);
  return { runAt, dedupeKey: `every${PROGRESS_INTERVAL_MINUTES}m:${runAt.toISOString().slice(0, 16)}` };
}

/** Milestones reached by `raised` of `target`, in per cent (100 % of 5 000 kr is 5 000 kr or more). */
export function reachedMilestones(raisedOre: bigint, targetOre: bigint): number[] {
  if (targetOre <= 0n) return [];
  return collectionMilestonePercents.filter((p) => raisedOre * 100n >= targetOre * BigInt(p));
}

/** A collection that ended or was closed this long ago still gets a milestone a late gift reached. */
const MILESTONE_GRACE_MS = 2 * 24 * 3600_000;

function collectionUrl(slug: string): string {
  return `${env().appUrl}/c/${encodeURIComponent(slug)}`;
}
function manageUrl(slug: string): string {
  return `${env().appUrl}/account/collections/${encodeURIComponent(slug)}`;
}

/**
 * Milestone emails due now. Candidates: not hidden, with a target, not all four milestones told,
 * open or ended within the grace period. Totals for all of them in one query (collectionTotals).
 * One email per collection and run: the highest milestone newly reached (a single large gift may pass
 * several at once; every passed one is recorded, so none is told later).
 */
export async function sendDueMilestones(ctx: ServiceContext, now = new Date()): Promise<number> {
  requireSystem(ctx);
  const since = new Date(now.getTime() - MILESTONE_GRACE_MS);
  const candidates = await ctx.db
    .select({ id: collections.id, slug: collections.slug, title: collections.title, targetOre: collections.targetOre, ownerEmail: people.email })
    .from(collections)
    .innerJoin(people, eq(people.id, collections.ownerPersonId))
    .where(
      and(
        isNull(collections.hiddenAt),
        // Demo owners (fictional, at example.com) get no email, like demo donors get no receipt.
        eq(people.demo, false),
        isNotNull(collections.targetOre),
        or(isNull(collections.endsAt), gt(collections.endsAt, since)),
        or(eq(collections.status, "open"), gt(collections.updatedAt, since)),
        sql`(select count(*) from ${collectionMilestones} where ${collectionMilestones.collectionId} = ${collections.id}) < ${collectionMilestonePercents.length}`,
      ),
    );
  if (candidates.length === 0) return 0;
  const totals = await collectionTotals(
    ctx.db,
    candidates.map((c) => c.id),
  );
  let sent = 0;
  for (const c of candidates) {
    const raised = totals.get(c.id)!.raisedOre;
    const reached = reachedMilestones(raised, c.targetOre!);
    if (reached.length === 0) continue;
    sent += await ctx.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(collectionMilestones)
        .values(reached.map((percent) => ({ collectionId: c.id, percent, sentAt: now })))
        .onConflictDoNothing()
        .returning({ percent: collectionMilestones.percent });
      if (inserted.length === 0) return 0;
      const percent = Math.max(...inserted.map((r) => r.percent));
      await enqueueEmail(tx, {
        to: c.ownerEmail,
        template: "collection-milestone",
        locale: ctx.locale,
        dedupeKey: `collection-milestone:${c.id}:${percent}`,
        props: { title: c.title, percent, raisedOre: raised.toString(), targetOre: c.targetOre!.toString(), url: collectionUrl(c.slug), manageUrl: manageUrl(c.slug) },
      });
      return 1;
    });
  }
  return sent;
}

/** Summary emails due now: every ended collection (closed, or past its end) not hidden and not yet summarised. */
export async function sendDueSummaries(ctx: ServiceContext, now = new Date()): Promise<number> {
  requireSystem(ctx);
  const due = await ctx.db
    .select({ id: collections.id, slug: collections.slug, title: collections.title, targetOre: collections.targetOre, ownerEmail: people.email })
    .from(collections)
    .innerJoin(people, eq(people.id, collections.ownerPersonId))
    .where(
      and(
        isNull(collections.hiddenAt),
        eq(people.demo, false),
        or(eq(collections.status, "closed"), lte(collections.endsAt, now)),
        notExists(ctx.db.select({ one: sql`1` }).from(collectionSummaries).where(eq(collectionSummaries.collectionId, collections.id))),
      ),
    )
    .limit(200);
  if (due.length === 0) return 0;
  const totals = await collectionTotals(
    ctx.db,
    due.map((c) => c.id),
  );
  let sent = 0;
  for (const c of due) {
    const total = totals.get(c.id)!;
    sent += await ctx.db.transaction(async (tx) => {
      const inserted = await tx.insert(collectionSummaries).values({ collectionId: c.id, sentAt: now }).onConflictDoNothing().returning({ id: collectionSummaries.collectionId });
      if (inserted.length === 0) return 0;
      await enqueueEmail(tx, {
        to: c.ownerEmail,
        template: "collection-summary",
        locale: ctx.locale,
        dedupeKey: `collection-summary:${c.id}`,
        props: { title: c.title, raisedOre: total.raisedOre.toString(), targetOre: c.targetOre?.toString() ?? null, giftCount: total.giftCount, url: collectionUrl(c.slug), manageUrl: manageUrl(c.slug) },
      });
      return 1;
    });
  }
  return sent;
}

/** One run of the job: milestones, then summaries (a collection's last milestone email comes before its summary). */
export async function runCollectionProgress(ctx: ServiceContext, now = new Date()): Promise<{ milestones: number; summaries: number }> {
  requireSystem(ctx);
  const milestones = await sendDueMilestones(ctx, now);
  const summaries = await sendDueSummaries(ctx, now);
  return { milestones, summaries };
}

/**
 * Registers the handler and queues the first run; each run queues the next slot. A run enqueued when
 * an owner closes a collection (`closed:<id>`) also queues the next slot, which then already exists.
 */
export async function registerCollectionJobs(db: Db, clock: () => Date = () => new Date()): Promise<void> {
  registerJobHandler(COLLECTION_PROGRESS_JOB, async ({ ctx }) => {
    const now = clock();
    await runCollectionProgress(ctx, now);
    return { next: { kind: COLLECTION_PROGRESS_JOB, ...nextProgressRun(now) } };
  });
  await enqueueJob(db, { kind: COLLECTION_PROGRESS_JOB, ...nextProgressRun(clock()) });
}
