import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../client.server";
import { crmInteractions, crmTasks, goals, invoices, organisationMembers, organisations, partnerships, payments, people, type PartnershipStatus, type PartnerTierSlug } from "../schema";
import { systemContext, type ServiceContext } from "~/services/context";
import { createInvoiceDraft, invoiceSeller, issueInvoice } from "~/services/invoices/invoices.server";
import { invoiceSettingsProblem } from "~/services/invoices/invoice-pdf.server";
import { createPartnership, activateIfReady } from "~/services/partners/partnerships.server";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";
import { demoOrganisations, demoPeople } from "./identity";

/**
 * Demo partners (issue 11 item 9): fictional companies (every name says "Demo"), across the five goals, the
 * three tiers and the partnership statuses, with partner fees paid through the payments core (channel
 * partner_fee, attributed to the partnership, origin 'demo') and a few CRM notes and tasks. Organisation
 * numbers are left empty: the app never makes one up. Rows are marked demo (organisations.demo,
 * partnerships.demo, payments.origin 'demo'; CRM rows hang off demo organisations). Idempotent: each
 * partnership is found by organisation, goal and period before it is made, each fee by its reference.
 *
 * The demo's contacts sign in at /login with their example.com address (the dev mailbox shows the link):
 * kontakt@exempel-ab.example.com (one company), kontakt@prov-och-test.example.com, and
 * kontakt@flera-bolag.example.com, a contact of two companies who switches between them on /partner.
 */

export const demoMultiContact = { email: "kontakt@flera-bolag.example.com", name: "Demo Kontakt Flera" } as const;

type DemoPartnership = {
  key: string;
  company: string;
  goal: string;
  tier: PartnerTierSlug;
  status: PartnershipStatus;
  agreedKr: number | null;
  startsOn: string | null;
  endsOn: string | null;
  /** Fees paid, each by card on the day given (Swedish dates, noon). */
  fees?: { kr: number; on: string }[];
};

const extraCompanies = {
  bygg: "Demo: Exempelbolaget Bygg AB",
  cafe: "Demo: Testfirman Café HB",
  konsult: "Demo: Påhittat Konsult AB",
  fastighet: "Demo: Fiktiva Fastigheter AB",
} as const;

const demoPartnerships: DemoPartnership[] = [
  // Last year's partnership, renewed by this year's (renewsPartnershipId), both paid.
  { key: "a-2025", company: demoOrganisations.a, goal: "ingen-hemloshet", tier: "partner", status: "renewed", agreedKr: 30_000, startsOn: "2025-01-01", endsOn: "2025-12-31", fees: [{ kr: 30_000, on: "2025-02-14" }] },
  { key: "a-2026", company: demoOrganisations.a, goal: "ingen-hemloshet", tier: "huvudpartner", status: "active", agreedKr: 50_000, startsOn: "2026-01-01", endsOn: "2026-12-31", fees: [{ kr: 50_000, on: "2026-02-10" }] },
  { key: "b-2026", company: demoOrganisations.b, goal: "alla-ar-trygga", tier: "vanforetag", status: "renewal_due", agreedKr: 10_000, startsOn: "2026-01-01", endsOn: "2026-12-31", fees: [{ kr: 10_000, on: "2026-01-20" }] },
  { key: "bygg", company: extraCompanies.bygg, goal: "ingen-ensamhet", tier: "partner", status: "negotiating", agreedKr: 25_000, startsOn: "2027-01-01", endsOn: "2027-12-31" },
  { key: "cafe", company: extraCompanies.cafe, goal: "alla-kan-arbeta", tier: "vanforetag", status: "prospect", agreedKr: null, startsOn: null, endsOn: null },
  { key: "konsult", company: extraCompanies.konsult, goal: "ingen-psykisk-ohalsa", tier: "partner", status: "lapsed", agreedKr: 20_000, startsOn: "2025-01-01", endsOn: "2025-12-31", fees: [{ kr: 20_000, on: "2025-03-03" }] },
  { key: "fastighet", company: extraCompanies.fastighet, goal: "alla-ar-trygga", tier: "huvudpartner", status: "declined", agreedKr: null, startsOn: null, endsOn: null },
];

