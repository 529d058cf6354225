import { desc } from "drizzle-orm";
import { stripePayouts } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";

export interface PayoutSummary {
  id: string;
  arrivalDate: string;
  status: string;
  amountOre: bigint;
  grossOre: bigint;
  feeOre: bigint;
  transactions: number;
  unmatched: number;
}

/** Staff: the latest payouts Stripe reported, newest arrival first (the panel on /admin/exports). */
export async function recentPayouts(ctx: ServiceContext, limit = 12): Promise<PayoutSummary[]> {
  requireStaffActor(ctx);
  return ctx.db
    .select({
      id: stripePayouts.id,
      arrivalDate: stripePayouts.arrivalDate,
      status: stripePayouts.status,
      amountOre: stripePayouts.amountOre,
      grossOre: stripePayouts.grossOre,
      feeOre: stripePayouts.feeOre,
      transactions: stripePayouts.transactions,
      unmatched: stripePayouts.unmatched,
    })
    .from(stripePayouts)
    .orderBy(desc(stripePayouts.arrivalDate), desc(stripePayouts.recordedAt))
    .limit(limit);
}
