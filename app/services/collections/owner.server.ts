import { createHash } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { collectionImages, collectionMilestones, collections, collectionSummaries, goals, payments, type Collection } from "~db/schema";
import { isStaffActor, requirePerson, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Forbidden, Invalid, NotFound } from "~/services/errors";
import { enqueueJob } from "~/services/jobs/jobs.server";
import { COLLECTION_IMAGE_MAX_BYTES } from "~/validation/collections";
import { collectionEditSchema, thankYouSchema } from "~/validation/collection-owner";
import { collectionTotals } from "./collections.server";
import { stockholmEndOf } from "~/utils/dates";
import { imageTypeOf } from "./image";
import { COLLECTION_PROGRESS_JOB } from "./owner-jobs.server";

/**
 * The owner's view of a collection (issue 12 item 4): totals, gifts, the thank-you message, editing,
 * closing early. Only its owner, and staff, may use these: each function checks that itself.
 */

/** Ended: closed (early, by its owner) or past its end date. */
export function collectionHasEnded(c: Pick<Collection, "status" | "endsAt">, now = new Date()): boolean {
  return c.status === "closed" || (c.endsAt !== null && c.endsAt.getTime() <= now.getTime());
}

/** The collection at `slug`, if the actor is its owner or staff; NotFound / Forbidden otherwise. */
async function ownedCollection(ctx: ServiceContext, db: Db | Tx, slug: string, opts: { lock?: boolean } = {}): Promise<Collection> {
  const person = requirePerson(ctx);
  const query = db.select().from(collections).where(eq(collections.slug, slug));
  const [row] = opts.lock ? await query.for("update") : await query;
  if (!row) throw new NotFound();
  if (row.ownerPersonId !== person.personId && !isStaffActor(person)) throw new Forbidden("not_collection_owner");
  return row;
}

/** The signed-in person's own collections, newest first, with their totals. */
export async function myCollections(ctx: ServiceContext) {
  const person = requirePerson(ctx);
  const rows = await ctx.db
    .select({
      id: collections.id,
      slug: collections.slug,
      title: collections.title,
      status: collections.status,
      endsAt: collections.endsAt,
      targetOre: collections.targetOre,
      hiddenAt: collections.hiddenAt,
      createdAt: collections.createdAt,
    })
    .from(collections)
    .where(eq(collections.ownerPersonId, person.personId))
    .orderBy(desc(collections.createdAt), desc(collections.id));
  const totals = await collectionTotals(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, ended: collectionHasEnded(r), hidden: r.hiddenAt !== null, raisedOre: totals.get(r.id)!.raisedOre, giftCount: totals.get(r.id)!.giftCount }));
}

export interface OwnerGift {
  id: string;
  /** The donor's name, or null when they gave anonymously (the page shows "Anonym"). */
  name: string | null;
  /** Net of refunds; null when the donor chose not to show the amount. */
  amountOre: bigint | null;
  /** Null when there is none or staff hid it (`greetingHidden`). */
  greeting: string | null;
  greetingHidden: boolean;
  paidAt: Date | null;
  /** The member page it was given through, for a team (null: the collection itself). */
  memberTitle: string | null;
}

