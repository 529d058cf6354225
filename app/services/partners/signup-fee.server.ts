import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, invoiceLines, invoices, organisations, partnerSignups, partnerships, partnerTiers, people, staffRoles, stripeInvoiceDeliveries, type Invoice, type Payment } from "~db/schema";
import type { SignupStep } from "~emails/partner-signup";
import type { Actor } from "~/services/context";
import { enqueueEmailWithAttachments } from "~/services/email/attachments.server";
import { enqueueEmail } from "~/services/email/outbox.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { assignNumber, invoiceEmailProps, invoiceSeller, renderInvoicePdf } from "~/services/invoices/invoices-send.server";
import { invoiceSettingsProblem } from "~/services/invoices/invoice-pdf.server";
import type { WriteBatch } from "~/services/payments/deferred-writes.server";
import { activateIfReady, partnershipPaidOre } from "~/services/partners/partnerships.server";
import { env } from "~/utils/env.server";

/**
 * The partner fee (issue 11 item 6) and the sign-up's emails. A fee is paid through the payments
 * core like any money: by card, a Checkout payment of channel partner_fee with the partnership set
 * (signup.server.ts records it); by invoice, an invoice of channel partner_fee whose line carries the
 * goal and whose `partnership_id` registerInvoicePayment copies onto each payment. Either way, once
 * money lands, `onPartnerFeePaid` (one hook in the Checkout handler and in registerInvoicePayment)
 * tells the partner and staff and makes the partnership active when it is also signed off.
 */

const DAY_MS = 86_400_000;
/** How long a signed-up company has to pay its invoice. */
export const SIGNUP_INVOICE_DAYS = 30;

/** The facts every step's email needs, from the partnership and its sign-up row (null: not a sign-up). */
async function signupFacts(tx: Tx, partnershipId: number) {
  const [row] = await tx
    .select({ signup: partnerSignups, partnership: partnerships, company: organisations.name, goalSv: goals.titleSv, goalEn: goals.titleEn, tierSv: partnerTiers.nameSv, tierEn: partnerTiers.nameEn })
    .from(partnerSignups)
    .innerJoin(partnerships, eq(partnerships.id, partnerSignups.partnershipId))
    .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
    .innerJoin(goals, eq(goals.id, partnerships.goalId))
    .innerJoin(partnerTiers, eq(partnerTiers.slug, partnerships.tier))
    .where(eq(partnerSignups.partnershipId, partnershipId));
  return row ?? null;
}
type SignupFacts = NonNullable<Awaited<ReturnType<typeof signupFacts>>>;

/** Everyone with a staff role (admin, fundraiser): they are told of each step. */
async function staffEmails(tx: Tx): Promise<string[]> {
  const rows = await tx.selectDistinct({ email: people.email }).from(staffRoles).innerJoin(people, eq(people.id, staffRoles.personId));
  return rows.map((r) => r.email).sort();
}

/**
 * One step's emails, to the sign-up's contact and to staff, through the outbox in the caller's
 * transaction. Once per sign-up, step and recipient (dedupe key), so an event delivered twice or
 * a second instalment of an invoice does not say it twice.
 */
export async function notifySignupStep(tx: Tx, facts: SignupFacts, step: SignupStep, extra: { invoiceNumber?: string | null } = {}): Promise<void> {
  const { signup, partnership } = facts;
  const base = env().appUrl;
  const props = (locale: "sv" | "en") => ({
    step,
    companyName: facts.company,
    goalTitle: locale === "en" ? facts.goalEn : facts.goalSv,
    tierName: locale === "en" ? facts.tierEn : facts.tierSv,
    amountOre: (partnership.agreedYearlyOre ?? 0n).toString(),
    paymentMethod: signup.paymentMethod,
    invoiceNumber: extra.invoiceNumber ?? null,
  });
  const partnerLocale = signup.locale === "en" ? "en" : "sv";
  await enqueueEmail(tx, {
    to: signup.contactEmail,
    template: "partner-signup",
    locale: partnerLocale,
    props: { ...props(partnerLocale), audience: "partner", url: `${base}/partner` },
    dedupeKey: `partner-signup:${signup.id}:${step}:partner`,
  });
  for (const email of await staffEmails(tx)) {
    await enqueueEmail(tx, {
      to: email,
      template: "partner-signup",
      locale: "sv",
      props: { ...props("sv"), audience: "staff", url: `${base}/admin/partnerships/${partnership.id}` },
      dedupeKey: `partner-signup:${signup.id}:${step}:staff:${email}`,
    });
  }
}

export async function notifySignupStepFor(tx: Tx, partnershipId: number, step: SignupStep, extra: { invoiceNumber?: string | null } = {}): Promise<void> {
  const facts = await signupFacts(tx, partnershipId);
  if (facts) await notifySignupStep(tx, facts, step, extra);
}

