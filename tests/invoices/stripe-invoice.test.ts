import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { invoiceLines, invoices, ledgerEntries, paymentAnomalies, payments, stripeCustomers, stripeInvoiceDeliveries } from "~db/schema";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { anonymousActor, SignInRequired, type Actor, type ServiceContext } from "~/services/context";
import { Forbidden } from "~/services/errors";
import { buildOcr } from "~/services/invoices/ocr";
import { createInvoiceDraft } from "~/services/invoices/invoices.server";
import { issueStripeInvoice, sendInvoiceThroughStripe } from "~/services/invoices/stripe-invoice.server";
import { simulateCheckout, simulatedCheckout } from "~/services/payments/simulator.server";
import { stripeEvent } from "~/services/payments/stripe-objects";
import { createOrganisation } from "../factories";
import { goalIdsBySlug, ledgerTotal, signedWebhookRequest, useFakeStripe, usePaymentEnv } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { draftInput, staffContext } from "./helpers";

const staff: Actor = { kind: "person", personId: 1, email: "ekonomi@example.org", name: "Eva Ekonom", roles: ["admin"], organisations: [] };
const contact: Actor = { kind: "person", personId: 2, email: "kontakt@bygg.example", name: null, roles: [], organisations: [{ organisationId: 1, isAdmin: true }] };

/** An issued invoice to be delivered by Stripe: what the invoices service leaves when it issues one. */
async function issuedStripeInvoice(db: Db, organisationId: number, number: number, lines: { amountOre: bigint; goalId: number | null }[]) {
  const [inv] = await db
    .insert(invoices)
    .values({
      organisationId,
      number: BigInt(number),
      issueDate: "2026-11-29",
      dueDate: "2026-12-29",
      buyerName: "Bygg AB",
      buyerOrgNumber: "556677-8899",
      buyerEmail: "faktura@bygg.example",
      buyerReference: "PO-77",
      delivery: "stripe",
      totalOre: lines.reduce((s, l) => s + l.amountOre, 0n),
      status: "sent",
      ocrReference: buildOcr(number),
    })
    .returning();
  await db.insert(invoiceLines).values(lines.map((l, i) => ({ invoiceId: inv.id, position: i + 1, text: `Partnerskap, del ${i + 1}`, amountOre: l.amountOre, goalId: l.goalId })));
  return inv;
}

async function deliver(event: unknown) {
  const res = (await webhookAction({ request: signedWebhookRequest(event), params: {}, context: {} })) as Response;
  return res.status;
}