/** One collection for its owner (or staff): facts, totals, gifts newest first, milestones told. */
export async function ownerCollection(ctx: ServiceContext, slug: string) {
  const c = await ownedCollection(ctx, ctx.db, slug);
  const [goal] = await ctx.db.select({ slug: goals.slug, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).where(eq(goals.id, c.goalId));
  const total = (await collectionTotals(ctx.db, [c.id])).get(c.id)!;
  const members = await ctx.db.select({ id: collections.id, title: collections.title }).from(collections).where(eq(collections.parentCollectionId, c.id));
  const memberTitles = new Map(members.map((m) => [m.id, m.title]));
  const net = sql<string>`(${payments.amountOre} - ${payments.refundedOre} - ${payments.creditedOre})::text`;
  const rows = await ctx.db
    .select({
      id: payments.id,
      collectionId: payments.collectionId,
      donorName: payments.donorName,
      anonymous: payments.anonymous,
      showAmount: payments.showAmount,
      netOre: net,
      greeting: payments.greeting,
      greetingHiddenAt: payments.greetingHiddenAt,
      paidAt: payments.paidAt,
    })
    .from(payments)
    .where(and(inArray(payments.collectionId, [c.id, ...memberTitles.keys()]), eq(payments.status, "paid"), sql`${payments.amountOre} - ${payments.refundedOre} - ${payments.creditedOre} > 0`))
    .orderBy(desc(payments.paidAt), desc(payments.id))
    .limit(1000);
  const gifts: OwnerGift[] = rows.map((r) => ({
    id: r.id.toString(),
    name: r.anonymous ? null : r.donorName,
    amountOre: r.showAmount ? BigInt(r.netOre) : null,
    greeting: r.greetingHiddenAt ? null : r.greeting,
    greetingHidden: r.greetingHiddenAt !== null && !!r.greeting,
    paidAt: r.paidAt,
    memberTitle: r.collectionId === c.id ? null : (memberTitles.get(r.collectionId!) ?? null),
  }));
  const milestones = await ctx.db.select({ percent: collectionMilestones.percent, sentAt: collectionMilestones.sentAt }).from(collectionMilestones).where(eq(collectionMilestones.collectionId, c.id)).orderBy(collectionMilestones.percent);
  const [summary] = await ctx.db.select({ sentAt: collectionSummaries.sentAt }).from(collectionSummaries).where(eq(collectionSummaries.collectionId, c.id));
  return {
    collection: {
      id: c.id,
      slug: c.slug,
      title: c.title,
      story: c.story,
      targetOre: c.targetOre,
      endsAt: c.endsAt,
      status: c.status,
      hasImage: c.imageId !== null,
      thankYouMessage: c.thankYouMessage,
      hiddenAt: c.hiddenAt,
      ended: collectionHasEnded(c),
      goalSlug: goal.slug,
      goalTitle: ctx.locale === "en" ? goal.titleEn : goal.titleSv,
    },
    raisedOre: total.raisedOre,
    giftCount: total.giftCount,
    gifts,
    milestones,
    summarySentAt: summary?.sentAt ?? null,
  };
}
export { endDateOf } from "./end-date";

export interface CollectionEditInput {
  fields: Record<string, unknown>;
  image?: Uint8Array | null;
}

/** The owner edits the texts, target, end date and image, by the rules of starting one; not once it has ended. */
export async function updateCollection(ctx: ServiceContext, slug: string, input: CollectionEditInput): Promise<void> {
  requirePerson(ctx);
  const parsed = collectionEditSchema.safeParse(input.fields);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrorCodes(parsed.error);
  const bytes = input.image && input.image.byteLength > 0 ? input.image : null;
  const imageType = bytes ? imageTypeOf(bytes) : null;
  if (bytes && bytes.byteLength > COLLECTION_IMAGE_MAX_BYTES) errors.image = "image_too_big";
  else if (bytes && !imageType) errors.image = "image_type";
  // Access first: a stranger learns nothing from the field messages.
  await ownedCollection(ctx, ctx.db, slug);
  if (!parsed.success || Object.keys(errors).length) throw new Invalid("collection_invalid", errors);
  const v = parsed.data;
  await ctx.db.transaction(async (tx) => {
    const c = await ownedCollection(ctx, tx, slug, { lock: true });
    if (collectionHasEnded(c)) throw new Conflict("collection_ended");
    let imageId = v.removeImage ? null : c.imageId;
    if (bytes && imageType) {
      const [image] = await tx
        .insert(collectionImages)
        .values({ contentType: imageType, dataBase64: Buffer.from(bytes).toString("base64"), byteSize: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") })
        .returning({ id: collectionImages.id });
      imageId = image.id;
    }
    await tx
      .update(collections)
      .set({ title: v.title, story: v.story, targetOre: v.target, endsAt: v.endsOn ? stockholmEndOf(v.endsOn) : null, imageId, updatedAt: new Date() })
      .where(eq(collections.id, c.id));
  });
}

/** The owner's thank-you to donors (empty removes it); shown on the page and in later receipts. */
export async function setThankYouMessage(ctx: ServiceContext, slug: string, raw: Record<string, unknown>): Promise<void> {
  requirePerson(ctx);
  await ownedCollection(ctx, ctx.db, slug);
  const parsed = thankYouSchema.safeParse(raw);
  if (!parsed.success) throw new Invalid("invalid", fieldErrorCodes(parsed.error));
  const message = parsed.data.thankYouMessage || null;
  await ctx.db.update(collections).set({ thankYouMessage: message, updatedAt: new Date() }).where(eq(collections.slug, slug));
}

/**
 * The owner closes the collection early: it takes no more gifts, and the end summary is sent (the
 * progress job runs at once for it; the summary's own row makes it once whoever runs it).
 */
export async function closeCollection(ctx: ServiceContext, slug: string): Promise<void> {
  requirePerson(ctx);
  await ctx.db.transaction(async (tx) => {
    const c = await ownedCollection(ctx, tx, slug, { lock: true });
    if (collectionHasEnded(c)) throw new Conflict("collection_ended");
    await tx.update(collections).set({ status: "closed", updatedAt: new Date() }).where(eq(collections.id, c.id));
    await enqueueJob(tx, { kind: COLLECTION_PROGRESS_JOB, dedupeKey: `closed:${c.id}` });
  });
}

