import { and, asc, desc, eq, inArray, lt, ne, sql, type SQL } from "drizzle-orm";
import { goals, invoiceLines, invoiceStatuses, invoices, organisations, payments, type Invoice, type InvoiceStatus } from "~db/schema";
import { isStaffActor, mayActForOrganisation, requireOrganisationActor, requirePerson, requireStaffActor, type ServiceContext } from "~/services/context";
import { Forbidden, NotFound } from "~/services/errors";
import type { EmailAttachment } from "~/services/email/attachments.server";
import { invoiceSettingsProblem, type InvoiceSetting } from "./invoice-pdf.server";
import { swedishDate } from "./invoices-input.server";
import { invoiceSeller, refreshOverdueInvoices, renderInvoicePdf } from "./invoices-send.server";

/** Öre are strings in views (loader data is JSON). */
export interface InvoiceView {
  id: number;
  organisationId: number;
  organisationName: string;
  number: string | null;
  issueDate: string;
  dueDate: string;
  status: InvoiceStatus;
  delivery: string;
  channel: string;
  buyerName: string;
  buyerEmail: string;
  totalOre: string;
  paidOre: string;
  outstandingOre: string;
  overpaidOre: string;
  /** A payroll invoice's shortfall moved onto a later invoice (status carried); "0" otherwise. */
  carriedOre: string;
  carriedToInvoiceId: number | null;
  /** Past its due date with money still owed. */
  overdue: boolean;
}

export interface InvoiceFilters {
  status?: string | null;
  overdue?: boolean;
  organisationId?: number | null;
}

function view(row: Invoice & { organisationName: string }, today: string): InvoiceView {
  const owed = row.totalOre - row.carriedOre;
  const outstanding = owed > row.paidOre ? owed - row.paidOre : 0n;
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    number: row.number?.toString() ?? null,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    status: row.status,
    delivery: row.delivery,
    channel: row.channel,
    buyerName: row.buyerName,
    buyerEmail: row.buyerEmail,
    totalOre: row.totalOre.toString(),
    paidOre: row.paidOre.toString(),
    outstandingOre: outstanding.toString(),
    overpaidOre: (row.paidOre > owed ? row.paidOre - owed : 0n).toString(),
    carriedOre: row.carriedOre.toString(),
    carriedToInvoiceId: row.carriedToInvoiceId,
    overdue: ["sent", "partly_paid", "overdue"].includes(row.status) && outstanding > 0n && row.dueDate < today,
  };
}

/**
 * Invoices with totals for the selection. Staff see all (filters: status, overdue, organisation);
 * a contact of an organisation sees that organisation's issued invoices only (never drafts). Overdue
 * statuses are brought up to date first.
 */