const demoNotes: { company: string; kind: "call" | "meeting" | "email" | "note"; on: string; text: string }[] = [
  { company: demoOrganisations.a, kind: "meeting", on: "2026-01-15", text: "Demo: möte om huvudpartnerskap för Ingen hemlöshet." },
  { company: demoOrganisations.b, kind: "call", on: "2026-10-05", text: "Demo: ringde om förnyelse, återkommer i november." },
  { company: extraCompanies.bygg, kind: "email", on: "2026-11-02", text: "Demo: skickade förslag på partneravtal." },
  { company: extraCompanies.cafe, kind: "note", on: "2026-11-20", text: "Demo: intresserade efter julmarknaden." },
];

const demoTasks: { company: string; title: string; dueOn: string }[] = [
  { company: demoOrganisations.b, title: "Demo: följ upp förnyelsen", dueOn: "2026-12-01" },
  { company: extraCompanies.bygg, title: "Demo: skicka avtal för underskrift", dueOn: "2026-12-15" },
];

async function organisationId(tx: Tx, name: string): Promise<number> {
  const [found] = await tx.select({ id: organisations.id }).from(organisations).where(and(eq(organisations.name, name), eq(organisations.demo, true)));
  if (found) return found.id;
  const [row] = await tx.insert(organisations).values({ name, demo: true, isPublic: true }).returning({ id: organisations.id });
  return row.id;
}

async function personId(tx: Tx, p: { email: string; name: string }): Promise<number> {
  await tx.insert(people).values({ email: p.email, name: p.name, demo: true }).onConflictDoNothing({ target: people.email });
  const [row] = await tx.select({ id: people.id }).from(people).where(eq(people.email, p.email));
  return row.id;
}

export async function seedPartnersDemo(outer: Db): Promise<void> {
  await outer.transaction(async (tx) => {
    // One seeder at a time, even when two instances start together (partnerships have no natural key).
    await tx.execute(sql`select pg_advisory_xact_lock(4242011)`);
    await seed(tx);
  });
}

