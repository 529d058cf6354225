import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, industries, invoices, organisations, partnerSignups, partnerTierBenefits, partnerTiers, payments, type Organisation } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { hitRateLimit } from "~/services/auth/rate-limit.server";
import { systemContext, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, ServiceError, withParams } from "~/services/errors";
import { sendInvoiceThroughStripe } from "~/services/invoices/stripe-invoice.server";
import { createOrganisationRecord, addContact } from "~/services/organisations/records.server";
import { createPartnership } from "~/services/partners/partnerships.server";
import { getGateway, type PaymentGateway } from "~/services/payments/gateway.server";
import { recordPayment } from "~/services/payments/core.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { recordAudit } from "~/services/audit/audit.server";
import { env } from "~/utils/env.server";
import { formatOre } from "~/utils/money";
import { partnerSignupSchema, type PartnerSignupInput } from "~/validation/partner-signup";
import { currentPartnerTerms } from "./signup-terms.server";
import { bankInvoiceAvailable, issueSignupInvoice, notifySignupStep, signupIdFromToken, signupToken } from "./signup-fee.server";

/**
 * Self-signup at /partners/join (issue 11 item 5). Anyone may sign a company up: the form is public,
 * and what it creates waits for staff (a sign-off) before it is public or active. One transaction
 * writes the organisation, its main contact (invited with a sign-in link), the partnership
 * (negotiating, source signup), the sign-up row with the terms version and time accepted, and the
 * fee's invoice or pending card payment; Stripe is asked only after the commit. Bad input of any
 * kind is refused before anything is written, with every field's code at once.
 */

/** Sign-ups started per client address: enough for a colleague or two behind one office address. */
export const SIGNUP_LIMIT = { max: 5, windowMs: 10 * 60_000 };

export class SignupGatewayUnavailable extends ServiceError {
  constructor() {
    super(422, "gateway_unavailable", { _form: "gateway_unavailable" });
  }
}

/** What the form offers: the terms in force, goals, tiers with minimum and benefits, industries, and whether a bank invoice can be issued. Public. */
export async function signupFormOptions(ctx: ServiceContext) {
  const { db, locale } = ctx;
  const en = locale === "en";
  const [terms, goalRows, tierRows, benefitRows, industryRows, bankInvoice] = await Promise.all([
    currentPartnerTerms(db),
    db.select({ slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number)),
    db.select().from(partnerTiers).orderBy(asc(partnerTiers.rank)),
    db.select().from(partnerTierBenefits).where(isNull(partnerTierBenefits.retiredAt)).orderBy(asc(partnerTierBenefits.position)),
    db.select().from(industries).orderBy(asc(industries.slug)),
    bankInvoiceAvailable(db),
  ]);
  return {
    terms: terms && { version: terms.version, body: en ? terms.bodyEn : terms.bodySv, publishedAt: terms.publishedAt.toISOString(), demo: terms.demo },
    goals: goalRows.map((g) => ({ slug: g.slug, number: g.number, title: en ? g.titleEn : g.titleSv })),
    tiers: tierRows.map((t) => ({
      slug: t.slug,
      name: en ? t.nameEn : t.nameSv,
      minYearlyOre: t.minYearlyOre?.toString() ?? null,
      benefits: benefitRows.filter((b) => b.tier === t.slug).map((b) => (en ? b.textEn : b.textSv)),
    })),
    // An excluded industry is still offered: the sign-up is taken, and staff's screening decides.
    industries: industryRows.map((i) => ({ id: i.id, name: en ? i.nameEn : i.nameSv })),
    bankInvoiceAvailable: bankInvoice,
  };
}

/** The checks that need the database, all before anything is written (every field's code at once). */
async function checkAgainstDatabase(db: Db, input: PartnerSignupInput) {
  const errors: Record<string, string> = {};
  const params: Record<string, string> = {};
  const terms = await currentPartnerTerms(db);
  if (!terms) throw new ServiceError(409, "terms_missing", { _form: "terms_missing" });
  if (terms.version !== input.termsVersion) errors.acceptTerms = "terms_changed";
  const [goal] = await db.select().from(goals).where(eq(goals.slug, input.goal));
  if (!goal) errors.goal = "goal_unknown";
  const [tier] = await db.select().from(partnerTiers).where(eq(partnerTiers.slug, input.tier));
  if (!tier) errors.tier = "tier_required";
  else if (tier.minYearlyOre === null) errors.tier = "tier_no_minimum";
  else if (input.amount < tier.minYearlyOre) {
    errors.amount = "amount_below_minimum";
    params.min = formatOre(tier.minYearlyOre);
  }
  const [industry] = await db.select({ id: industries.id }).from(industries).where(eq(industries.id, input.industry));
  if (!industry) errors.industry = "industry_unknown";
  if (input.payment === "bank_invoice" && !(await bankInvoiceAvailable(db))) errors.payment = "bank_invoice_unavailable";
  if (Object.keys(errors).length) throw withParams(new Invalid("invalid_signup", errors), params);
  return { terms: terms!, goal: goal!, tier: tier! };
}

