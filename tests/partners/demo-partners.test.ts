import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices, organisationMembers, organisations, partnerships, payments, people } from "~db/schema";
import { seedDemoData } from "~db/seed";
import { demoMultiContact } from "~db/demo/partners";
import { partnerCertificatePdf } from "~/services/partners/certificate.server";
import { partnerDashboard } from "~/services/partners/dashboard.server";
import { pdfText } from "../invoices/helpers";
import { personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

/** Issue 11 item 9: fictional partner companies across goals, tiers and statuses, marked demo, seeded twice without doubling. */
describe.each(dbTargets)("demo partners (%s)", (target) => {
  const t = useTestDatabase(target);

  it("seeds fictional companies across goals, tiers and statuses, all marked demo, and a second run adds nothing", async () => {
    await seedDemoData(t.db);
    const count = async () => ({
      partnerships: (await t.db.select({ id: partnerships.id }).from(partnerships)).length,
      fees: (await t.db.select({ id: payments.id }).from(payments).where(eq(payments.channel, "partner_fee"))).length,
    });
    const first = await count();
    await seedDemoData(t.db);
    expect(await count()).toEqual(first);

    const rows = await t.db.select({ p: partnerships, org: organisations }).from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.organisationId));
    expect(rows.every((r) => r.p.demo && r.org.demo && /demo/i.test(r.org.name))).toBe(true);
    expect(rows.every((r) => r.org.orgNumber === null)).toBe(true);
    expect(new Set(rows.map((r) => r.p.status))).toEqual(new Set(["renewed", "active", "renewal_due", "negotiating", "prospect", "lapsed", "declined"]));
    expect(new Set(rows.map((r) => r.p.tier))).toEqual(new Set(["huvudpartner", "partner", "vanforetag"]));
    expect(new Set(rows.map((r) => r.p.goalId)).size).toBe(5);
    const fees = await t.db.select().from(payments).where(eq(payments.channel, "partner_fee"));
    expect(fees.length).toBe(4);
    expect(fees.every((f) => f.origin === "demo" && f.status === "paid" && f.partnershipId !== null)).toBe(true);
    // The renewal's invoice: a draft through the invoices service (the charity's settings are not filled in).
    // (The workplace demo's payroll invoices are salary giving, not partner fees.)
    const demoInvoices = await t.db.select().from(invoices).where(eq(invoices.channel, "partner_fee"));
    expect(demoInvoices.map((i) => [i.demo, i.status, i.totalOre])).toEqual([[true, "draft", 1_000_000n]]);
  });

  it("the demo contact of two companies switches between them on /partner and downloads a certificate", async () => {
    await seedDemoData(t.db);
    const [multi] = await t.db.select().from(people).where(eq(people.email, demoMultiContact.email));
    const memberships = await t.db.select().from(organisationMembers).where(eq(organisationMembers.personId, multi.id));
    expect(memberships).toHaveLength(2);
    const ctx = personContext(t.db, { id: multi.id, organisations: memberships.map((m) => ({ organisationId: m.organisationId, isAdmin: m.isAdmin })) });
    const now = new Date("2026-11-30T10:00:00Z");
    const first = await partnerDashboard(ctx, {}, now);
    expect(first.choices).toHaveLength(2);
    const withMoney = await Promise.all(first.choices.map((c) => partnerDashboard(ctx, { organisationId: c.id }, now)));
    const statuses = withMoney.flatMap((d) => d.partnerships.map((p) => p.status)).sort();
    expect(statuses).toEqual(["active", "renewal_due", "renewed"]);
    const active = withMoney.flatMap((d) => d.partnerships).find((p) => p.status === "active")!;
    expect(active.paidThisYearOre).toBe("5000000");
    const text = await pdfText((await partnerCertificatePdf(ctx, active.id, 2026)).content);
    expect(text).toContain("Demoföretaget Exempel AB");
    expect(text).toContain("Huvudpartner");
    expect(text).toMatch(/50 000 kr/);
    const orgIds = memberships.map((m) => m.organisationId);
    expect((await t.db.select().from(organisations).where(inArray(organisations.id, orgIds))).every((o) => o.demo)).toBe(true);
  });
});