async function seed(tx: Tx): Promise<void> {
  const demo = systemContext(tx as unknown as Db, "demo");
  const goalIds = new Map((await tx.select({ id: goals.id, slug: goals.slug }).from(goals)).map((g) => [g.slug, g.id]));
  const admin = await personId(tx, demoPeople.admin);
  const ids = new Map<string, number>();
  for (const d of demoPartnerships) {
    const org = await organisationId(tx, d.company);
    const goalId = goalIds.get(d.goal)!;
    const [existing] = await tx
      .select({ id: partnerships.id })
      .from(partnerships)
      .where(and(eq(partnerships.organisationId, org), eq(partnerships.goalId, goalId), eq(partnerships.demo, true), d.startsOn ? eq(partnerships.startsOn, d.startsOn) : sql`${partnerships.startsOn} is null`));
    if (existing) {
      ids.set(d.key, existing.id);
      continue;
    }
    const initial: PartnershipStatus = d.status === "prospect" || d.status === "declined" ? d.status : "negotiating";
    const created = await createPartnership(
      tx,
      { organisationId: org, goalId, tier: d.tier, agreedYearlyOre: d.agreedKr === null ? null : BigInt(d.agreedKr * 100), startsOn: d.startsOn, endsOn: d.endsOn, status: initial, demo: true, note: "Demo" },
      demo.actor,
    );
    ids.set(d.key, created.id);
    if (initial === "negotiating" && d.status !== "negotiating") {
      // Signed off by the demo admin for a year from the start, as staff would before it goes public.
      const expires = `${Number(d.startsOn!.slice(0, 4)) + 1}${d.startsOn!.slice(4)}`;
      await tx
        .update(partnerships)
        .set({ signedOffAt: new Date(`${d.startsOn}T09:00:00Z`), signedOffByPersonId: admin, signOffNote: "Demo: granskad", signOffExpiresOn: expires })
        .where(eq(partnerships.id, created.id));
    }
    for (const [n, fee] of (d.fees ?? []).entries()) {
      const reference = `demo-partner-fee-${d.key}-${n + 1}`;
      const [paid] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.reference, reference));
      if (paid) continue;
      const payment = await recordPayment(tx, {
        channel: "partner_fee",
        amountOre: BigInt(fee.kr * 100),
        goalId,
        origin: "demo",
        method: "card",
        payer: { name: d.company, organisationId: org },
        source: { partnershipId: created.id },
        reference,
      });
      await markPaymentPaid(tx, payment, { paidAt: new Date(`${fee.on}T11:00:00Z`), author: "demo" });
    }
    // The current year's becomes active the way a real one does (paid and signed off); past ones and
    // the renewal call are states the renewal job would have reached by now.
    const activated = await activateIfReady(tx, created.id, demo.actor);
    if (d.status !== (activated ? "active" : initial)) await tx.update(partnerships).set({ status: d.status }).where(eq(partnerships.id, created.id));
    // Running demo partners are shown on their goal's partner wall (the organisation's consent to be named).
    if (["active", "renewal_due"].includes(d.status)) await tx.update(organisations).set({ isPublic: true }).where(and(eq(organisations.id, org), eq(organisations.demo, true)));
  }
  const renewal = ids.get("a-2026");
  if (renewal) await tx.update(partnerships).set({ renewsPartnershipId: ids.get("a-2025") }).where(and(eq(partnerships.id, renewal), sql`${partnerships.renewsPartnershipId} is null`));

  // A contact of two companies, to show the switcher on /partner.
  const multi = await personId(tx, demoMultiContact);
  for (const name of [demoOrganisations.a, demoOrganisations.b]) {
    await tx.insert(organisationMembers).values({ organisationId: await organisationId(tx, name), personId: multi, isAdmin: false }).onConflictDoNothing();
  }

  // The renewal's invoice for next year, made by the demo admin through the invoices service: a draft, issued
  // only when staff have filled in the settings a bank invoice needs (the demo never makes them up).
  const orgB = await organisationId(tx, demoOrganisations.b);
  const [invoiced] = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.organisationId, orgB), eq(invoices.demo, true)));
  if (!invoiced) {
    const staff: ServiceContext = { db: tx as unknown as Db, actor: { kind: "person", personId: admin, email: demoPeople.admin.email, name: demoPeople.admin.name, roles: ["admin"], organisations: [] }, locale: "sv" };
    const draft = await createInvoiceDraft(staff, {
      organisationId: String(orgB),
      issueDate: "2026-11-25",
      dueDate: "2026-12-31",
      buyerName: demoOrganisations.b,
      buyerAddress: "Demogatan 1, 722 00 Västerås",
      buyerEmail: demoPeople.contactB.email,
      buyerReference: "Demo",
      delivery: "bank",
      channel: "partner_fee",
      lines: [{ text: "Demo: partneravgift 2027, vänföretag", amount: "10000", goal: String(goalIds.get("alla-ar-trygga")) }],
    });
    await tx.update(invoices).set({ demo: true }).where(eq(invoices.id, draft.id));
    if (!invoiceSettingsProblem(await invoiceSeller(tx))) await issueInvoice(staff, draft.id);
  }

  for (const n of demoNotes) {
    const org = await organisationId(tx, n.company);
    const [seen] = await tx.select({ id: crmInteractions.id }).from(crmInteractions).where(and(eq(crmInteractions.organisationId, org), eq(crmInteractions.text, n.text)));
    if (!seen) await tx.insert(crmInteractions).values({ organisationId: org, kind: n.kind, occurredOn: n.on, authorPersonId: admin, text: n.text });
  }
  for (const task of demoTasks) {
    const org = await organisationId(tx, task.company);
    const [seen] = await tx.select({ id: crmTasks.id }).from(crmTasks).where(and(eq(crmTasks.organisationId, org), eq(crmTasks.title, task.title)));
    if (!seen) await tx.insert(crmTasks).values({ title: task.title, dueOn: task.dueOn, assigneePersonId: admin, organisationId: org, createdBy: admin });
  }
}
