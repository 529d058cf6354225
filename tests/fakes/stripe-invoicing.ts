import type Stripe from "stripe";
import { invoiceObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import type { RecordedRequest } from "./stripe-server";

/**
 * Stripe Invoicing in the fake Stripe API (tests/fakes/stripe-server.ts): customers, draft invoices,
 * invoice items attached to a draft, finalize, send, and — standing in for the buyer paying on
 * Stripe's page — `pay`, which returns the invoice.paid event Stripe would send. It checks what Stripe
 * checks that matters here: a send_invoice invoice needs days_until_due (or a due date), items must
 * match the invoice's currency and go on a draft, only a finalized send_invoice invoice can be sent.
 */
interface FakeInvoice {
  id: string;
  customer: string;
  currency: string;
  collectionMethod: string;
  daysUntilDue: number | null;
  metadata: Record<string, string>;
  status: "draft" | "open" | "paid" | "void";
  items: { id: string; amount: number; description: string; metadata: Record<string, string> }[];
  sent: boolean;
  number: string | null;
}

type Answer = { status: number; body: unknown };
const fail = (status: number, message: string, param?: string): Answer => ({ status, body: { error: { type: "invalid_request_error", message, param } } });

export class FakeInvoicing {
  customers = new Map<string, { id: string; name: string; email: string; metadata: Record<string, string> }>();
  invoices = new Map<string, FakeInvoice>();
  private numbers = 0;

  constructor(private baseUrl: () => string) {}

  /** The answer to an Invoicing request, or null when the request is not one. */
  route(r: RecordedRequest): Answer | null {
    let m: RegExpExecArray | null;
    if (r.method === "POST" && r.path === "/v1/customers") {
      const id = stripeId("cus");
      const customer = { id, name: String(r.body.name ?? ""), email: String(r.body.email ?? ""), metadata: (r.body.metadata ?? {}) as Record<string, string> };
      this.customers.set(id, customer);
      return { status: 200, body: { object: "customer", ...customer } };
    }
    if (r.method === "POST" && r.path === "/v1/invoices") return this.create(r.body);
    if (r.method === "POST" && r.path === "/v1/invoiceitems") return this.addItem(r.body);
    if ((m = /^\/v1\/invoices\/([^/]+)\/(finalize|send)$/.exec(r.path)) && r.method === "POST") {
      const inv = this.invoices.get(m[1]);
      if (!inv) return fail(404, `No such invoice: '${m[1]}'`);
      if (m[2] === "finalize") {
        if (inv.status !== "draft") return fail(400, "This invoice is already finalized.");
        if (inv.items.length === 0) return fail(400, "Nothing to invoice for customer");
        inv.status = "open";
        inv.number = `FAKE-${String(++this.numbers).padStart(4, "0")}`;
      } else {
        if (inv.status !== "open") return fail(400, "You can only send an invoice that is open (finalized).");
        if (inv.collectionMethod !== "send_invoice") return fail(400, "You can only manually send an invoice if its collection method is 'send_invoice'.");
        inv.sent = true;
      }
      return { status: 200, body: this.object(inv) };
    }
    if ((m = /^\/v1\/invoices\/([^/]+)$/.exec(r.path)) && r.method === "GET") {
      const inv = this.invoices.get(m[1]);
      return inv ? { status: 200, body: this.object(inv) } : fail(404, `No such invoice: '${m[1]}'`);
    }
    return null;
  }

  private create(p: Record<string, unknown>): Answer {
    const customer = String(p.customer ?? "");
    if (!this.customers.has(customer)) return fail(400, `No such customer: '${customer}'`, "customer");
    const collectionMethod = String(p.collection_method ?? "charge_automatically");
    const daysUntilDue = p.days_until_due === undefined ? null : Number(p.days_until_due);
    if (collectionMethod === "send_invoice" && daysUntilDue === null && p.due_date === undefined) {
      return fail(400, "Invoices with collection_method='send_invoice' require either due_date or days_until_due.", "days_until_due");
    }
    const inv: FakeInvoice = {
      id: stripeId("in"),
      customer,
      currency: String(p.currency ?? "usd"),
      collectionMethod,
      daysUntilDue,
      metadata: (p.metadata ?? {}) as Record<string, string>,
      status: "draft",
      items: [],
      sent: false,
      number: null,
    };
    this.invoices.set(inv.id, inv);
    return { status: 200, body: this.object(inv) };
  }

  private addItem(p: Record<string, unknown>): Answer {
    const inv = this.invoices.get(String(p.invoice ?? ""));
    if (!inv) return fail(400, "This fake only takes items for a given draft invoice.", "invoice");
    if (inv.status !== "draft") return fail(400, "Invoice items can only be added to draft invoices.", "invoice");
    if (p.customer !== inv.customer) return fail(400, "The invoice item's customer must be the invoice's.", "customer");
    if (p.currency !== inv.currency) return fail(400, `The currency of the item (${String(p.currency)}) must match the invoice's (${inv.currency}).`, "currency");
    const amount = Number(p.amount);
    if (!Number.isInteger(amount) || amount <= 0) return fail(400, "Invalid integer: amount", "amount");
    const item = { id: stripeId("ii"), amount, description: String(p.description ?? ""), metadata: (p.metadata ?? {}) as Record<string, string> };
    inv.items.push(item);
    return { status: 200, body: { object: "invoiceitem", invoice: inv.id, customer: inv.customer, currency: inv.currency, ...item } };
  }

  private object(inv: FakeInvoice): Stripe.Invoice {
    const total = inv.items.reduce((s, i) => s + i.amount, 0);
    const base = invoiceObject({ id: inv.id, amountPaid: inv.status === "paid" ? total : 0, amountDue: total, status: inv.status === "paid" ? "paid" : "open", billingReason: "manual", customer: inv.customer, currency: inv.currency, metadata: inv.metadata });
    return {
      ...base,
      status: inv.status,
      collection_method: inv.collectionMethod,
      number: inv.number,
      hosted_invoice_url: inv.status === "draft" ? null : `${this.baseUrl()}/invoice/${inv.id}`,
      lines: { object: "list", data: inv.items.map((i) => ({ object: "line_item", id: `il_${i.id}`, amount: i.amount, currency: inv.currency, description: i.description, metadata: i.metadata })), has_more: false, url: `/v1/invoices/${inv.id}/lines` },
    } as unknown as Stripe.Invoice;
  }

  /** The buyer pays on Stripe's page: the invoice.paid event Stripe sends (to sign and deliver). */
  pay(id: string): Stripe.Event {
    const inv = this.invoices.get(id);
    if (!inv) throw new Error(`no invoice ${id}`);
    if (inv.status !== "open" || !inv.sent) throw new Error(`invoice ${id} is ${inv.status}${inv.sent ? "" : ", not sent"}`);
    inv.status = "paid";
    return stripeEvent("invoice.paid", this.object(inv));
  }
}
