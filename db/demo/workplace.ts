import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../client.server";
import { goals, organisationMembers, organisations, payrollRuns, people, workplaceInvites, workplacePledges, workplacePledgeTerms, workplaceProgrammes } from "../schema";
import { systemContext, type ServiceContext } from "~/services/context";
import { registerInvoicePayment } from "~/services/invoices/invoices-payments.server";
import { newInviteCode } from "~/services/workplace/invite-code.server";
import { confirmRun, listedPledges, runPayrollMonth } from "~/services/workplace/payroll-run.server";
import { swedishMonth } from "~/services/workplace/payroll-jobs.server";

/**
 * Demo workplace giving (issue 13 item 8): a fictional employer ("Demo: …", no organisation number:
 * the app never makes one up) with a programme (marked demo), 20 fictional employees at example.com
 * pledging fixed kronor or a per-mille of salary to one goal or a split, and the three months before
 * the seeding run, confirmed (the per-mille amounts "reported" are made up, as everything here) and
 * paid through the invoice module, so the payments (channel salary_giving, origin demo) and the
 * goals' ledgers carry them. Idempotent: the employer is found by name, each month's run by month.
 */

export const demoEmployer = { name: "Demo: Exempelverkstaden AB", contact: { email: "lon@exempelverkstaden.example.com", name: "Demo Lönekontakt" } };

const FIRST_NAMES = ["Alva", "Bertil", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Hassan", "Ida", "Johan", "Karin", "Leo", "Maja", "Nils", "Olivia", "Per", "Rut", "Samir", "Tove", "Ulf"];

function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  return `${yy}-${String((((m % 12) + 12) % 12) + 1).padStart(2, "0")}-01`;
}

async function ensurePerson(db: Db, email: string, name: string): Promise<number> {
  const [found] = await db.select({ id: people.id }).from(people).where(eq(people.email, email));
  if (found) return found.id;
  const [row] = await db.insert(people).values({ email, name, demo: true }).returning({ id: people.id });
  return row.id;
}