export interface SignupStarted {
  signupId: number;
  partnershipId: number;
  /** Checkout (card), or the thanks page. */
  redirectUrl: string;
}

/**
 * Starts a sign-up. The organisation must be new, unless the signed-in person is already its
 * contact (a partner of one goal signing up for another); otherwise an existing organisationsnummer
 * is refused next to the field (an anonymous visitor may not attach a partnership to a company).
 */
export async function startPartnerSignup(ctx: ServiceContext, raw: Record<string, unknown>, opts: { clientKey?: string; gateway?: PaymentGateway; now?: Date } = {}): Promise<SignupStarted> {
  const parsed = partnerSignupSchema.safeParse(raw);
  if (!parsed.success) throw new Invalid("invalid_signup", fieldErrorCodes(parsed.error));
  const input = parsed.data;
  const now = opts.now ?? new Date();
  const { terms, goal, tier } = await checkAgainstDatabase(ctx.db, input);
  // Counted after validation: correcting a typo does not use up a company's tries.
  if (opts.clientKey !== undefined) {
    const hit = await hitRateLimit(ctx.db, `partners:join:${opts.clientKey}`, SIGNUP_LIMIT);
    if (!hit.allowed) throw new ServiceError(429, "too_many_signups", { _form: "too_many_signups" }, { "Retry-After": String(hit.retryAfterS) });
  }
  const author = ctx.actor;
  const locale: Locale = ctx.locale;
  const startsOn = swedishDate(now);
  const end = new Date(`${startsOn}T12:00:00Z`);
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  const endsOn = swedishDate(new Date(end.getTime() - 86_400_000));
  const orgNumber = input.orgNumber as string;
  const invoiceEmail = input.invoiceEmail ?? input.email;

  const written = await ctx.db.transaction(async (tx) => {
    const organisation = await organisationFor(tx, ctx, input, orgNumber);
    const contact = await addContact(tx, { organisationId: organisation.id, email: input.email, name: input.contactName, roles: ["main"], isAdmin: true, locale, returnTo: "/partner" }, author);
    const partnership = await createPartnership(
      tx,
      { organisationId: organisation.id, goalId: goal.id, tier: input.tier, agreedYearlyOre: input.amount, startsOn, endsOn, status: "negotiating", source: "signup", isPublic: input.isPublic },
      author,
    );
    const [signup] = await tx
      .insert(partnerSignups)
      .values({ partnershipId: partnership.id, organisationId: organisation.id, contactPersonId: contact.personId, contactEmail: contact.email, termsVersion: terms.version, termsAcceptedAt: now, paymentMethod: input.payment, locale })
      .returning();
    await recordAudit(tx, { actorPersonId: contact.personId, action: "partner_signup", organisationId: organisation.id, details: { partnershipId: partnership.id, termsVersion: terms.version, payment: input.payment } });
    const facts = { signup, partnership, company: organisation.name, goalSv: goal.titleSv, goalEn: goal.titleEn, tierSv: tier.nameSv, tierEn: tier.nameEn };
    await notifySignupStep(tx, facts, "received");
    const lineText = `${locale === "en" ? "Partner fee" : "Partneravgift"}: ${locale === "en" ? tier.nameEn : tier.nameSv}, ${locale === "en" ? goal.titleEn : goal.titleSv} ${startsOn} – ${endsOn}`;
    if (input.payment === "card") {
      const payment = await recordPayment(tx, {
        channel: "partner_fee",
        amountOre: input.amount,
        goalId: goal.id,
        origin: "app",
        method: "card",
        payer: { name: organisation.name, email: contact.email, organisationId: organisation.id, locale },
        source: { partnershipId: partnership.id },
      });
      await tx.update(partnerSignups).set({ paymentId: payment.id }).where(eq(partnerSignups.id, signup.id));
      return { signup, partnership, payment, invoice: null, lineText };
    }
    const invoice = await issueSignupInvoice(
      tx,
      {
        organisationId: organisation.id,
        partnershipId: partnership.id,
        goalId: goal.id,
        amountOre: input.amount,
        lineText,
        buyer: { name: organisation.name, orgNumber, address: [input.address, [input.postalCode, input.city].filter(Boolean).join(" ")].filter(Boolean).join("\n"), email: invoiceEmail, reference: input.invoiceReference ?? input.purchaseOrder ?? null },
        locale,
        delivery: input.payment === "stripe_invoice" ? "stripe" : "bank",
      },
      now,
    );
    await tx.update(partnerSignups).set({ invoiceId: invoice.id }).where(eq(partnerSignups.id, signup.id));
    await notifySignupStep(tx, facts, "invoice_sent", { invoiceNumber: String(invoice.number) });
    return { signup, partnership, payment: null, invoice, lineText };
  });

  // Our own redirect is a path (any host the visitor used); Stripe needs a full URL to come back to.
  const thanks = `/partners/join/thanks?ref=${signupToken(written.signup.id)}`;
  if (written.invoice?.delivery === "stripe") {
    // Stripe unreachable: the invoice stays issued and staff resend it from its page (same idempotency keys).
    await sendInvoiceThroughStripe(systemContext(ctx.db, "partners:join"), written.invoice.id).catch((error) => console.warn("[partners] sending the sign-up's Stripe invoice failed:", error instanceof Error ? error.message : error));
  }
  if (!written.payment) return { signupId: written.signup.id, partnershipId: written.partnership.id, redirectUrl: thanks };
  const gateway = opts.gateway ?? (await getGateway());
  try {
    const created = await gateway.createCheckout({
      paymentRef: written.payment.id.toString(),
      checkoutKey: written.payment.checkoutKey,
      mode: "payment",
      method: "card",
      amountOre: input.amount,
      goalSlug: goal.slug,
      productName: written.lineText,
      donorEmail: written.signup.contactEmail,
      locale,
      successUrl: `${env().appUrl}${thanks}`,
      cancelUrl: `${env().appUrl}${thanks}`,
    });
    await ctx.db.update(payments).set({ checkoutSessionId: created.sessionId }).where(eq(payments.id, written.payment.id));
    return { signupId: written.signup.id, partnershipId: written.partnership.id, redirectUrl: created.url };
  } catch (error) {
    console.error("[partners] creating the sign-up's Checkout Session failed:", error instanceof Error ? error.message : error);
    await ctx.db.update(payments).set({ status: "failed", updatedAt: new Date() }).where(and(eq(payments.id, written.payment.id), eq(payments.status, "pending")));
    throw new SignupGatewayUnavailable();
  }
}