describe.each(dbTargets)("a company invoice through Stripe Invoicing, real SDK against the fake Stripe API (%s)", (target) => {
  const t = useTestDatabase(target);
  const stripe = useFakeStripe();
  const ctx = (actor: Actor = staff): ServiceContext => ({ db: t.db, actor, locale: "sv" });

  it("goes from creation to the ledger: customer, send_invoice in SEK with keyed requests, then invoice.paid pays its lines once", async () => {
    const org = await createOrganisation(t.db);
    const [slug, goal] = [...(await goalIdsBySlug(t.db)).entries()][0];
    const inv = await issuedStripeInvoice(t.db, org.id, 40001, [{ amountOre: 1_200_000n, goalId: goal.id }, { amountOre: 800_000n, goalId: null }]);

    await expect(sendInvoiceThroughStripe(ctx(anonymousActor), inv.id)).rejects.toBeInstanceOf(SignInRequired);
    await expect(sendInvoiceThroughStripe(ctx(contact), inv.id)).rejects.toBeInstanceOf(Forbidden);
    expect(stripe.fake.requests).toHaveLength(0);

    const sent = await sendInvoiceThroughStripe(ctx(), inv.id);
    const made = stripe.fake.requests;
    expect(made.map((r) => `${r.method} ${r.path.replace(sent.stripeInvoiceId, "ID")}`)).toEqual([
      "POST /v1/customers",
      "POST /v1/invoices",
      "POST /v1/invoiceitems",
      "POST /v1/invoiceitems",
      "POST /v1/invoices/ID/finalize",
      "POST /v1/invoices/ID/send",
    ]);
    for (const r of made) expect(r.idempotencyKey).toMatch(new RegExp(`^company-invoice:${inv.id}:[0-9a-f-]{36}:`));
    expect(new Set(made.map((r) => r.idempotencyKey)).size).toBe(made.length);
    expect(made[1].body).toMatchObject({ collection_method: "send_invoice", currency: "sek", days_until_due: expect.stringMatching(/^\d+$/), metadata: { company_invoice_id: String(inv.id), invoice_number: "40001" } });
    expect(made.slice(2, 4).map((r) => [r.body.currency, r.body.amount, (r.body.metadata as Record<string, string>).goal])).toEqual([
      ["sek", "1200000", slug],
      ["sek", "800000", ""],
    ]);
    const [stored] = await t.db.select().from(invoices).where(eq(invoices.id, inv.id));
    expect(stored.stripeInvoiceId).toBe(sent.stripeInvoiceId);
    const [customer] = await t.db.select().from(stripeCustomers).where(eq(stripeCustomers.organisationId, org.id));
    expect(customer.customerId).toMatch(/^cus_/);

    // Sending again asks Stripe nothing; the organisation's next invoice reuses its customer.
    expect(await sendInvoiceThroughStripe(ctx(), inv.id)).toEqual(sent);
    expect(stripe.fake.requests).toHaveLength(6);
    const next = await issuedStripeInvoice(t.db, org.id, 40002, [{ amountOre: 50_000n, goalId: null }]);
    await sendInvoiceThroughStripe(ctx(), next.id);
    expect(stripe.fake.requestsTo("POST", "/v1/customers")).toHaveLength(1);
    expect(stripe.fake.requests[6].body.customer).toBe(customer.customerId);

    // The buyer pays on Stripe's page: invoice.paid pays the invoice, each line to its goal, method stripe_invoice.
    const before = await ledgerTotal(t.db);
    const paid = stripe.fake.invoicing.pay(sent.stripeInvoiceId);
    expect(await deliver(paid)).toBe(200);
    const [after] = await t.db.select({ status: invoices.status, paidOre: invoices.paidOre }).from(invoices).where(eq(invoices.id, inv.id));
    expect(after).toEqual({ status: "paid", paidOre: 2_000_000n });
    const rows = await t.db.select().from(payments).where(eq(payments.companyInvoiceId, inv.id));
    expect(rows.map((p) => [p.method, p.status, p.amountOre, p.goalId]).sort()).toEqual(
      [
        ["stripe_invoice", "paid", 1_200_000n, goal.id],
        ["stripe_invoice", "paid", 800_000n, null],
      ].sort(),
    );
    expect((await ledgerTotal(t.db)) - before).toBe(2_000_000n);
    const [designated] = await t.db
      .select({ s: sql<string>`sum(${ledgerEntries.amountOre})::text` })
      .from(ledgerEntries)
      .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
      .where(and(eq(payments.companyInvoiceId, inv.id), eq(payments.goalId, goal.id)));
    expect(BigInt(designated.s)).toBe(1_200_000n);

    // The same event again, and another event about the same paid invoice: nothing is booked twice.
    expect(await deliver(paid)).toBe(200);
    expect(await deliver(stripeEvent("invoice.paid", paid.data.object as { object: string }))).toBe(200);
    expect((await ledgerTotal(t.db)) - before).toBe(2_000_000n);
    expect(await t.db.select().from(payments).where(eq(payments.companyInvoiceId, inv.id))).toHaveLength(2);
    const [delivery] = await t.db.select().from(stripeInvoiceDeliveries).where(eq(stripeInvoiceDeliveries.invoiceId, inv.id));
    expect(delivery.paidBy).toBe(`stripe:${paid.id}`);
  });

  it("issuing a Stripe draft numbers it and sends it through Stripe; issuing again asks Stripe for nothing new", async () => {
    const staffCtx = await staffContext(t.db);
    const org = await createOrganisation(t.db);
    const draft = await createInvoiceDraft(staffCtx, draftInput(org.id, { delivery: "stripe" }));
    const start = stripe.fake.requests.length;
    const sent = await issueStripeInvoice(staffCtx, draft.id);
    const [issued] = await t.db.select().from(invoices).where(eq(invoices.id, draft.id));
    expect(issued).toMatchObject({ status: "sent", stripeInvoiceId: sent.stripeInvoiceId });
    expect(issued.number).not.toBeNull();
    expect(stripe.fake.invoicing.invoices.get(sent.stripeInvoiceId)?.metadata).toMatchObject({ company_invoice_id: String(draft.id), invoice_number: String(issued.number) });
    const asked = stripe.fake.requests.length - start;
    expect(await issueStripeInvoice(staffCtx, draft.id)).toEqual(sent);
    expect(stripe.fake.requests.length - start).toBe(asked);
    const bank = await createInvoiceDraft(staffCtx, draftInput(org.id));
    await expect(issueStripeInvoice(staffCtx, bank.id)).rejects.toMatchObject({ message: "invoice_not_stripe" });
  });

  it("an invoice.paid whose metadata names our invoice, on a Stripe invoice we did not send, pays nothing and is flagged", async () => {
    const org = await createOrganisation(t.db);
    const inv = await issuedStripeInvoice(t.db, org.id, 40003, [{ amountOre: 30_000n, goalId: null }]);
    const before = await ledgerTotal(t.db);
    const forged = stripeEvent("invoice.paid", {
      id: "in_not_ours",
      object: "invoice",
      amount_paid: 30_000,
      amount_due: 30_000,
      currency: "sek",
      status: "paid",
      collection_method: "send_invoice",
      metadata: { company_invoice_id: String(inv.id) },
      parent: null,
      status_transitions: { paid_at: Math.floor(Date.now() / 1000) },
    });
    expect(await deliver(forged)).toBe(200);
    expect(await ledgerTotal(t.db)).toBe(before);
    const [state] = await t.db.select({ status: invoices.status }).from(invoices).where(eq(invoices.id, inv.id));
    expect(state.status).toBe("sent");
    const flags = await t.db.select().from(paymentAnomalies).where(eq(paymentAnomalies.objectId, "in_not_ours"));
    expect(flags.map((f) => f.kind)).toEqual(["company_invoice_unknown"]);
  });
});