export async function seedWorkplaceDemo(db: Db, now = new Date()): Promise<void> {
  const goalRows = await db.select({ id: goals.id, slug: goals.slug }).from(goals);
  const goal = (slug: string) => goalRows.find((g) => g.slug === slug)?.id;
  const g1 = goal("ingen-ensamhet");
  const g2 = goal("alla-kan-arbeta");
  const g3 = goal("alla-ar-trygga");
  if (!g1 || !g2 || !g3) return;

  let [org] = await db.select().from(organisations).where(eq(organisations.name, demoEmployer.name));
  if (!org) {
    [org] = await db
      .insert(organisations)
      .values({ name: demoEmployer.name, address: "Demovägen 3", postalCode: "722 00", city: "Västerås", invoiceEmail: demoEmployer.contact.email, demo: true })
      .returning();
  }
  const contactId = await ensurePerson(db, demoEmployer.contact.email, demoEmployer.contact.name);
  await db.insert(organisationMembers).values({ organisationId: org.id, personId: contactId, isAdmin: true }).onConflictDoNothing();

  const first = addMonths(swedishMonth(now), -3);
  let [programme] = await db.select().from(workplaceProgrammes).where(eq(workplaceProgrammes.organisationId, org.id));
  if (!programme) {
    [programme] = await db
      .insert(workplaceProgrammes)
      .values({ organisationId: org.id, perMilleOffered: true, payrollDay: 25, payCode: "9810", statedHeadcount: 60, goalIds: [g1, g2, g3], matchMode: "percent", matchPercent: 50, matchCapOre: 20000n, payrollContactPersonId: contactId, paymentMethod: "bank", differenceRule: "ask_staff", demo: true })
      .returning();
    for (const [i, firstName] of FIRST_NAMES.entries()) {
      const personId = await ensurePerson(db, `demo-anstalld-${String(i + 1).padStart(2, "0")}@example.com`, `Demo ${firstName} Anställd`);
      const [p] = await db
        .insert(workplacePledges)
        .values({ programmeId: programme.id, personId, employeeNumber: String(101 + i), consentAt: now, consentVersion: "demo" })
        .onConflictDoNothing()
        .returning();
      if (!p) continue;
      const perMille = i % 4 === 3;
      const split = i % 5 === 0 ? [{ goalId: g1, percent: 50 }, { goalId: g2, percent: 50 }] : [{ goalId: [g1, g2, g3][i % 3], percent: 100 }];
      // Some join in the second month, one pauses in the third, one changes amount in the third.
      const start = i % 6 === 5 ? addMonths(first, 1) : first;
      await db.insert(workplacePledgeTerms).values({
        pledgeId: p.id,
        fromMonth: start,
        state: "active",
        kind: perMille ? "per_mille" : "fixed",
        amountOre: perMille ? null : BigInt(100 + (i % 4) * 50) * 100n,
        rateTenths: perMille ? 5 + (i % 3) * 5 : null,
        goals: split,
      });
      if (i === 2) await db.insert(workplacePledgeTerms).values({ pledgeId: p.id, fromMonth: addMonths(first, 2), state: "paused", kind: "fixed", amountOre: 20000n, goals: split });
      if (i === 4) await db.insert(workplacePledgeTerms).values({ pledgeId: p.id, fromMonth: addMonths(first, 2), state: "active", kind: "fixed", amountOre: 30000n, goals: split });
    }
  }

  // A live join code, so the demo's join link and poster work (and the forms test can open the join page).
  const [invite] = await db.select({ id: workplaceInvites.id }).from(workplaceInvites).where(and(eq(workplaceInvites.programmeId, programme.id), isNull(workplaceInvites.revokedAt)));
  if (!invite) await db.insert(workplaceInvites).values({ programmeId: programme.id, code: newInviteCode(), createdBy: contactId }).onConflictDoNothing();

  const contact: ServiceContext = {
    db,
    actor: { kind: "person", personId: contactId, email: demoEmployer.contact.email, name: demoEmployer.contact.name, roles: [], organisations: [{ organisationId: org.id, isAdmin: true }] },
    locale: "sv",
  };
  for (const month of [first, addMonths(first, 1), addMonths(first, 2)]) {
    const [existing] = await db.select().from(payrollRuns).where(and(eq(payrollRuns.organisationId, org.id), eq(payrollRuns.month, month)));
    if (existing?.status === "confirmed") continue;
    const { run } = await runPayrollMonth(systemContext(db, "demo:workplace"), programme.id, month);
    const view = await db.select({ pledgeId: workplacePledges.id, rate: workplacePledgeTerms.rateTenths }).from(workplacePledgeTerms).innerJoin(workplacePledges, eq(workplacePledges.id, workplacePledgeTerms.pledgeId)).where(eq(workplacePledges.programmeId, programme.id));
    // Made-up amounts "reported" for the per-mille pledges: the rate of a fictional 32 000 kr net salary.
    const reported: Record<string, string> = {};
    for (const v of view) if (v.rate !== null) reported[String(v.pledgeId)] = String((v.rate * 32000) / 10000);
    const listed = await listedPledges(db, run.id);
    const wanted = Object.fromEntries(Object.entries(reported).filter(([id]) => listed.some((p) => p.pledgeId === Number(id) && p.kind === "per_mille" && p.change !== "paused" && p.change !== "stopped")));
    const { invoice } = await confirmRun(contact, run.id, { confirm: "yes", reported: wanted }, now);
    if (invoice) {
      await db.transaction((tx) =>
        registerInvoicePayment(tx, invoice.id, { amountOre: invoice.totalOre, paidAt: now, reference: `demo-lon-${month.slice(0, 7)}`, author: "system:demo", method: "bankgiro", origin: "demo" }),
      );
    }
  }
}
