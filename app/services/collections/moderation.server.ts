import { and, count, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, Tx } from "~db/client.server";
import { collectionReports, collections, goals, payments, people } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { hitRateLimit, type RateLimitRule } from "~/services/auth/rate-limit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Gone, Invalid, NotFound, ServiceError } from "~/services/errors";
import {
  collectionReportSchema,
  handleReportSchema,
  hideCollectionSchema,
  hideGreetingSchema,
  restoreCollectionSchema,
  restoreGreetingSchema,
} from "~/validation/collection-moderation";

/**
 * Moderation of collections (issue 12 item 7). Anyone may report a collection; staff see the reports
 * and every new collection, and hide or restore a collection or a single greeting, with a reason,
 * audited. Hidden is a flag on the row itself (collections.hidden_at, payments.greeting_hidden_at),
 * so every public read filters it where it reads (`visibleCollection`, `publicGreeting` below) and
 * nothing is deleted: restoring brings it back exactly as it was, and the money is untouched.
 */

/** The filter every public read of collections adds. */
export const visibleCollection = isNull(collections.hiddenAt);

/** A payment's greeting as the public may see it: null when staff hid it. */
export const publicGreeting = sql<string | null>`case when ${payments.greetingHiddenAt} is null then ${payments.greeting} end`;

/**
 * For public pages and JSON of one collection: a hidden collection is Gone (410, a kind message),
 * an unknown one is NotFound. Returns the collection's id.
 */
export async function requireVisibleCollection(db: Db | Tx, slug: string): Promise<number> {
  const [row] = await db.select({ id: collections.id, hiddenAt: collections.hiddenAt }).from(collections).where(eq(collections.slug, slug));
  if (!row) throw new NotFound();
  if (row.hiddenAt) throw new Gone("collection_hidden");
  return row.id;
}

/** Reports per client, like sign-in requests: enough for a person, too few for a flood. */
export const reportRateLimit: RateLimitRule = { max: 5, windowMs: 15 * 60_000 };

export class TooManyReports extends ServiceError {
  constructor(public retryAfterS: number) {
    super(429, "too_many_reports", { _form: "too_many_reports" }, { "Retry-After": String(retryAfterS) });
  }
}

/**
 * A visitor reports a collection (no sign-in needed). `clientKey` is the client's address, so one
 * client cannot flood staff; a refused report writes nothing but the counter.
 */
export async function reportCollection(ctx: ServiceContext, slug: string, raw: Record<string, unknown>, clientKey: string): Promise<void> {
  const input = parse(collectionReportSchema, raw);
  const collectionId = await requireVisibleCollection(ctx.db, slug);
  const hit = await hitRateLimit(ctx.db, `collection-report:client:${clientKey}`, reportRateLimit);
  if (!hit.allowed) throw new TooManyReports(hit.retryAfterS);
  await ctx.db.insert(collectionReports).values({ collectionId, reason: input.reason, reporterEmail: input.email });
}

export interface ModerationCollectionRow {
  id: number;
  slug: string;
  title: string;
  goalTitle: string;
  ownerEmail: string;
  createdAt: Date;
  hiddenAt: Date | null;
  openReports: number;
}

