import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { collections, payments, type Payment } from "~db/schema";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";
import { goalId, unique } from "../factories";

/** A collection row as collect's create would leave it (tests of the owner and moderation services). */
export async function makeCollection(db: Db, ownerPersonId: number, over: Partial<typeof collections.$inferInsert> = {}) {
  const [row] = await db
    .insert(collections)
    .values({ slug: `insamling-${unique()}`, title: "Springet för psykisk hälsa", story: "Jag springer.\n\nFör samtalsstöd.", goalId: await goalId(db, "ingen-psykisk-ohalsa"), ownerPersonId, targetOre: 1_000_00n, ...over })
    .returning();
  return row;
}

/** A paid gift to a collection through the payments core, with the donor's choices on the donor wall. */
export async function giveTo(
  db: Db,
  collection: { id: number; goalId: number },
  kronor: number,
  donor: { name?: string; anonymous?: boolean; greeting?: string | null; showAmount?: boolean } = {},
): Promise<Payment> {
  return db.transaction(async (tx) => {
    const row = await recordPayment(tx, { channel: "collection", goalId: collection.goalId, origin: "app", amountOre: BigInt(kronor * 100), payer: { name: donor.name ?? "Givare", email: `givare-${unique()}@example.com` }, source: { collectionId: collection.id } });
    const [withChoices] = await tx
      .update(payments)
      .set({ anonymous: donor.anonymous ?? false, greeting: donor.greeting ?? null, showAmount: donor.showAmount ?? true })
      .where(eq(payments.id, row.id))
      .returning();
    return markPaymentPaid(tx, withChoices, { paidAt: new Date(), author: "test" });
  });
}