export async function listInvoices(ctx: ServiceContext, filters: InvoiceFilters = {}, now = new Date()) {
  const person = requirePerson(ctx);
  const staff = isStaffActor(person);
  if (!staff) {
    if (!filters.organisationId) throw new Forbidden("staff_only");
    requireOrganisationActor(ctx, filters.organisationId);
  }
  const today = swedishDate(now);
  if (staff) await refreshOverdueInvoices(ctx.db, now);
  const where: SQL[] = [];
  if (filters.organisationId) where.push(eq(invoices.organisationId, filters.organisationId));
  if (!staff) where.push(ne(invoices.status, "draft"));
  const status = (invoiceStatuses as readonly string[]).includes(filters.status ?? "") ? (filters.status as InvoiceStatus) : null;
  if (status) where.push(eq(invoices.status, status));
  if (filters.overdue) where.push(inArray(invoices.status, ["sent", "partly_paid", "overdue"]), lt(invoices.dueDate, today), sql`${invoices.paidOre} < ${invoices.totalOre}`);
  const rows = await ctx.db
    .select({ invoice: invoices, organisationName: organisations.name })
    .from(invoices)
    .innerJoin(organisations, eq(organisations.id, invoices.organisationId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(500);
  const list = rows.map((r) => view({ ...r.invoice, organisationName: r.organisationName }, today));
  // Void and credited invoices are listed but owe nothing and count for nothing.
  const counted = rows.filter((r) => r.invoice.status !== "void" && r.invoice.status !== "credited" && r.invoice.status !== "draft");
  const sum = (pick: (i: Invoice) => bigint) => counted.reduce((s, r) => s + pick(r.invoice), 0n).toString();
  return {
    invoices: list,
    totals: {
      count: list.length,
      // A carried shortfall counts once: on the later invoice that asks for it now.
      totalOre: sum((i) => i.totalOre - i.carriedOre),
      paidOre: sum((i) => i.paidOre),
      outstandingOre: sum((i) => (i.totalOre - i.carriedOre > i.paidOre ? i.totalOre - i.carriedOre - i.paidOre : 0n)),
    },
    filters: { status, overdue: !!filters.overdue },
  };
}

/** One invoice with its lines (goal names in the reader's language) and the payments it received. */
export async function getInvoice(ctx: ServiceContext, invoiceId: number, now = new Date()) {
  const person = requirePerson(ctx);
  const [row] = await ctx.db
    .select({ invoice: invoices, organisationName: organisations.name })
    .from(invoices)
    .innerJoin(organisations, eq(organisations.id, invoices.organisationId))
    .where(eq(invoices.id, invoiceId));
  // Not staff and not a contact of its organisation: the same answer as for an invoice that does not exist.
  if (!row || !mayActForOrganisation(person, row.invoice.organisationId) || (!isStaffActor(person) && row.invoice.status === "draft")) {
    throw new NotFound("invoice_not_found");
  }
  const invoice = row.invoice;
  const en = ctx.locale === "en";
  const lines = await ctx.db
    .select({ id: invoiceLines.id, text: invoiceLines.text, amountOre: invoiceLines.amountOre, goalId: invoiceLines.goalId, goalSv: goals.titleSv, goalEn: goals.titleEn })
    .from(invoiceLines)
    .leftJoin(goals, eq(goals.id, invoiceLines.goalId))
    .where(eq(invoiceLines.invoiceId, invoice.id))
    .orderBy(asc(invoiceLines.position));
  const received = await ctx.db
    .select({
      paidAt: payments.paidAt,
      reference: payments.reference,
      method: payments.method,
      amountOre: sql<string>`sum(${payments.amountOre})`,
      reversedOre: sql<string>`sum(${payments.refundedOre} + ${payments.creditedOre})`,
    })
    .from(payments)
    .where(and(eq(payments.companyInvoiceId, invoice.id), inArray(payments.status, ["paid", "held"])))
    .groupBy(payments.paidAt, payments.reference, payments.method)
    .orderBy(asc(payments.paidAt));
  const seller = await invoiceSeller(ctx.db);
  const problem = invoice.delivery === "bank" ? invoiceSettingsProblem(seller) : null;
  const [carriedTo] = invoice.carriedToInvoiceId === null ? [] : await ctx.db.select({ number: invoices.number }).from(invoices).where(eq(invoices.id, invoice.carriedToInvoiceId));
  return {
    invoice: {
      ...view({ ...invoice, organisationName: row.organisationName }, swedishDate(now)),
      ocrReference: invoice.ocrReference,
      buyerOrgNumber: invoice.buyerOrgNumber,
      buyerAddress: invoice.buyerAddress,
      buyerReference: invoice.buyerReference,
      locale: invoice.locale,
      sentAt: invoice.sentAt?.toISOString() ?? null,
      lastReminderAt: invoice.lastReminderAt?.toISOString() ?? null,
      carriedToNumber: carriedTo?.number?.toString() ?? null,
    },
    lines: lines.map((l) => ({ id: l.id, text: l.text, amountOre: l.amountOre.toString(), goal: (en ? l.goalEn : l.goalSv) ?? null })),
    payments: received.map((p) => ({ paidAt: p.paidAt?.toISOString() ?? null, reference: p.reference, method: p.method, amountOre: String(p.amountOre), reversedOre: String(p.reversedOre) })),
    bankgiro: seller.bankgiro || null,
    /** The settings a bank invoice still lacks (issuing it is refused until they are filled in). */
    missingSettings: problem ? (problem.settings as InvoiceSetting[]) : [],
    staff: isStaffActor(person),
  };
}

/** What the new-invoice form offers: organisations (with their number, to start the buyer from), goals, and the settings warning. */
export async function invoiceFormOptions(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const en = ctx.locale === "en";
  const [orgs, goalRows, seller] = await Promise.all([
    ctx.db.select({ id: organisations.id, name: organisations.name, orgNumber: organisations.orgNumber }).from(organisations).orderBy(asc(organisations.name)),
    ctx.db.select({ id: goals.id, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number)),
    invoiceSeller(ctx.db),
  ]);
  const problem = invoiceSettingsProblem(seller);
  return {
    organisations: orgs,
    goals: goalRows.map((g) => ({ id: g.id, title: en ? g.titleEn : g.titleSv })),
    missingSettings: problem ? (problem.settings as InvoiceSetting[]) : [],
  };
}

/** The PDF of an issued bank invoice, for staff and the organisation's contacts. */
export async function invoicePdfFor(ctx: ServiceContext, invoiceId: number): Promise<EmailAttachment> {
  const person = requirePerson(ctx);
  const [invoice] = await ctx.db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice || !mayActForOrganisation(person, invoice.organisationId)) throw new NotFound("invoice_not_found");
  if (invoice.delivery !== "bank" || invoice.number === null) throw new NotFound("invoice_not_found");
  return renderInvoicePdf(ctx.db, invoice);
}
