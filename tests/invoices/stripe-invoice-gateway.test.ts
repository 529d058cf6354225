import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { companyInvoiceKey, sendCompanyInvoiceWithStripe, type CompanyInvoiceRequest } from "~/services/payments/gateway-invoices.server";
import { stripeClient } from "~/services/payments/gateway.server";
import { parseEnv } from "~/utils/env.server";
import { startFakeStripe, type FakeStripe } from "../fakes/stripe-server";
import { tempDir } from "../setup/server";

const root = "3f0c5a52-8f55-4a57-9a55-3d1b0a4a2b10";
const request = (over: Partial<CompanyInvoiceRequest> = {}): CompanyInvoiceRequest => ({
  invoiceId: "7",
  idempotencyRoot: root,
  invoiceNumber: "10007",
  organisationId: 3,
  customerId: null,
  buyer: { name: "Bygg AB", email: "faktura@bygg.example", orgNumber: "556677-8899", reference: "PO-12" },
  lines: [
    { id: "11", description: "Partnerskap guld, del 1", amountOre: 1_500_000n, goalSlug: "alla-ar-trygga" },
    { id: "12", description: "Partnerskap guld, del 2", amountOre: 500_000n, goalSlug: null },
  ],
  daysUntilDue: 30,
  locale: "sv",
  ...over,
});

describe("company invoices through the real Stripe SDK against the fake Stripe API", () => {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(() => fake.stop());
  const stripe = () => stripeClient(parseEnv({ DATA_DIR: tempDir("stripe-invoice"), SESSION_SECRET: "s".repeat(40), STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_API_URL: fake.url }));

  it("creates the customer, a send_invoice invoice in SEK with one item per line, finalizes and sends it, each call with a key from the invoice", async () => {
    const sent = await sendCompanyInvoiceWithStripe(stripe(), request());
    const calls = fake.requests.map((r) => `${r.method} ${r.path.replace(/in_\w+/, "in_X")}`);
    expect(calls).toEqual(["POST /v1/customers", "POST /v1/invoices", "POST /v1/invoiceitems", "POST /v1/invoiceitems", "POST /v1/invoices/in_X/finalize", "POST /v1/invoices/in_X/send"]);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual(
      ["customer", "invoice", "line:11", "line:12", "finalize", "send"].map((step) => companyInvoiceKey({ invoiceId: "7", idempotencyRoot: root }, step)),
    );
    const [customer, invoice, item1, item2] = fake.requests.map((r) => r.body);
    expect(customer).toMatchObject({ name: "Bygg AB", email: "faktura@bygg.example", metadata: { organisation_id: "3", org_number: "556677-8899" } });
    expect(invoice).toMatchObject({
      customer: sent.customerId,
      collection_method: "send_invoice",
      days_until_due: "30",
      currency: "sek",
      pending_invoice_items_behavior: "exclude",
      metadata: { company_invoice_id: "7", invoice_number: "10007", organisation_id: "3", goals: "alla-ar-trygga," },
    });
    expect([item1, item2]).toEqual([
      expect.objectContaining({ invoice: sent.stripeInvoiceId, currency: "sek", amount: "1500000", metadata: { company_invoice_id: "7", company_invoice_line_id: "11", goal: "alla-ar-trygga" } }),
      expect.objectContaining({ invoice: sent.stripeInvoiceId, currency: "sek", amount: "500000", metadata: { company_invoice_id: "7", company_invoice_line_id: "12", goal: "" } }),
    ]);
    const stored = fake.invoicing.invoices.get(sent.stripeInvoiceId)!;
    expect([stored.status, stored.sent, stored.items.reduce((s, i) => s + i.amount, 0)]).toEqual(["open", true, 2_000_000]);
    expect(sent.hostedInvoiceUrl).toContain(sent.stripeInvoiceId);
  });

  it("sent again (a retry after a timeout) creates nothing twice: Stripe replays each keyed answer", async () => {
    const before = fake.invoicing.invoices.size;
    const first = [...fake.invoicing.invoices.values()].at(-1)!;
    const again = await sendCompanyInvoiceWithStripe(stripe(), request());
    expect(again.stripeInvoiceId).toBe(first.id);
    expect(fake.invoicing.invoices.size).toBe(before);
    expect(fake.invoicing.customers.size).toBe(1);
    expect(first.items).toHaveLength(2);
  });

  it("reuses a known customer", async () => {
    const known = [...fake.invoicing.customers.keys()][0];
    const start = fake.requests.length;
    await sendCompanyInvoiceWithStripe(stripe(), request({ invoiceId: "8", idempotencyRoot: "0d6ad8f0-5bd1-4a0a-9d0b-2b5a1f3c4e77", customerId: known }));
    const made = fake.requests.slice(start);
    expect(made.filter((r) => r.path === "/v1/customers")).toEqual([]);
    expect(made[0]).toMatchObject({ path: "/v1/invoices", body: { customer: known } });
    expect(fake.invoicing.customers.size).toBe(1);
  });
});
