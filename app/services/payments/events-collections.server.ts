import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "~db/client.server";
import { collections, type PaymentChannel } from "~db/schema";

/**
 * `metadata.collection` on a Stripe payment the app did not start (DESIGN.md): a collection's slug.
 * The payment counts toward that collection and is designated to its goal (over any metadata.goal,
 * which would contradict it); a collection inside a competition credits its team with channel
 * `competition`. Money that already moved is never refused: a gift to a closed collection is still
 * attributed, and flagged for staff by the caller.
 */
export interface CollectionAttribution {
  collectionId: number;
  goalId: number;
  competitionTeamId: number | null;
  channel: PaymentChannel;
  /** The collection no longer takes gifts (closed or ended): attributed anyway, flagged. */
  closed: boolean;
}

export type CollectionLookup = { found: CollectionAttribution } | { unknown: string } | null;

/** Slugs are lower-case ASCII words joined by hyphens (slugify in app/services/collections). */
const slugShape = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;

export async function collectionOfMetadata(tx: Tx, metadata: Stripe.Metadata | null | undefined, now = new Date()): Promise<CollectionLookup> {
  const slug = metadata?.collection?.trim();
  if (!slug) return null;
  if (!slugShape.test(slug)) return { unknown: slug };
  const [row] = await tx
    .select({
      id: collections.id,
      goalId: collections.goalId,
      competitionTeamId: collections.competitionTeamId,
      status: collections.status,
      endsAt: collections.endsAt,
    })
    .from(collections)
    .where(eq(collections.slug, slug))
    .limit(1);
  if (!row) return { unknown: slug };
  return {
    found: {
      collectionId: row.id,
      goalId: row.goalId,
      competitionTeamId: row.competitionTeamId,
      channel: row.competitionTeamId === null ? "collection" : "competition",
      closed: row.status !== "open" || (row.endsAt !== null && row.endsAt.getTime() <= now.getTime()),
    },
  };
}