describe.each(dbTargets)("a Stripe invoice without Stripe keys: the simulator (%s)", (target) => {
  const t = useTestDatabase(target);
  usePaymentEnv();

  it("sends it (no network) and pays it on /dev/checkout through the same invoice.paid handler", async () => {
    const org = await createOrganisation(t.db);
    const inv = await issuedStripeInvoice(t.db, org.id, 50001, [{ amountOre: 25_000n, goalId: null }]);
    const sent = await sendInvoiceThroughStripe({ db: t.db, actor: staff, locale: "sv" }, inv.id);
    expect(sent).toEqual({ stripeInvoiceId: `in_sim_company_${inv.id}`, hostedInvoiceUrl: `/dev/checkout/in_sim_company_${inv.id}` });
    expect(await simulatedCheckout(t.db, sent.stripeInvoiceId)).toMatchObject({ status: "pending", amountOre: "25000" });
    const before = await ledgerTotal(t.db);
    expect(await simulateCheckout(t.db, sent.stripeInvoiceId, "pay")).toEqual({ redirect: `/dev/checkout/${sent.stripeInvoiceId}` });
    await simulateCheckout(t.db, sent.stripeInvoiceId, "pay"); // a double click
    expect((await ledgerTotal(t.db)) - before).toBe(25_000n);
    expect(await simulatedCheckout(t.db, sent.stripeInvoiceId)).toMatchObject({ status: "paid", amountOre: "0" });
    const rows = await t.db.select().from(payments).where(eq(payments.companyInvoiceId, inv.id));
    expect(rows.map((p) => [p.method, p.status, p.amountOre])).toEqual([["stripe_invoice", "paid", 25_000n]]);
  });
});
