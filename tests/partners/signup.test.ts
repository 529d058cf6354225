import { and, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { emailAttachments, emailOutbox, goals, industries, invoiceLines, invoices, ledgerEntries, organisationMembers, organisations, partnerSignups, partnerships, partnerTiers, payments, people } from "~db/schema";
import { localeCookie } from "~/i18n/locale.server";
import { action as joinAction } from "~/routes/partners.join";
import type { ServiceContext } from "~/services/context";
import { Invalid, ServiceError } from "~/services/errors";
import { encodeBgMax, bgMaxFromPayments } from "~/services/invoices/bgmax-writer";
import { importBgMaxFile } from "~/services/invoices/bgmax-import.server";
import { signOffPartnership } from "~/services/partners/partnerships-admin.server";
import { startPartnerSignup } from "~/services/partners/signup.server";
import { publishPartnerTerms } from "~/services/partners/signup-terms.server";
import { simulateCheckout } from "~/services/payments/simulator.server";
import { setEnvForTests } from "~/utils/env.server";
import { formatOre } from "~/utils/money";
import { completeInvoiceSettings, staffContext, testSeller } from "../invoices/helpers";
import { usePaymentEnv } from "../payments/helpers";
import { anonymousContext, personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { orgNumber } from "./helpers";

const FEE_ORE = 1_000_000n; // the minimum staff set for vänföretag in these tests: 10 000 kr

async function counts(db: Db) {
  const count = async (table: PgTable) => Number((await db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n);
  return {
    organisations: await count(organisations),
    people: await count(people),
    partnerships: await count(partnerships),
    signups: await count(partnerSignups),
    payments: await count(payments),
    invoices: await count(invoices),
    emails: await count(emailOutbox),
  };
}

async function goalBalance(db: Db, slug: string): Promise<bigint> {
  const [row] = await db
    .select({ s: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` })
    .from(ledgerEntries)
    .innerJoin(goals, eq(goals.id, ledgerEntries.goalId))
    .where(eq(goals.slug, slug));
  return BigInt(row.s);
}

/** Staff sign the partnership off (the sign-off page's service); true when that made it active. */
async function signOff(staff: ServiceContext, partnershipId: number) {
  await signOffPartnership(staff, partnershipId, { note: "" });
  const [p] = await staff.db.select({ status: partnerships.status }).from(partnerships).where(eq(partnerships.id, partnershipId));
  return p.status === "active";
}

describe.each(dbTargets)("partner sign-up on %s", (target) => {
  const t = useTestDatabase(target);
  let staff: ServiceContext;
  let industryId: number;
  let termsVersion = 0;
  let n = 0;
  const input = (over: Record<string, string | undefined> = {}): Record<string, string> => {
    n += 1;
    const base: Record<string, string> = {
      goal: "alla-ar-trygga",
      tier: "vanforetag",
      amount: "10 000",
      companyName: `Testbolaget ${n} AB`,
      orgNumber: orgNumber(n + (target === "postgres" ? 500 : 0)),
      address: "Storgatan 1",
      postalCode: "72211",
      city: "Västerås",
      website: "",
      industry: String(industryId),
      isPublic: "on",
      contactName: "Kim Kontakt",
      email: `kim${n}@testbolaget.example`,
      invoiceEmail: "",
      invoiceReference: "Kim",
      purchaseOrder: "",
      acceptTerms: "on",
      termsVersion: String(termsVersion),
      payment: "card",
    };
    for (const [k, v] of Object.entries(over)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base;
  };

  beforeAll(async () => {
    usePaymentEnv();
    staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    await t.db.update(partnerTiers).set({ minYearlyOre: FEE_ORE }).where(eq(partnerTiers.slug, "vanforetag"));
    await t.db.update(partnerTiers).set({ minYearlyOre: null }).where(eq(partnerTiers.slug, "huvudpartner"));
    [{ id: industryId }] = await t.db.select({ id: industries.id }).from(industries).limit(1);
  });
  afterAll(() => setEnvForTests(undefined));

  it("refuses every sign-up while no partner terms are published, and writes nothing", async () => {
    const before = await counts(t.db);
    const error = await startPartnerSignup(anonymousContext(t.db), input({ termsVersion: "1" })).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect([error.status, error.message, error.fieldErrors]).toEqual([409, "terms_missing", { _form: "terms_missing" }]);
    expect(await counts(t.db)).toEqual(before);
    termsVersion = (await publishPartnerTerms(staff, { bodySv: "Testvillkor", bodyEn: "Test terms" })).version;
  });

  it("refuses bad input next to its field, with nothing written", async () => {
    const before = await counts(t.db);
    const cases: [Record<string, string | undefined>, Record<string, string>][] = [
      [{ orgNumber: "556036-0794" }, { orgNumber: "org_number_checksum" }],
      [{ orgNumber: "" }, { orgNumber: "org_number_required" }],
      [{ companyName: "" }, { companyName: "required" }],
      [{ email: undefined }, { email: "email_required" }],
      [{ amount: "9 999" }, { amount: "amount_below_minimum" }],
      [{ tier: "huvudpartner" }, { tier: "tier_no_minimum" }],
      [{ acceptTerms: undefined }, { acceptTerms: "terms_required" }],
      [{ termsVersion: String(termsVersion + 1) }, { acceptTerms: "terms_changed" }],
      [{ payment: "" }, { payment: "payment_required" }],
      [{ goal: "finns-inte" }, { goal: "goal_unknown" }],
    ];
    for (const [over, fieldErrors] of cases) {
      const error = await startPartnerSignup(anonymousContext(t.db), input(over)).catch((e) => e);
      expect(error, JSON.stringify(over)).toBeInstanceOf(Invalid);
      expect(error.fieldErrors, JSON.stringify(over)).toEqual(fieldErrors);
    }
    expect(await counts(t.db)).toEqual(before);
  });

  it("answers the form's bad input with a 400 and the message next to the field in the reader's language", async () => {
    const before = await counts(t.db);
    const post = async (body: Record<string, string>, lang: "sv" | "en") =>
      joinAction({
        request: new Request("http://127.0.0.1:3999/partners/join", { method: "POST", body: new URLSearchParams(body), headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: (await localeCookie.serialize(lang)).split(";")[0] } }),
        params: {},
        context: { clientIp: "test" },
      }) as Promise<{ init: { status: number }; data: { fieldErrors: Record<string, string> } }>;
    const below = await post(input({ amount: "5000" }), "sv");
    expect(below.init.status).toBe(400);
    expect(below.data.fieldErrors).toEqual({ amount: `Nivån kräver minst ${formatOre(FEE_ORE)} per år.` });
    const bad = await post(input({ orgNumber: "556036-0794", email: "" }), "en");
    expect(bad.init.status).toBe(400);
    expect(bad.data.fieldErrors.orgNumber).toMatch(/^This is not a valid organisation number/);
    expect(bad.data.fieldErrors.email).toBe("Enter your email address.");
    expect(await counts(t.db)).toEqual(before);
  });

  it("card: a partner_fee payment of the goal attributed to the partnership; paid → ledger and emails; active once signed off", async () => {
    const raised = await goalBalance(t.db, "alla-ar-trygga");
    const form = input();
    const started = await startPartnerSignup(anonymousContext(t.db), form, { now: new Date() });
    const [signup] = await t.db.select().from(partnerSignups).where(eq(partnerSignups.id, started.signupId));
    expect(signup).toMatchObject({ termsVersion, paymentMethod: "card", contactEmail: form.email });
    expect(signup.termsAcceptedAt).toBeInstanceOf(Date);
    const [partnership] = await t.db.select().from(partnerships).where(eq(partnerships.id, started.partnershipId));
    expect(partnership).toMatchObject({ status: "negotiating", source: "signup", tier: "vanforetag", agreedYearlyOre: FEE_ORE, organisationId: signup.organisationId });
    const [org] = await t.db.select().from(organisations).where(eq(organisations.id, signup.organisationId));
    expect(org).toMatchObject({ orgNumber: form.orgNumber, industryId, postalCode: "722 11", isPublic: true });
    const [member] = await t.db.select().from(organisationMembers).where(eq(organisationMembers.organisationId, org.id));
    expect(member.roles).toEqual(["main"]);
    const [payment] = await t.db.select().from(payments).where(eq(payments.id, signup.paymentId!));
    const [goal] = await t.db.select().from(goals).where(eq(goals.slug, "alla-ar-trygga"));
    expect(payment).toMatchObject({ channel: "partner_fee", status: "pending", amountOre: FEE_ORE, goalId: goal.id, partnershipId: partnership.id, organisationId: org.id });
    expect(started.redirectUrl).toBe(`/dev/checkout/${payment.checkoutSessionId}`);

    const paid = await simulateCheckout(t.db, payment.checkoutSessionId!, "pay");
    expect(paid.redirect).toMatch(/^\/partners\/join\/thanks\?ref=\d+\./);
    expect(await goalBalance(t.db, "alla-ar-trygga")).toBe(raised + FEE_ORE);
    const [after] = await t.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after.status).toBe("paid");
    // Paid but not signed off: not active yet.
    expect((await t.db.select().from(partnerships).where(eq(partnerships.id, partnership.id)))[0].status).toBe("negotiating");
    expect(await signOff(staff, partnership.id)).toBe(true);
    expect((await t.db.select().from(partnerships).where(eq(partnerships.id, partnership.id)))[0].status).toBe("active");

    const mail = await t.db.select({ to: emailOutbox.to, template: emailOutbox.template, key: emailOutbox.dedupeKey }).from(emailOutbox).where(eq(emailOutbox.to, form.email));
    // The invitation (sign-in link), received, paid, and active once the sign-off made it so; no gift receipt for a partner fee.
    expect(mail.map((m) => m.template).sort()).toEqual(["contact-invitation", "partner-signup", "partner-signup", "partner-signup"]);
    expect(mail.map((m) => m.key).filter(Boolean).sort()).toEqual([`partner-signup:${signup.id}:active:partner`, `partner-signup:${signup.id}:paid:partner`, `partner-signup:${signup.id}:received:partner`]);
    const staffMail = await t.db.select({ key: emailOutbox.dedupeKey }).from(emailOutbox).where(sql`${emailOutbox.dedupeKey} like ${`partner-signup:${signup.id}:%:staff:%`}`);
    expect(staffMail.map((m) => m.key!.split(":")[2]).sort()).toEqual(["active", "paid", "received"]);
  });

  it("bank invoice: the PDF is emailed, a BgMax payment with its OCR pays the fee to the goal for the partnership, which (signed off) becomes active", async () => {
    const raised = await goalBalance(t.db, "alla-ar-trygga");
    const form = input({ payment: "bank_invoice", invoiceEmail: "faktura@testbolaget.example" });
    const started = await startPartnerSignup(anonymousContext(t.db), form);
    expect(started.redirectUrl).toMatch(/\/partners\/join\/thanks\?ref=/);
    const [invoice] = await t.db.select().from(invoices).where(eq(invoices.partnershipId, started.partnershipId));
    expect(invoice).toMatchObject({ channel: "partner_fee", delivery: "bank", status: "sent", totalOre: FEE_ORE, buyerEmail: "faktura@testbolaget.example", buyerOrgNumber: form.orgNumber });
    const [line] = await t.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id));
    const [goal] = await t.db.select().from(goals).where(eq(goals.slug, "alla-ar-trygga"));
    expect(line).toMatchObject({ goalId: goal.id, amountOre: FEE_ORE });
    const [sent] = await t.db.select({ id: emailOutbox.id }).from(emailOutbox).where(and(eq(emailOutbox.to, "faktura@testbolaget.example"), eq(emailOutbox.template, "company-invoice")));
    const attached = await t.db.select({ contentType: emailAttachments.contentType }).from(emailAttachments).where(eq(emailAttachments.outboxId, sent.id));
    expect(attached).toEqual([{ contentType: "application/pdf" }]);

    // Signed off before the money arrives: the payment makes it active.
    expect(await signOff(staff, started.partnershipId)).toBe(false);
    const file = bgMaxFromPayments(testSeller.bankgiro.replace("-", ""), [{ ocr: invoice.ocrReference!, amountOre: FEE_ORE, date: "2026-11-30" }]);
    await importBgMaxFile(staff, { fileName: "bgmax.txt", bytes: encodeBgMax(file) });
    const [payment] = await t.db.select().from(payments).where(eq(payments.companyInvoiceId, invoice.id));
    expect(payment).toMatchObject({ channel: "partner_fee", status: "paid", goalId: goal.id, partnershipId: started.partnershipId, amountOre: FEE_ORE });
    expect(await goalBalance(t.db, "alla-ar-trygga")).toBe(raised + FEE_ORE);
    expect((await t.db.select().from(partnerships).where(eq(partnerships.id, started.partnershipId)))[0].status).toBe("active");
    const keys = (await t.db.select({ key: emailOutbox.dedupeKey }).from(emailOutbox).where(sql`${emailOutbox.dedupeKey} like ${`partner-signup:${started.signupId}:%:partner`}`)).map((r) => r.key!.split(":")[2]);
    expect(keys.sort()).toEqual(["active", "invoice_sent", "paid", "received"]);
  });

  it("never attaches a partnership to an existing company for an anonymous visitor; its signed-in contact may sign it up for another goal", async () => {
    const first = input({ payment: "stripe_invoice" });
    const started = await startPartnerSignup(anonymousContext(t.db), first);
    const [signup] = await t.db.select().from(partnerSignups).where(eq(partnerSignups.id, started.signupId));
    const before = await counts(t.db);
    const again = await startPartnerSignup(anonymousContext(t.db), input({ orgNumber: first.orgNumber, goal: "ingen-ensamhet" })).catch((e) => e);
    expect([again.status, again.fieldErrors]).toEqual([409, { orgNumber: "organisation_exists" }]);
    expect(await counts(t.db)).toEqual(before);

    const contact = personContext(t.db, { id: signup.contactPersonId!, email: first.email, organisations: [{ organisationId: signup.organisationId, isAdmin: true }] });
    const second = await startPartnerSignup(contact, input({ orgNumber: first.orgNumber, email: first.email, goal: "ingen-ensamhet", payment: "stripe_invoice" }));
    const [p] = await t.db.select().from(partnerships).where(eq(partnerships.id, second.partnershipId));
    expect(p.organisationId).toBe(signup.organisationId);
    // The Stripe invoice went out through the gateway (the simulator here), numbered, for the partnership.
    const [inv] = await t.db.select().from(invoices).where(eq(invoices.partnershipId, second.partnershipId));
    expect(inv).toMatchObject({ delivery: "stripe", status: "sent", stripeInvoiceId: `in_sim_company_${inv.id}` });
  });
});
