import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { certificates, goals } from "~db/schema";
import { anonymousActor, SignInRequired, type ServiceContext } from "~/services/context";
import { Forbidden, NotFound } from "~/services/errors";
import { createInvoiceDraft, issueInvoice } from "~/services/invoices/invoices.server";
import { issueCertificate, partnerCertificatePdf, verifyCertificate } from "~/services/partners/certificate.server";
import { renderCertificatePdf } from "~/services/partners/certificate-pdf.server";
import { partnerDashboard, partnerInvoicePdf } from "~/services/partners/dashboard.server";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";
import { createOrganisation, createPerson, createStaff } from "../factories";
import { completeInvoiceSettings, draftInput, pdfText } from "../invoices/helpers";
import { personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { partnershipWithFee } from "./fixtures";

const now = new Date("2026-11-29T10:00:00Z");

/**
 * The partner dashboard, certificate and invoice PDFs called as services, without a route (issue 11 item 8
 * and the acceptance's access rule): a contact of A never gets B's partnerships, invoices or certificates,
 * whatever id they try; a contact of both switches between them; anonymous visitors must sign in.
 */
describe.each(dbTargets)("partner dashboard and certificates (%s)", (target) => {
  const t = useTestDatabase(target);
  let staff: ServiceContext, contactA: ServiceContext, contactB: ServiceContext, contactAB: ServiceContext, donor: ServiceContext, anonymous: ServiceContext;
  let orgA: number, orgB: number, partnershipA: number, partnershipB: number, invoiceB: number;

  beforeAll(async () => {
    // Names chosen so that B sorts first: a contact of both lands on B without ?org=.
    orgA = (await createOrganisation(t.db, { name: "Zeta Exempel AB (test)", orgNumber: "556677-8899" })).id;
    orgB = (await createOrganisation(t.db, { name: "Alfa Prov AB (test)" })).id;
    const staffPerson = await createStaff(t.db, "fundraiser");
    staff = personContext(t.db, { id: staffPerson.id, email: staffPerson.email, roles: ["fundraiser"] });
    const person = async (orgs: number[]) => personContext(t.db, { id: (await createPerson(t.db)).id, organisations: orgs.map((organisationId) => ({ organisationId, isAdmin: true })) });
    contactA = await person([orgA]);
    contactB = await person([orgB]);
    contactAB = await person([orgA, orgB]);
    donor = await person([]);
    anonymous = { db: t.db, actor: anonymousActor, locale: "sv" };
    partnershipA = (
      await partnershipWithFee(t.db, {
        organisationId: orgA,
        goal: "alla-ar-trygga",
        tier: "vanforetag",
        agreedKr: 8000,
        fees: [
          { kr: 3000, paidAt: new Date("2025-06-01T10:00:00Z") },
          { kr: 5000, paidAt: new Date("2026-03-01T10:00:00Z") },
          // 00:30 on 1 January 2026 in Västerås: a 2026 payment, though still 2025 in UTC.
          { kr: 250, paidAt: new Date("2025-12-31T23:30:00Z") },
        ],
      })
    ).partnershipId;
    partnershipB = (await partnershipWithFee(t.db, { organisationId: orgB, goal: "ingen-ensamhet", tier: "huvudpartner", status: "renewal_due", fees: [{ kr: 40000, paidAt: new Date("2026-02-01T10:00:00Z") }] }))
      .partnershipId;
    await completeInvoiceSettings(staff);
    const draft = await createInvoiceDraft(staff, draftInput(orgB, { buyerName: "Alfa Prov AB (test)" }));
    invoiceB = (await issueInvoice(staff, draft.id)).id;
  });

  it("anonymous visitors must sign in for every partner service", async () => {
    await expect(partnerDashboard(anonymous, {}, now)).rejects.toBeInstanceOf(SignInRequired);
    await expect(issueCertificate(anonymous, partnershipA, 2026)).rejects.toBeInstanceOf(SignInRequired);
    await expect(partnerCertificatePdf(anonymous, partnershipA, 2026)).rejects.toBeInstanceOf(SignInRequired);
    await expect(partnerInvoicePdf(anonymous, invoiceB)).rejects.toBeInstanceOf(SignInRequired);
  });

  it("a contact of A is refused B's dashboard, partnership certificate and invoice, and learns nothing from a missing id", async () => {
    await expect(partnerDashboard(contactA, { organisationId: orgB }, now)).rejects.toBeInstanceOf(Forbidden);
    await expect(partnerCertificatePdf(contactA, partnershipB, 2026)).rejects.toBeInstanceOf(Forbidden);
    await expect(partnerInvoicePdf(contactA, invoiceB)).rejects.toBeInstanceOf(Forbidden);
    // The same answer for ids that do not exist: no way to probe which partnerships or invoices there are.
    await expect(partnerCertificatePdf(contactA, 999_999, 2026)).rejects.toBeInstanceOf(Forbidden);
    await expect(partnerInvoicePdf(contactA, 999_999)).rejects.toBeInstanceOf(Forbidden);
    await expect(partnerDashboard(donor, { organisationId: orgA }, now)).rejects.toBeInstanceOf(Forbidden);
    // Staff see everything, and are told plainly when something is missing.
    await expect(partnerCertificatePdf(staff, 999_999, 2026)).rejects.toBeInstanceOf(NotFound);
    const staffView = await partnerDashboard(staff, { organisationId: orgB }, now);
    expect(staffView.organisation?.id).toBe(orgB);
    // Staff are told which charity settings the certificate lacks (the test settings have no website).
    expect(staffView.missingSettings).toEqual(["website"]);
    // Nothing was issued for the refused requests.
    expect(await t.db.select().from(certificates).where(eq(certificates.partnershipId, partnershipB))).toEqual([]);
  });

  it("shows a contact their own organisation's partnerships, money per goal this year and in all, and invoices; never B's", async () => {
    const a = await partnerDashboard(contactA, {}, now);
    expect(a.organisation?.id).toBe(orgA);
    expect(a.choices.map((c) => c.id)).toEqual([orgA]);
    expect(a.partnerships).toHaveLength(1);
    expect(a.partnerships[0]).toMatchObject({ id: partnershipA, status: "active", tier: { slug: "vanforetag", name: "Vänföretag" }, goal: { slug: "alla-ar-trygga" } });
    expect(a.partnerships[0]).toMatchObject({ paidThisYearOre: "525000", paidTotalOre: "825000", certificateYears: [2026, 2025] });
    expect(a.moneyPerGoal).toEqual([{ goal: expect.objectContaining({ slug: "alla-ar-trygga" }), yearOre: "525000", totalOre: "825000" }]);
    expect(a.invoices).toEqual([]);
    const seen = JSON.stringify(a);
    expect(seen).not.toContain("Alfa Prov");
    expect(seen).not.toContain("ingen-ensamhet");
    // Only staff are told about missing charity settings (contacts cannot fix them).
    expect(a.missingSettings).toEqual([]);
    const b = await partnerDashboard(contactB, {}, now);
    expect(b.partnerships.map((p) => p.id)).toEqual([partnershipB]);
    expect(b.partnerships[0].status).toBe("renewal_due");
    expect(b.invoices.map((i) => i.id)).toEqual([invoiceB]);
    expect(JSON.stringify(b)).not.toContain("Zeta Exempel");
  });

  it("a contact of two organisations switches between them, each shown alone", async () => {
    const first = await partnerDashboard(contactAB, {}, now);
    expect(first.choices.map((c) => c.id)).toEqual([orgB, orgA]);
    expect(first.organisation?.id).toBe(orgB);
    const a = await partnerDashboard(contactAB, { organisationId: orgA }, now);
    expect(a.partnerships.map((p) => p.id)).toEqual([partnershipA]);
    expect(a.invoices).toEqual([]);
    const b = await partnerDashboard(contactAB, { organisationId: orgB }, now);
    expect(b.partnerships.map((p) => p.id)).toEqual([partnershipB]);
    expect((await partnerInvoicePdf(contactAB, invoiceB)).content.byteLength).toBeGreaterThan(1000);
    expect((await partnerCertificatePdf(contactAB, partnershipA, 2026)).content.byteLength).toBeGreaterThan(1000);
    // A person who is nobody's contact gets an empty page, not someone else's organisation.
    expect((await partnerDashboard(donor, {}, now)).organisation).toBeNull();
  });

  it("the certificate PDF states company, goal, tier, the year's amount, period, SDGs, the charity and the verify link", async () => {
    const pdf = await partnerCertificatePdf(contactA, partnershipA, 2026);
    const text = await pdfText(pdf.content);
    expect(text).toContain("Partnerintyg 2026");
    expect(text).toContain("Zeta Exempel AB (test)");
    expect(text).toContain("556677-8899");
    expect(text).toContain("Alla är trygga");
    expect(text).toContain("Vänföretag");
    // 5 000 kr paid in March and 250 kr in the first half hour of the year, Swedish time; not 2025's 3 000 kr.
    expect(text).toMatch(/5 250 kr/);
    expect(text).toContain("1 januari 2026 – 31 december 2026");
    expect(text).toContain("3. Hälsa och välbefinnande");
    expect(text).toContain("5. Jämställdhet");
    expect(text).toContain("Stödföreningen Hjälpen");
    expect(text).toContain("802005-1952");
    expect(text).toContain(`/verify/${pdf.code}`);
    const english = await pdfText((await partnerCertificatePdf({ ...contactA, locale: "en" }, partnershipA, 2025)).content);
    expect(english).toContain("Partner certificate 2025");
    expect(english).toContain("Friend company");
    expect(english).toMatch(/SEK 3,000|3[ ,]000/);
  });

  it("/verify shows the same facts as issued; the same facts keep the code, changed facts get a new one and the old is marked", async () => {
    const first = await issueCertificate(contactA, partnershipA, 2026);
    expect((await issueCertificate(staff, partnershipA, 2026)).code).toBe(first.code);
    const verified = await verifyCertificate(anonymous, first.code);
    expect(verified).toMatchObject({ superseded: false, facts: { company: "Zeta Exempel AB (test)", tier: { slug: "vanforetag" }, goal: { slug: "alla-ar-trygga" }, amountOre: "525000", year: 2026 } });
    // Public: no personal data in what it shows.
    expect(JSON.stringify(verified)).not.toMatch(/@|person/i);
    // Another fee in the year changes the amount: a new certificate, and the old one's page says it was replaced.
    const [goal] = await t.db.select({ id: goals.id }).from(goals).where(eq(goals.slug, "alla-ar-trygga"));
    await t.db.transaction(async (tx) => {
      const p = await recordPayment(tx, { channel: "partner_fee", amountOre: 100_000n, goalId: goal.id, origin: "app", source: { partnershipId: partnershipA } });
      await markPaymentPaid(tx, p, { paidAt: new Date("2026-10-01T10:00:00Z"), author: "test" });
    });
    const second = await issueCertificate(contactA, partnershipA, 2026);
    expect(second.code).not.toBe(first.code);
    expect(second.facts.amountOre).toBe("625000");
    expect((await verifyCertificate(anonymous, first.code))?.superseded).toBe(true);
    expect((await verifyCertificate(anonymous, second.code))?.superseded).toBe(false);
    expect(await verifyCertificate(anonymous, "x".repeat(16))).toBeNull();
    expect(await verifyCertificate(anonymous, "../../etc")).toBeNull();
  });

  it("a charity setting that is missing is printed as missing, never filled in", async () => {
    const { facts } = await issueCertificate(contactA, partnershipA, 2026);
    const pdf = await renderCertificatePdf({ locale: "sv", facts: { ...facts, charity: { name: "Stödföreningen Hjälpen", organisationNumber: "", address: "", website: "" } }, code: "c".repeat(16), issuedAt: now, verifyUrl: "http://example.org/verify/x" });
    const text = await pdfText(pdf);
    expect(text).toContain("Organisationsnummer: ej angivet av Västerås stadsmission ännu");
    expect(text).not.toContain("802005-1952");
  });

  it("no certificate for a year without money", async () => {
    await expect(partnerCertificatePdf(contactA, partnershipA, 2024)).rejects.toMatchObject({ status: 404, message: "certificate_not_found" });
  });
});
