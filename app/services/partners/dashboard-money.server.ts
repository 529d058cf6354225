import { eq, inArray, or, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { ledgerEntries, partnerships, payments } from "~db/schema";

/**
 * An organisation's money as the ledger has it: the entries of every payment it made (payments.organisation_id,
 * a company invoice or a card fee) or that was made for one of its partnerships (payments.partnership_id),
 * so refunds and credit notes are already taken off and undesignated money counts where it was split.
 * Internal reads: the calling service has checked the actor for the organisation.
 *
 * A payment belongs to the calendar year in which it was paid, in Swedish time (a fee paid at 00:30 on
 * 1 January counts for the new year); its later reversals are taken off that same year, so a certificate's
 * "paid in 2026" is what the 2026 payments finally brought, whenever a refund came.
 */
const paymentYear = sql<number>`extract(year from coalesce(${payments.paidAt}, ${payments.createdAt}) at time zone 'Europe/Stockholm')::int`;

/** Per partnership and year: net öre (only partnerships with ledger money appear). */
export async function moneyByPartnershipYear(db: Db | Tx, partnershipIds: number[]): Promise<{ partnershipId: number; year: number; netOre: bigint }[]> {
  if (partnershipIds.length === 0) return [];
  const rows = await db
    .select({ partnershipId: payments.partnershipId, year: paymentYear, netOre: sql<string>`sum(${ledgerEntries.amountOre})::text` })
    .from(payments)
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(inArray(payments.partnershipId, partnershipIds))
    .groupBy(payments.partnershipId, paymentYear);
  return rows.map((r) => ({ partnershipId: r.partnershipId as number, year: Number(r.year), netOre: BigInt(r.netOre) }));
}

/** Per goal: what the organisation's payments brought in `year` and in all (goals with ledger money only). */
export async function organisationMoneyPerGoal(db: Db | Tx, organisationId: number, year: number): Promise<{ goalId: number; yearOre: bigint; totalOre: bigint }[]> {
  const ownPartnerships = db.select({ id: partnerships.id }).from(partnerships).where(eq(partnerships.organisationId, organisationId));
  const rows = await db
    .select({
      goalId: ledgerEntries.goalId,
      yearOre: sql<string>`coalesce(sum(${ledgerEntries.amountOre}) filter (where ${paymentYear} = ${year}), 0)::text`,
      totalOre: sql<string>`sum(${ledgerEntries.amountOre})::text`,
    })
    .from(payments)
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(or(eq(payments.organisationId, organisationId), inArray(payments.partnershipId, ownPartnerships)))
    .groupBy(ledgerEntries.goalId)
    .orderBy(ledgerEntries.goalId);
  return rows.map((r) => ({ goalId: r.goalId, yearOre: BigInt(r.yearOre), totalOre: BigInt(r.totalOre) }));
}