/**
 * Money for a partnership has landed (a Checkout payment of channel partner_fee, or a payment of its
 * invoice), inside the transaction that booked it. When what has come in reaches the agreed fee, the
 * partner and staff are told, and the partnership becomes active if it is signed off too
 * (activateIfReady, which the sign-off calls as well). On the Stripe path the batch's pending writes
 * go first, so the sums read here include this payment.
 */
export async function onPartnerFeePaid(tx: Tx, partnershipId: number, opts: { author: string; batch?: WriteBatch }): Promise<void> {
  await opts.batch?.flush();
  const facts = await signupFacts(tx, partnershipId);
  const agreed = facts?.partnership.agreedYearlyOre ?? null;
  if (facts && agreed !== null && (await partnershipPaidOre(tx, partnershipId)) >= agreed) await notifySignupStep(tx, facts, "paid");
  const author: Actor = { kind: "system", name: opts.author };
  if ((await activateIfReady(tx, partnershipId, author)) && facts) await notifySignupStep(tx, facts, "active");
}

export interface SignupInvoiceInput {
  organisationId: number;
  partnershipId: number;
  goalId: number;
  amountOre: bigint;
  lineText: string;
  buyer: { name: string; orgNumber: string | null; address: string; email: string; reference: string | null };
  locale: "sv" | "en";
  delivery: "bank" | "stripe";
}

/** Whether a bank invoice can be issued now (the charity's bankgiro and identity are set). */
export async function bankInvoiceAvailable(tx: Tx | Parameters<typeof invoiceSeller>[0]): Promise<boolean> {
  return invoiceSettingsProblem(await invoiceSeller(tx)) === null;
}

/**
 * The sign-up's invoice, issued in the sign-up's transaction: one line for the goal, channel
 * partner_fee, the partnership named. A bank invoice is numbered, rendered and emailed with its PDF
 * (the same email staff's issuing sends); a Stripe invoice is numbered and given its delivery row,
 * and the caller sends it through Stripe after the commit (sendInvoiceThroughStripe).
 */
export async function issueSignupInvoice(tx: Tx, input: SignupInvoiceInput, now = new Date()): Promise<Invoice> {
  const issueDate = swedishDate(now);
  const dueDate = swedishDate(new Date(now.getTime() + SIGNUP_INVOICE_DAYS * DAY_MS));
  const [draft] = await tx
    .insert(invoices)
    .values({
      organisationId: input.organisationId,
      issueDate,
      dueDate,
      buyerName: input.buyer.name,
      buyerOrgNumber: input.buyer.orgNumber,
      buyerAddress: input.buyer.address,
      buyerEmail: input.buyer.email,
      buyerReference: input.buyer.reference,
      locale: input.locale,
      delivery: input.delivery,
      channel: "partner_fee",
      totalOre: input.amountOre,
      partnershipId: input.partnershipId,
    })
    .returning();
  await tx.insert(invoiceLines).values({ invoiceId: draft.id, position: 1, text: input.lineText, amountOre: input.amountOre, goalId: input.goalId });
  const invoice = await assignNumber(tx, draft, now);
  if (input.delivery === "stripe") {
    await tx.insert(stripeInvoiceDeliveries).values({ invoiceId: invoice.id }).onConflictDoNothing();
    return invoice;
  }
  const seller = await invoiceSeller(tx);
  const problem = invoiceSettingsProblem(seller);
  if (problem) throw problem;
  await enqueueEmailWithAttachments(
    tx,
    { to: invoice.buyerEmail, template: "company-invoice", locale: input.locale, props: invoiceEmailProps(invoice, seller), dedupeKey: `company-invoice:${invoice.id}` },
    [await renderInvoicePdf(tx, invoice, seller)],
  );
  return invoice;
}

/** The thanks page's reference: the sign-up id, signed, so nobody reads another company's status by changing a number. */
function signature(id: string): string {
  return createHmac("sha256", env().sessionSecret).update(`partner-signup:${id}`).digest("base64url").slice(0, 32);
}

export function signupToken(signupId: number): string {
  return `${signupId}.${signature(String(signupId))}`;
}

export function signupIdFromToken(token: string): number | null {
  const m = /^(\d{1,9})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(signature(m[1]));
  const given = Buffer.from(m[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? Number(m[1]) : null;
}

/** Where the payment simulator sends a company back after paying a sign-up's fee (Stripe uses the session's success_url). */
export async function partnerFeeThanksPath(db: Db, payment: Pick<Payment, "id" | "partnershipId">): Promise<string | null> {
  if (payment.partnershipId === null) return null;
  const [signup] = await db.select({ id: partnerSignups.id }).from(partnerSignups).where(eq(partnerSignups.paymentId, payment.id));
  return signup ? `/partners/join/thanks?ref=${signupToken(signup.id)}` : null;
}
