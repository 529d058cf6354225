import { asc, eq, inArray } from "drizzle-orm";
import { goals, invoices, organisations, partnerTiers, partnerships, type PartnershipStatus } from "~db/schema";
import { isStaffActor, requireOrganisationActor, requirePerson, type ServiceContext } from "~/services/context";
import type { EmailAttachment } from "~/services/email/attachments.server";
import { Forbidden, NotFound } from "~/services/errors";
import { partnerDashboardImpact } from "~/services/impact/partner-impact.server";
import { invoicePdfFor, listInvoices } from "~/services/invoices/invoices.server";
import type { InvoiceView } from "~/services/invoices/invoices-read.server";
import { missingCertificateSettings, type CertificateSetting } from "./certificate-facts.server";
import { stockholmYear } from "~/utils/dates";
import { moneyByPartnershipYear, organisationMoneyPerGoal } from "./dashboard-money.server";

/**
 * The partner dashboard (/partner, issue 11 item 8): what a contact of an organisation sees of it. Access is
 * decided here, on every call: the organisation asked for (`?org=`) must be one the actor is a contact of
 * (staff may look at any); without one, the actor's first organisation by name. Öre are strings (loader JSON).
 */

export interface DashboardPartnership {
  id: number;
  goal: { slug: string; number: number; title: string };
  tier: { slug: string; name: string };
  status: PartnershipStatus;
  agreedYearlyOre: string | null;
  startsOn: string | null;
  endsOn: string | null;
  paidThisYearOre: string;
  paidTotalOre: string;
  /** Calendar years with money in, newest first: one certificate each. */
  certificateYears: number[];
}

export interface PartnerDashboard {
  year: number;
  /** The organisations the actor may switch between (their own; staff see only the one asked for). */
  choices: { id: number; name: string }[];
  organisation: { id: number; name: string; orgNumber: string | null; demo: boolean } | null;
  partnerships: DashboardPartnership[];
  /** Goals with money, in goal order. */
  moneyPerGoal: { goal: { slug: string; number: number; title: string }; yearOre: string; totalOre: string }[];
  invoices: InvoiceView[];
  /** The supported goals' impact figures entered by staff (issue 14), newest first. */
  impact: { goalNumber: number; label: string; value: string }[];
  /** Charity settings the certificate prints and staff have not filled in (shown to staff viewers only). */
  missingSettings: CertificateSetting[];
}

export async function partnerDashboard(ctx: ServiceContext, input: { organisationId?: number | null }, now = new Date()): Promise<PartnerDashboard> {
  const person = requirePerson(ctx);
  const en = ctx.locale === "en";
  const year = stockholmYear(now);
  const ownIds = person.organisations.map((m) => m.organisationId);
  const requested = input.organisationId ?? null;
  if (requested !== null) requireOrganisationActor(ctx, requested);
  const own = ownIds.length
    ? await ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ownIds)).orderBy(asc(organisations.name), asc(organisations.id))
    : [];
  const selectedId = requested ?? own[0]?.id ?? null;
  const empty: PartnerDashboard = { year, choices: own, organisation: null, partnerships: [], moneyPerGoal: [], invoices: [], impact: [], missingSettings: [] };
  if (selectedId === null) return empty;
  const [organisation] = await ctx.db
    .select({ id: organisations.id, name: organisations.name, orgNumber: organisations.orgNumber, demo: organisations.demo })
    .from(organisations)
    .where(eq(organisations.id, selectedId));
  // Staff asking for an organisation that does not exist; a contact never gets here for one (Forbidden above).
  if (!organisation) throw new NotFound("organisation_not_found");

  const goalRows = await ctx.db.select({ id: goals.id, slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals);
  const goalView = (id: number) => {
    const g = goalRows.find((row) => row.id === id);
    return g ? { slug: g.slug, number: g.number, title: en ? g.titleEn : g.titleSv } : { slug: "", number: 0, title: "" };
  };
  const rows = await ctx.db
    .select({ p: partnerships, tierSv: partnerTiers.nameSv, tierEn: partnerTiers.nameEn, tierRank: partnerTiers.rank })
    .from(partnerships)
    .innerJoin(partnerTiers, eq(partnerTiers.slug, partnerships.tier))
    .where(eq(partnerships.organisationId, organisation.id))
    .orderBy(asc(partnerTiers.rank), asc(partnerships.id));
  const money = await moneyByPartnershipYear(
    ctx.db,
    rows.map((r) => r.p.id),
  );
  const dashboardPartnerships = rows.map(({ p, tierSv, tierEn }): DashboardPartnership => {
    const own = money.filter((m) => m.partnershipId === p.id);
    const sum = (list: typeof own) => list.reduce((s, m) => s + m.netOre, 0n).toString();
    return {
      id: p.id,
      goal: goalView(p.goalId),
      tier: { slug: p.tier, name: en ? tierEn : tierSv },
      status: p.status as PartnershipStatus,
      agreedYearlyOre: p.agreedYearlyOre?.toString() ?? null,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      paidThisYearOre: sum(own.filter((m) => m.year === year)),
      paidTotalOre: sum(own),
      certificateYears: own
        .filter((m) => m.netOre > 0n)
        .map((m) => m.year)
        .sort((a, b) => b - a),
    };
  });
  const perGoal = await organisationMoneyPerGoal(ctx.db, organisation.id, year);
  const { invoices: invoiceList } = await listInvoices(ctx, { organisationId: organisation.id }, now);
  return {
    year,
    // Staff are not contacts: they see the organisation they asked for, with no switcher of their own.
    choices: own.length ? own : [{ id: organisation.id, name: organisation.name }],
    organisation,
    partnerships: dashboardPartnerships,
    moneyPerGoal: perGoal.map((m) => ({ goal: goalView(m.goalId), yearOre: m.yearOre.toString(), totalOre: m.totalOre.toString() })).sort((a, b) => a.goal.number - b.goal.number),
    invoices: invoiceList,
    // Figures of the goals the organisation supports (its partnerships' and those its money went to).
    impact: await partnerDashboardImpact(ctx.db, [...rows.map((r) => r.p.goalId), ...perGoal.map((m) => m.goalId)].map((id) => ({ id, number: goalView(id).number })), ctx.locale),
    missingSettings: isStaffActor(person) ? await missingCertificateSettings(ctx.db) : [],
  };
}

/**
 * An invoice's PDF for the partner page. The organisation is checked first (a contact of another one is
 * Forbidden, and learns nothing about whether the invoice exists); then the invoices service renders it.
 */
export async function partnerInvoicePdf(ctx: ServiceContext, invoiceId: number): Promise<EmailAttachment> {
  const person = requirePerson(ctx);
  const [invoice] = await ctx.db.select({ organisationId: invoices.organisationId }).from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice) throw isStaffActor(person) ? new NotFound("invoice_not_found") : new Forbidden();
  requireOrganisationActor(ctx, invoice.organisationId);
  return invoicePdfFor(ctx, invoiceId);
}
