import { eq, or, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { collections, ledgerEntries, partnerships, payments } from "~db/schema";
import { isStaffActor, requireOrganisationActor, requirePerson, type ServiceContext } from "~/services/context";
import { Forbidden, NotFound } from "~/services/errors";

/**
 * Money by what it was for (issue 9, item 2): reads over the typed source columns of `payments`,
 * each an index lookup (payments_partnership_idx, payments_collection_idx) joined to the payment's
 * ledger entries (ledger_entries_payment_idx). The ledger, not payments.amount_ore, is what counts:
 * refunds, credit notes and lost disputes lower it, and undesignated money is where it was split.
 */

/** The query behind partnershipMoneyPerGoal (exported for the index test's EXPLAIN). */
export function partnershipMoneyPerGoalQuery(db: Db | Tx, partnershipId: number) {
  return db
    .select({ goalId: ledgerEntries.goalId, netOre: sql<string>`sum(${ledgerEntries.amountOre})::text` })
    .from(payments)
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(eq(payments.partnershipId, partnershipId))
    .groupBy(ledgerEntries.goalId)
    .orderBy(ledgerEntries.goalId);
}

/**
 * What a partnership's payments have brought each goal, net of reversals (goals with entries only).
 * For the partner's contacts, staff and the app itself (certificates, reminders).
 */
export async function partnershipMoneyPerGoal(ctx: ServiceContext, partnershipId: number): Promise<{ goalId: number; netOre: bigint }[]> {
  const system = ctx.actor.kind === "system";
  if (!system) requirePerson(ctx); // an anonymous caller learns nothing, not even whether it exists
  const [partnership] = await ctx.db.select({ organisationId: partnerships.organisationId }).from(partnerships).where(eq(partnerships.id, partnershipId));
  // Only those who could see it learn that it does not exist.
  if (!partnership) throw system || isStaffActor(ctx.actor) ? new NotFound() : new Forbidden();
  if (!system) requireOrganisationActor(ctx, partnership.organisationId);
  const rows = await partnershipMoneyPerGoalQuery(ctx.db, partnershipId);
  return rows.map((r) => ({ goalId: r.goalId, netOre: BigInt(r.netOre) }));
}

/** The query behind collectionTotal: the collection's own payments and its member pages'. */
export function collectionTotalQuery(db: Db | Tx, collectionId: number) {
  const perPayment = db
    .select({ paymentId: ledgerEntries.paymentId, netOre: sql<string>`sum(${ledgerEntries.amountOre})`.as("net_ore") })
    .from(collections)
    .innerJoin(payments, eq(payments.collectionId, collections.id))
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(or(eq(collections.id, collectionId), eq(collections.parentCollectionId, collectionId)))
    .groupBy(ledgerEntries.paymentId)
    .as("per_payment");
  return db
    .select({
      totalOre: sql<string>`coalesce(sum(${perPayment.netOre}), 0)::text`,
      gifts: sql<number>`(count(*) filter (where ${perPayment.netOre} > 0))::int`,
    })
    .from(perPayment);
}

/**
 * A collection's raised total, net of refunds, with its team members' pages, and the number of gifts
 * still standing (a gift refunded in full no longer counts). Public, like the collection page.
 */
export async function collectionTotal(ctx: ServiceContext, collectionId: number): Promise<{ totalOre: bigint; gifts: number }> {
  const [exists] = await ctx.db.select({ id: collections.id }).from(collections).where(eq(collections.id, collectionId));
  if (!exists) throw new NotFound();
  const [row] = await collectionTotalQuery(ctx.db, collectionId);
  return { totalOre: BigInt(row.totalOre), gifts: row.gifts };
}
