import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, partnerships, type PartnershipStatus, type PartnerTierSlug } from "~db/schema";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";

/**
 * A partnership with its partner fee paid through the payments core (channel partner_fee, designated to the
 * partnership's goal, attributed to it), as signup and the invoices do. The partnership row is written
 * directly: these tests are about what its contacts see, not how it came about.
 */
export async function partnershipWithFee(
  db: Db,
  opts: { organisationId: number; goal?: string; tier?: PartnerTierSlug; status?: PartnershipStatus; agreedKr?: number; fees?: { kr: number; paidAt: Date }[]; startsOn?: string; endsOn?: string },
): Promise<{ partnershipId: number; goalId: number; paymentIds: bigint[] }> {
  const [goal] = await db.select({ id: goals.id }).from(goals).where(eq(goals.slug, opts.goal ?? "alla-ar-trygga"));
  const [p] = await db
    .insert(partnerships)
    .values({
      organisationId: opts.organisationId,
      goalId: goal.id,
      tier: opts.tier ?? "vanforetag",
      status: opts.status ?? "active",
      agreedYearlyOre: BigInt((opts.agreedKr ?? 10_000) * 100),
      startsOn: opts.startsOn ?? "2026-01-01",
      endsOn: opts.endsOn ?? "2026-12-31",
    })
    .returning({ id: partnerships.id });
  const paymentIds: bigint[] = [];
  for (const fee of opts.fees ?? []) {
    const paid = await db.transaction(async (tx) => {
      const payment = await recordPayment(tx, {
        channel: "partner_fee",
        amountOre: BigInt(fee.kr * 100),
        goalId: goal.id,
        origin: "app",
        payer: { organisationId: opts.organisationId },
        source: { partnershipId: p.id },
      });
      return markPaymentPaid(tx, payment, { paidAt: fee.paidAt, author: "test" });
    });
    paymentIds.push(paid.id);
  }
  return { partnershipId: p.id, goalId: goal.id, paymentIds };
}

/**
 * What the access matrix needs to reach the partner routes as an allowed caller: a partnership of A with a
 * fee paid this year, its certificate (code for /verify) and an issued bank invoice of A.
 */
export async function partnerRouteFixtures(db: Db, orgA: number, staffPersonId: number): Promise<{ partnershipA: number; certificateYear: number; certificateCode: string; invoiceA: number }> {
  const { issueCertificate } = await import("~/services/partners/certificate.server");
  const { createInvoiceDraft, issueInvoice } = await import("~/services/invoices/invoices.server");
  const { updateCharityIdentity } = await import("~/services/settings/charity.server");
  const { updateCharityBankgiro } = await import("~/services/settings/charity-bankgiro.server");
  const staff = { db, actor: { kind: "person" as const, personId: staffPersonId, email: "matrix-staff@example.com", name: null, roles: ["admin" as const], organisations: [] }, locale: "sv" as const };
  const year = 2026;
  const { partnershipId } = await partnershipWithFee(db, { organisationId: orgA, fees: [{ kr: 1000, paidAt: new Date(`${year}-05-01T10:00:00Z`) }] });
  const certificate = await issueCertificate(staff, partnershipId, year);
  // Made-up identity and a Luhn-valid made-up bankgiro (as tests/invoices/helpers.ts): never the charity's real facts.
  await updateCharityIdentity(staff, { name: "Stödföreningen Hjälpen", organisationNumber: "802005-1952", address: "Storgatan 1, 722 11 Västerås", email: "", phone: "", website: "" });
  await updateCharityBankgiro(staff, { bankgiro: "900-1231" });
  const draft = await createInvoiceDraft(staff, {
    organisationId: String(orgA),
    issueDate: "2026-11-20",
    dueDate: "2026-12-20",
    buyerName: "Organisation A AB (test)",
    buyerOrgNumber: "",
    buyerAddress: "Storgatan 2, 722 11 Västerås",
    buyerEmail: "faktura@example.com",
    buyerReference: "",
    delivery: "bank",
    channel: "partner_fee",
    lines: [{ text: "Partneravgift", amount: "1000", goal: "" }],
  });
  const invoice = await issueInvoice(staff, draft.id);
  return { partnershipA: partnershipId, certificateYear: year, certificateCode: certificate.code, invoiceA: invoice.id };
}