/** The organisation to sign up: a new one, or one the signed-in person is already a contact of. */
async function organisationFor(tx: Parameters<typeof createOrganisationRecord>[0], ctx: ServiceContext, input: PartnerSignupInput, orgNumber: string): Promise<Pick<Organisation, "id" | "name">> {
  const [existing] = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.orgNumber, orgNumber));
  if (existing && ctx.actor.kind === "person" && ctx.actor.organisations.some((m) => m.organisationId === existing.id)) return existing;
  return createOrganisationRecord(
    tx,
    {
      name: input.companyName,
      orgNumber,
      address: input.address,
      postalCode: input.postalCode,
      city: input.city,
      website: input.website,
      industryId: input.industry,
      invoiceEmail: input.invoiceEmail,
      invoiceReference: input.invoiceReference,
      purchaseOrder: input.purchaseOrder,
      isPublic: input.isPublic,
    },
    ctx.actor,
  );
}

export interface SignupStatusView {
  paymentMethod: string;
  paymentStatus: string | null;
  invoiceEmail: string | null;
  invoiceStatus: string | null;
}

/** The thanks page: what became of the sign-up named by its signed reference (nothing else is told). */
export async function signupStatus(ctx: ServiceContext, token: string): Promise<SignupStatusView | null> {
  const id = signupIdFromToken(token);
  if (id === null) return null;
  const [row] = await ctx.db
    .select({ method: partnerSignups.paymentMethod, paymentStatus: payments.status, invoiceEmail: invoices.buyerEmail, invoiceStatus: invoices.status })
    .from(partnerSignups)
    .leftJoin(payments, eq(payments.id, partnerSignups.paymentId))
    .leftJoin(invoices, eq(invoices.id, partnerSignups.invoiceId))
    .where(eq(partnerSignups.id, id));
  if (!row) return null;
  return { paymentMethod: row.method, paymentStatus: row.paymentStatus, invoiceEmail: row.invoiceEmail, invoiceStatus: row.invoiceStatus };
}
