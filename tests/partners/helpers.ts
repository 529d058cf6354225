import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { partnerships, partnerTiers, type Partnership } from "~db/schema";
import type { Actor, ServiceContext } from "~/services/context";
import { recordPayment, markPaymentPaid } from "~/services/payments/core.server";
import { createPartnership, type PartnershipInput } from "~/services/partners/partnerships.server";
import { createOrganisation, createStaff, goalId } from "../factories";

export const systemActor: Actor = { kind: "system", name: "test" };

/** A staff member (fundraiser unless told) as a service context. */
export async function staffCtx(db: Db, role: "admin" | "fundraiser" = "fundraiser"): Promise<ServiceContext> {
  const staff = await createStaff(db, role);
  return { db, locale: "sv", actor: { kind: "person", personId: staff.id, email: staff.email, name: staff.name, roles: [role], organisations: [] } };
}

export async function setTierMinimum(db: Db, tier: string, ore: bigint | null): Promise<void> {
  await db.update(partnerTiers).set({ minYearlyOre: ore }).where(eq(partnerTiers.slug, tier));
}

/** A partnership in negotiation (a new organisation with one admin contact unless given), vänföretag of Alla är trygga for 2026. */
export async function negotiating(db: Db, over: Partial<PartnershipInput> & { goal?: string } = {}): Promise<Partnership> {
  const { goal = "alla-ar-trygga", ...rest } = over;
  const organisationId = rest.organisationId ?? (await createOrganisation(db, {}, { contacts: 1 })).id;
  const input: PartnershipInput = {
    organisationId,
    goalId: await goalId(db, goal),
    tier: "vanforetag",
    agreedYearlyOre: 1_000_000n,
    startsOn: "2026-01-01",
    endsOn: "2026-12-31",
    status: "negotiating",
    ...rest,
  };
  return db.transaction((tx) => createPartnership(tx, input, systemActor));
}

/** A partner fee paid for the partnership through the payments core (as /partners/join or an invoice does). */
export async function payFee(db: Db, p: Partnership, amountOre: bigint = p.agreedYearlyOre ?? 0n): Promise<void> {
  await db.transaction(async (tx) => {
    const payment = await recordPayment(tx, {
      channel: "partner_fee",
      amountOre,
      goalId: p.goalId,
      origin: "bank",
      method: "bank_transfer",
      payer: { organisationId: p.organisationId },
      source: { partnershipId: p.id },
    });
    await markPaymentPaid(tx, payment, { paidAt: new Date(), author: "test" });
  });
}

export async function reload(db: Db, id: number): Promise<Partnership> {
  const [row] = await db.select().from(partnerships).where(eq(partnerships.id, id));
  return row;
}

export { goalId };

/** A valid organisationsnummer (Luhn over the first nine digits), distinct per `n` (0…99999). */
export function orgNumber(n: number): string {
  const nine = `5560${String(n).padStart(5, "0")}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`;
}