/** Staff: open reports (oldest first, so none waits forever) and the newest collections. */
export async function moderationOverview(ctx: ServiceContext, opts: { limit?: number } = {}) {
  requireStaffActor(ctx);
  const limit = opts.limit ?? 100;
  const en = ctx.locale === "en";
  const reports = await ctx.db
    .select({
      id: collectionReports.id,
      reason: collectionReports.reason,
      reporterEmail: collectionReports.reporterEmail,
      createdAt: collectionReports.createdAt,
      collectionId: collections.id,
      slug: collections.slug,
      title: collections.title,
      hiddenAt: collections.hiddenAt,
    })
    .from(collectionReports)
    .innerJoin(collections, eq(collections.id, collectionReports.collectionId))
    .where(isNull(collectionReports.handledAt))
    .orderBy(collectionReports.createdAt, collectionReports.id)
    .limit(limit);
  const openReports = ctx.db
    .select({ collectionId: collectionReports.collectionId, n: count().as("n") })
    .from(collectionReports)
    .where(isNull(collectionReports.handledAt))
    .groupBy(collectionReports.collectionId)
    .as("open_reports");
  const latest: ModerationCollectionRow[] = await ctx.db
    .select({
      id: collections.id,
      slug: collections.slug,
      title: collections.title,
      goalTitle: en ? goals.titleEn : goals.titleSv,
      ownerEmail: people.email,
      createdAt: collections.createdAt,
      hiddenAt: collections.hiddenAt,
      openReports: sql<number>`coalesce(${openReports.n}, 0)::int`,
    })
    .from(collections)
    .innerJoin(goals, eq(goals.id, collections.goalId))
    .innerJoin(people, eq(people.id, collections.ownerPersonId))
    .leftJoin(openReports, eq(openReports.collectionId, collections.id))
    .orderBy(desc(collections.createdAt), desc(collections.id))
    .limit(limit);
  return { reports: reports.map((r) => ({ ...r, id: r.id.toString() })), collections: latest };
}

/** Staff: one collection with its reports and its gifts' greetings (hidden ones marked). */
export async function collectionForModeration(ctx: ServiceContext, collectionId: number) {
  requireStaffActor(ctx);
  const en = ctx.locale === "en";
  const [collection] = await ctx.db
    .select({
      id: collections.id,
      slug: collections.slug,
      title: collections.title,
      story: collections.story,
      status: collections.status,
      createdAt: collections.createdAt,
      hiddenAt: collections.hiddenAt,
      hiddenReason: collections.hiddenReason,
      goalTitle: en ? goals.titleEn : goals.titleSv,
      ownerEmail: people.email,
    })
    .from(collections)
    .innerJoin(goals, eq(goals.id, collections.goalId))
    .innerJoin(people, eq(people.id, collections.ownerPersonId))
    .where(eq(collections.id, collectionId));
  if (!collection) throw new NotFound();
  const reports = await ctx.db
    .select({ id: collectionReports.id, reason: collectionReports.reason, reporterEmail: collectionReports.reporterEmail, createdAt: collectionReports.createdAt, handledAt: collectionReports.handledAt })
    .from(collectionReports)
    .where(eq(collectionReports.collectionId, collectionId))
    .orderBy(desc(collectionReports.createdAt))
    .limit(200);
  const greetings = await ctx.db
    .select({
      id: payments.id,
      donorName: payments.donorName,
      anonymous: payments.anonymous,
      greeting: payments.greeting,
      paidAt: payments.paidAt,
      greetingHiddenAt: payments.greetingHiddenAt,
      greetingHiddenReason: payments.greetingHiddenReason,
    })
    .from(payments)
    .where(and(eq(payments.collectionId, collectionId), isNotNull(payments.greeting), inArray(payments.status, ["paid", "held"])))
    .orderBy(desc(payments.paidAt))
    .limit(500);
  return {
    collection,
    reports: reports.map((r) => ({ ...r, id: r.id.toString() })),
    greetings: greetings.map((g) => ({ ...g, id: g.id.toString() })),
  };
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Invalid("invalid", fieldErrorCodes(parsed.error));
  return parsed.data;
}

/** Staff hide a collection: 410 to the public, no gifts; its open reports count as handled. */
export async function hideCollection(ctx: ServiceContext, raw: Record<string, unknown>): Promise<void> {
  const staff = requireStaffActor(ctx);
  const input = parse(hideCollectionSchema, raw);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: collections.id, hiddenAt: collections.hiddenAt, slug: collections.slug }).from(collections).where(eq(collections.id, input.collectionId)).for("update");
    if (!row) throw new NotFound();
    if (row.hiddenAt) throw new Conflict("collection_already_hidden");
    const now = new Date();
    await tx.update(collections).set({ hiddenAt: now, hiddenReason: input.reason, hiddenByPersonId: staff.personId, updatedAt: now }).where(eq(collections.id, row.id));
    await tx
      .update(collectionReports)
      .set({ handledAt: now, handledByPersonId: staff.personId })
      .where(and(eq(collectionReports.collectionId, row.id), isNull(collectionReports.handledAt)));
    await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "collection_hidden", details: { collection: row.slug, reason: input.reason } });
  });
}

