import { and, desc, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import { collections, goals, ledgerEntries, payments, type Collection } from "~db/schema";
import { jsonRows } from "~db/json-rows";

/**
 * Collections (issue 12): the public reads other areas build on (owner views, competitions, the goal
 * page). Money comes from the ledger, not payments.amount_ore: refunds and lost disputes lower it.
 */

export interface CollectionTotal {
  /** Net of refunds, credit notes and lost disputes; a team's includes its member pages. */
  raisedOre: bigint;
  /** Gifts still standing: a gift refunded in full no longer counts. */
  giftCount: number;
}

/** The collection at /c/<slug> with its goal's slug and number, or null. A hidden one is returned (hiddenAt set): the caller answers 410. */
export async function getCollectionBySlug(db: Db | Tx, slug: string): Promise<(Collection & { goalSlug: string; goalNumber: number }) | null> {
  const [row] = await db
    .select({ collection: collections, goalSlug: goals.slug, goalNumber: goals.number })
    .from(collections)
    .innerJoin(goals, eq(goals.id, collections.goalId))
    .where(eq(collections.slug, slug))
    .limit(1);
  return row ? { ...row.collection, goalSlug: row.goalSlug, goalNumber: row.goalNumber } : null;
}

/**
 * Totals of several collections at once (one query): id → total. Every id asked for is in the map
 * (zero when nothing came in). A payment on a member page counts for the member page and for its team.
 */
export async function collectionTotals(db: Db | Tx, collectionIds: readonly number[]): Promise<Map<number, CollectionTotal>> {
  const out = new Map<number, CollectionTotal>();
  const ids = [...new Set(collectionIds)];
  for (const id of ids) out.set(id, { raisedOre: 0n, giftCount: 0 });
  if (ids.length === 0) return out;
  // Per payment first (a payment may have entries on several goals only if undesignated; collection
  // gifts are designated, but the sum per payment is right either way), then per collection.
  const perPayment = db
    .select({
      collectionId: payments.collectionId,
      netOre: sql<string>`sum(${ledgerEntries.amountOre})`.as("net_ore"),
    })
    .from(payments)
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(
      inArray(
        payments.collectionId,
        db
          .select({ id: collections.id })
          .from(collections)
          .where(or(inArray(collections.id, ids), inArray(collections.parentCollectionId, ids))),
      ),
    )
    .groupBy(payments.id, payments.collectionId)
    .as("per_payment");
  const rows = await db
    .select({
      collectionId: collections.id,
      parentId: collections.parentCollectionId,
      raisedOre: sql<string>`coalesce(sum(${perPayment.netOre}), 0)::text`,
      giftCount: sql<number>`(count(*) filter (where ${perPayment.netOre} > 0))::int`,
    })
    .from(perPayment)
    .innerJoin(collections, eq(collections.id, perPayment.collectionId))
    .groupBy(collections.id, collections.parentCollectionId);
  for (const row of rows) {
    for (const target of [row.collectionId, row.parentId]) {
      const total = target === null ? undefined : out.get(target);
      if (!total) continue;
      total.raisedOre += BigInt(row.raisedOre);
      total.giftCount += row.giftCount;
    }
  }
  return out;
}

export interface GoalCollection {
  id: number;
  slug: string;
  title: string;
  raisedOre: bigint;
  targetOre: bigint | null;
  giftCount: number;
  endsAt: Date | null;
}

/** Whether a collection takes gifts now: open, not past its end, not hidden by staff. */
export function collectionIsActive(c: Pick<Collection, "status" | "endsAt" | "hiddenAt">, now = new Date()): boolean {
  return c.status === "open" && c.hiddenAt === null && (c.endsAt === null || c.endsAt.getTime() > now.getTime());
}

/**
 * A goal's active collections (open, not ended, not hidden), most raised first. Member pages are
 * left out: their money is in their team's total, which is listed.
 */
export async function collectionsForGoal(db: Db | Tx, goalId: number, now = new Date()): Promise<GoalCollection[]> {
  // Prepared: every goal page reads it (issue 10 item 6). The time goes in as ISO text: a
  // placeholder's value skips the column's Date mapping.
  const rows = await preparedQuery(db, "goal_collections", (d) =>
    d
      .select({ id: collections.id, slug: collections.slug, title: collections.title, targetOre: collections.targetOre, endsAt: collections.endsAt })
      .from(collections)
      .where(
        and(
          eq(collections.goalId, sql.placeholder("goalId")),
          eq(collections.status, "open"),
          isNull(collections.parentCollectionId),
          isNull(collections.hiddenAt),
          or(isNull(collections.endsAt), gt(collections.endsAt, sql.placeholder("now"))),
        ),
      )
      .orderBy(desc(collections.createdAt))
      .prepare("goal_collections"),
  ).execute({ goalId, now: now.toISOString() });
  const totals = await collectionTotals(
    db,
    rows.map((r) => r.id),
  );
  return mostRaisedFirst(rows.map((r) => ({ ...r, raisedOre: totals.get(r.id)!.raisedOre, giftCount: totals.get(r.id)!.giftCount })));
}

function mostRaisedFirst<C extends { id: number; raisedOre: bigint }>(list: C[]): C[] {
  return list.sort((a, b) => (a.raisedOre === b.raisedOre ? a.id - b.id : a.raisedOre > b.raisedOre ? -1 : 1));
}

/** What the give page shows for /give?collection=<slug>: null for an unknown or hidden one (the form then refuses it). */
export async function collectionToGive(db: Db | Tx, slug: string, locale: "sv" | "en") {
  // One prepared statement with the goal's titles (it was two, the second for the titles): issue 10 item 6.
  const [c] = await preparedQuery(db, "collection_to_give", (d) =>
    d
      .select({
        slug: collections.slug,
        title: collections.title,
        status: collections.status,
        endsAt: collections.endsAt,
        hiddenAt: collections.hiddenAt,
        goalSlug: goals.slug,
        goalNumber: goals.number,
        goalTitleSv: goals.titleSv,
        goalTitleEn: goals.titleEn,
      })
      .from(collections)
      .innerJoin(goals, eq(goals.id, collections.goalId))
      .where(eq(collections.slug, sql.placeholder("slug")))
      .limit(1)
      .prepare("collection_to_give"),
  ).execute({ slug: slug.trim().slice(0, 100).toLowerCase() });
  if (!c || c.hiddenAt !== null) return null;
  return {
    slug: c.slug,
    title: c.title,
    goalSlug: c.goalSlug,
    goalNumber: c.goalNumber,
    goalTitle: locale === "en" ? c.goalTitleEn : c.goalTitleSv,
    active: collectionIsActive(c),
  };
}

/** collectionsForGoal for the goal page: öre as strings (bigint does not cross JSON). */
export async function goalCollectionItems(db: Db | Tx, goalId: number) {
  return (await collectionsForGoal(db, goalId)).map(collectionItem);
}
export type GoalCollectionItem = ReturnType<typeof collectionItem>;

function collectionItem(c: Pick<GoalCollection, "slug" | "title" | "raisedOre" | "targetOre">) {
  return { slug: c.slug, title: c.title, raisedOre: c.raisedOre.toString(), targetOre: c.targetOre === null ? null : c.targetOre.toString() };
}

const gc = alias(collections, "goal_c");
const member = alias(collections, "goal_c_member");
const gp = alias(payments, "goal_c_p");
const ge = alias(ledgerEntries, "goal_c_e");

/**
 * goalCollectionItems as a column of the goal page's one statement (goals/goal-page.server.ts): the
 * collections collectionsForGoal lists, each with collectionTotals' raisedOre (the ledger's net of the
 * payments made through it or through one of its member pages), as json. `goalId` is the goal's id
 * column of the outer query, `now` a placeholder (ISO text).
 */
export function goalCollectionsColumn(goalId: SQL, now: SQL) {
  return sql<unknown>`(select json_agg(json_build_object('id', ${gc.id}, 'slug', ${gc.slug}, 'title', ${gc.title}, 'targetOre', ${gc.targetOre}::text,
      'raisedOre', (select coalesce(sum(${ge.amountOre}), 0)::text from ${payments} ${gp} join ${ledgerEntries} ${ge} on ${ge.paymentId} = ${gp.id}
        where ${gp.collectionId} in (select ${member.id} from ${collections} ${member} where ${member.id} = ${gc.id} or ${member.parentCollectionId} = ${gc.id}))))
    from ${collections} ${gc}
    where ${gc.goalId} = ${goalId} and ${gc.status} = 'open' and ${gc.parentCollectionId} is null and ${gc.hiddenAt} is null
      and (${gc.endsAt} is null or ${gc.endsAt} > ${now}))`;
}

/** goalCollectionItems' result from goalCollectionsColumn's json. */
export function goalCollectionItemsFromJson(json: unknown): GoalCollectionItem[] {
  const rows = jsonRows<{ id: number; slug: string; title: string; targetOre: string | null; raisedOre: string }>(json);
  return mostRaisedFirst(rows.map((r) => ({ ...r, raisedOre: BigInt(r.raisedOre), targetOre: r.targetOre === null ? null : BigInt(r.targetOre) }))).map(collectionItem);
}
