import type Stripe from "stripe";
import type { Locale } from "~/i18n/messages";

/**
 * Company invoices delivered through Stripe Invoicing (issue 9 item 3; research/domain.md A4): the
 * organisation's Customer, one invoice item per line, an invoice with `collection_method=send_invoice`
 * in SEK that Stripe finalizes and emails. Every call has an idempotency key derived from our invoice,
 * so a retry after a timeout (or a second click) creates nothing twice.
 */
export interface CompanyInvoiceRequest {
  /** Our invoice's id: `metadata.company_invoice_id`, which the invoice.paid webhook pays. */
  invoiceId: string;
  /**
   * Random per invoice, stored with it: with the id it makes the idempotency keys, which must not
   * repeat when ids do (a database reset, another environment on the same Stripe account).
   */
  idempotencyRoot: string;
  invoiceNumber: string;
  organisationId: number;
  /** The organisation's Stripe Customer when known; else one is created. */
  customerId: string | null;
  buyer: { name: string; email: string; orgNumber: string | null; reference: string | null };
  lines: ReadonlyArray<{ id: string; description: string; amountOre: bigint; goalSlug: string | null }>;
  daysUntilDue: number;
  locale: Locale;
}

export interface CompanyInvoiceSent {
  customerId: string;
  stripeInvoiceId: string;
  /** Stripe's page where the buyer pays (null in the simulator). */
  hostedInvoiceUrl: string | null;
}

/** `company-invoice:<id>:<random root>:<step>`. */
export function companyInvoiceKey(req: Pick<CompanyInvoiceRequest, "invoiceId" | "idempotencyRoot">, step: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(req.idempotencyRoot)) throw new Error("a Stripe invoice needs its random idempotency root");
  return `company-invoice:${req.invoiceId}:${req.idempotencyRoot}:${step}`;
}

export function companyInvoiceMetadata(req: CompanyInvoiceRequest): Record<string, string> {
  const goals = [...new Set(req.lines.map((l) => l.goalSlug ?? ""))];
  return {
    company_invoice_id: req.invoiceId,
    invoice_number: req.invoiceNumber,
    organisation_id: String(req.organisationId),
    // Which goals the lines are designated to (empty: undesignated); the lines carry their own too.
    goals: goals.join(",").slice(0, 500),
  };
}

/** The parameters of each call, exported so tests can read exactly what is sent. */
export function companyInvoiceParams(req: CompanyInvoiceRequest) {
  const metadata = companyInvoiceMetadata(req);
  const customer: Stripe.CustomerCreateParams = {
    name: req.buyer.name,
    email: req.buyer.email,
    preferred_locales: [req.locale === "en" ? "en" : "sv"],
    metadata: { organisation_id: String(req.organisationId), ...(req.buyer.orgNumber ? { org_number: req.buyer.orgNumber } : {}) },
  };
  const invoice = (customerId: string): Stripe.InvoiceCreateParams => ({
    customer: customerId,
    collection_method: "send_invoice",
    days_until_due: req.daysUntilDue,
    currency: "sek",
    // Only this invoice's items, never another invoice's pending ones.
    pending_invoice_items_behavior: "exclude",
    auto_advance: false,
    description: req.buyer.reference ? `${req.invoiceNumber} · ${req.buyer.reference}` : req.invoiceNumber,
    metadata,
  });
  const item = (customerId: string, stripeInvoiceId: string, line: CompanyInvoiceRequest["lines"][number]): Stripe.InvoiceItemCreateParams => ({
    customer: customerId,
    invoice: stripeInvoiceId,
    currency: "sek",
    amount: Number(line.amountOre),
    description: line.description,
    metadata: { company_invoice_id: req.invoiceId, company_invoice_line_id: line.id, goal: line.goalSlug ?? "" },
  });
  return { customer, invoice, item, metadata };
}

/** Creates, finalizes and sends the invoice through the Stripe SDK. */
export async function sendCompanyInvoiceWithStripe(stripe: Stripe, req: CompanyInvoiceRequest): Promise<CompanyInvoiceSent> {
  if (req.lines.length === 0) throw new Error("a Stripe invoice needs at least one line");
  const params = companyInvoiceParams(req);
  const customerId = req.customerId ?? (await stripe.customers.create(params.customer, { idempotencyKey: companyInvoiceKey(req, "customer") })).id;
  const draft = await stripe.invoices.create(params.invoice(customerId), { idempotencyKey: companyInvoiceKey(req, "invoice") });
  for (const line of req.lines) {
    await stripe.invoiceItems.create(params.item(customerId, draft.id!, line), { idempotencyKey: companyInvoiceKey(req, `line:${line.id}`) });
  }
  await stripe.invoices.finalizeInvoice(draft.id!, { auto_advance: true }, { idempotencyKey: companyInvoiceKey(req, "finalize") });
  const sent = await stripe.invoices.sendInvoice(draft.id!, {}, { idempotencyKey: companyInvoiceKey(req, "send") });
  return { customerId, stripeInvoiceId: sent.id!, hostedInvoiceUrl: sent.hosted_invoice_url ?? null };
}