export async function restoreCollection(ctx: ServiceContext, raw: Record<string, unknown>): Promise<void> {
  requireStaffActor(ctx);
  const input = parse(restoreCollectionSchema, raw);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: collections.id, hiddenAt: collections.hiddenAt, hiddenReason: collections.hiddenReason, slug: collections.slug }).from(collections).where(eq(collections.id, input.collectionId)).for("update");
    if (!row) throw new NotFound();
    if (!row.hiddenAt) throw new Conflict("collection_not_hidden");
    await tx.update(collections).set({ hiddenAt: null, hiddenReason: null, hiddenByPersonId: null, updatedAt: new Date() }).where(eq(collections.id, row.id));
    await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "collection_restored", details: { collection: row.slug, hiddenReason: row.hiddenReason } });
  });
}

/** Staff hide one gift's greeting: gone from every public page and JSON; the gift still counts. */
export async function hideGreeting(ctx: ServiceContext, raw: Record<string, unknown>): Promise<{ collectionId: number | null }> {
  const staff = requireStaffActor(ctx);
  const input = parse(hideGreetingSchema, raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: payments.id, greeting: payments.greeting, hiddenAt: payments.greetingHiddenAt, collectionId: payments.collectionId })
      .from(payments)
      .where(eq(payments.id, BigInt(input.paymentId)))
      .for("update");
    if (!row || !row.greeting) throw new NotFound();
    if (row.hiddenAt) throw new Conflict("greeting_already_hidden");
    const now = new Date();
    await tx.update(payments).set({ greetingHiddenAt: now, greetingHiddenReason: input.reason, greetingHiddenByPersonId: staff.personId, updatedAt: now }).where(eq(payments.id, row.id));
    await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "greeting_hidden", details: { payment: row.id.toString(), reason: input.reason } });
    return { collectionId: row.collectionId };
  });
}

export async function restoreGreeting(ctx: ServiceContext, raw: Record<string, unknown>): Promise<{ collectionId: number | null }> {
  requireStaffActor(ctx);
  const input = parse(restoreGreetingSchema, raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: payments.id, hiddenAt: payments.greetingHiddenAt, reason: payments.greetingHiddenReason, collectionId: payments.collectionId })
      .from(payments)
      .where(eq(payments.id, BigInt(input.paymentId)))
      .for("update");
    if (!row) throw new NotFound();
    if (!row.hiddenAt) throw new Conflict("greeting_not_hidden");
    await tx.update(payments).set({ greetingHiddenAt: null, greetingHiddenReason: null, greetingHiddenByPersonId: null, updatedAt: new Date() }).where(eq(payments.id, row.id));
    await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "greeting_restored", details: { payment: row.id.toString(), hiddenReason: row.reason } });
    return { collectionId: row.collectionId };
  });
}

/** Staff mark a report handled (nothing to do, or dealt with otherwise). */
export async function handleReport(ctx: ServiceContext, raw: Record<string, unknown>): Promise<void> {
  const staff = requireStaffActor(ctx);
  const input = parse(handleReportSchema, raw);
  const done = await ctx.db
    .update(collectionReports)
    .set({ handledAt: new Date(), handledByPersonId: staff.personId })
    .where(and(eq(collectionReports.id, BigInt(input.reportId)), isNull(collectionReports.handledAt)))
    .returning({ id: collectionReports.id });
  if (done.length === 0) {
    const [exists] = await ctx.db.select({ id: collectionReports.id }).from(collectionReports).where(eq(collectionReports.id, BigInt(input.reportId)));
    throw exists ? new Conflict("report_already_handled") : new NotFound();
  }
}

/** The collection the report form is about (public; a hidden one is Gone). */
export async function reportTarget(ctx: ServiceContext, slug: string): Promise<{ slug: string; title: string }> {
  await requireVisibleCollection(ctx.db, slug);
  const [row] = await ctx.db.select({ slug: collections.slug, title: collections.title }).from(collections).where(eq(collections.slug, slug));
  return row;
}
