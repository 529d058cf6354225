import { createHash } from "node:crypto";
import { and, asc, eq, inArray, like, or } from "drizzle-orm";
import { collectionImages, collections, goals, organisations } from "~db/schema";
import { requirePerson, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, ServiceError } from "~/services/errors";
import { COLLECTION_IMAGE_MAX_BYTES, collectionSchema } from "~/validation/collections";
import { imageTypeOf } from "./image";
import { slugCandidate, slugify } from "./slug";
import { stockholmEndOf } from "~/utils/dates";

/** Starting a collection (issue 12, item 1): a signed-in person, a goal, a story, maybe an image. */

/** The address asked for is someone else's collection's already. */
export class SlugTaken extends ServiceError {
  constructor() {
    super(409, "slug_taken", { slug: "slug_taken" });
  }
}

export interface NewCollectionInput {
  /** The form's text fields as sent (title, story, goal, target, endsOn, organisation, slug). */
  fields: Record<string, unknown>;
  /** The uploaded image's bytes (none, or an empty file input: no image). */
  image?: Uint8Array | null;
}

/** What the form offers the person: the goals, and the organisations they are a contact of. */
export async function newCollectionOptions(ctx: ServiceContext) {
  const person = requirePerson(ctx);
  const goalRows = await ctx.db.select({ slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  const orgIds = person.organisations.map((o) => o.organisationId);
  const orgRows = orgIds.length
    ? await ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds)).orderBy(asc(organisations.name))
    : [];
  return {
    goals: goalRows.map((g) => ({ slug: g.slug, number: g.number, title: ctx.locale === "en" ? g.titleEn : g.titleSv })),
    organisations: orgRows,
  };
}

/**
 * Checks everything first (every field's message at once), then writes the image and the collection
 * in one transaction. A slug typed by the person that is taken is refused next to the field; one made
 * from the title gets the first free suffix (-2, -3, …).
 */
export async function createCollection(ctx: ServiceContext, input: NewCollectionInput): Promise<{ id: number; slug: string }> {
  const person = requirePerson(ctx);
  const parsed = collectionSchema.safeParse(input.fields);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrorCodes(parsed.error);
  const bytes = input.image && input.image.byteLength > 0 ? input.image : null;
  const imageType = bytes ? imageTypeOf(bytes) : null;
  if (bytes && bytes.byteLength > COLLECTION_IMAGE_MAX_BYTES) errors.image = "image_too_big";
  else if (bytes && !imageType) errors.image = "image_type";
  const v = parsed.success ? parsed.data : null;
  let goalId: number | null = null;
  if (v) {
    const [goal] = await ctx.db.select({ id: goals.id }).from(goals).where(eq(goals.slug, v.goal)).limit(1);
    if (goal) goalId = goal.id;
    else errors.goal = "goal_unknown";
    if (v.organisation !== null && !person.organisations.some((o) => o.organisationId === v.organisation)) errors.organisation = "organisation_not_yours";
  }
  if (!v || goalId === null || Object.keys(errors).length) throw new Invalid("collection_invalid", errors);

  const base = v.slug || slugify(v.title);
  return ctx.db.transaction(async (tx) => {
    let imageId: number | null = null;
    if (bytes && imageType) {
      const [image] = await tx
        .insert(collectionImages)
        .values({ contentType: imageType, dataBase64: Buffer.from(bytes).toString("base64"), byteSize: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") })
        .returning({ id: collectionImages.id });
      imageId = image.id;
    }
    const values = {
      title: v.title,
      story: v.story,
      goalId,
      ownerPersonId: person.personId,
      organisationId: v.organisation,
      targetOre: v.target,
      endsAt: v.endsOn ? stockholmEndOf(v.endsOn) : null,
    };
    const taken = new Set(
      (await tx.select({ slug: collections.slug }).from(collections).where(or(eq(collections.slug, base), like(collections.slug, `${base}-%`)))).map((r) => r.slug),
    );
    if (v.slug && taken.has(base)) throw new SlugTaken();
    // Another person may take a free candidate between the read and the insert: then the next one.
    for (let n = 1; n < 1000; n++) {
      const slug = slugCandidate(base, n);
      if (taken.has(slug)) continue;
      const [row] = await tx.insert(collections).values({ ...values, slug, imageId }).onConflictDoNothing({ target: collections.slug }).returning({ id: collections.id, slug: collections.slug });
      if (row) return row;
      if (v.slug) throw new SlugTaken();
    }
    throw new SlugTaken();
  });
}

/** A collection's image for /c/<slug>/image (public like the page; null when it has none). */
export async function collectionImage(ctx: ServiceContext, slug: string) {
  const [row] = await ctx.db
    .select({ contentType: collectionImages.contentType, dataBase64: collectionImages.dataBase64, sha256: collectionImages.sha256 })
    .from(collections)
    .innerJoin(collectionImages, eq(collectionImages.id, collections.imageId))
    .where(and(eq(collections.slug, slug)))
    .limit(1);
  return row ? { contentType: row.contentType, bytes: Buffer.from(row.dataBase64, "base64"), etag: `"${row.sha256}"` } : null;
}
