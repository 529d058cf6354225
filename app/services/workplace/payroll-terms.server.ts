import { and, asc, eq, lte } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { people, workplacePledges, workplacePledgeTerms, type WorkplacePledgeTerms } from "~db/schema";
import type { PledgeMonth, TermsLike } from "./payroll-compute";

/**
 * The terms of every pledge of a programme in force for `month` and for the month before — the
 * contract of wpledge's `pledgeTermsForMonth` (iface6), read here in two queries whatever the size
 * (bench:payroll: 10,000 pledges) so the run does not wait on the pledge module's other reads.
 * The terms in force for month M are the row with the latest from_month ≤ M.
 */
export async function termsForRun(db: Db | Tx, programmeId: number, month: string): Promise<PledgeMonth[]> {
  const pledges = await db
    .select({ pledgeId: workplacePledges.id, personId: workplacePledges.personId, name: people.name, email: people.email, employeeNumber: workplacePledges.employeeNumber })
    .from(workplacePledges)
    .innerJoin(people, eq(people.id, workplacePledges.personId))
    .where(eq(workplacePledges.programmeId, programmeId))
    .orderBy(asc(workplacePledges.id));
  if (!pledges.length) return [];
  const rows = await db
    .select({ t: workplacePledgeTerms })
    .from(workplacePledgeTerms)
    .innerJoin(workplacePledges, eq(workplacePledges.id, workplacePledgeTerms.pledgeId))
    .where(and(eq(workplacePledges.programmeId, programmeId), lte(workplacePledgeTerms.fromMonth, month)))
    .orderBy(asc(workplacePledgeTerms.pledgeId), asc(workplacePledgeTerms.fromMonth));
  // Per pledge, rows in month order: the last is in force for `month`, the last before it for the month before.
  const now = new Map<number, WorkplacePledgeTerms>();
  const before = new Map<number, WorkplacePledgeTerms>();
  for (const { t } of rows) {
    if (t.fromMonth < month) before.set(t.pledgeId, t);
    now.set(t.pledgeId, t);
  }
  const terms = (t: WorkplacePledgeTerms | undefined): TermsLike | null =>
    t ? { state: t.state, kind: t.kind, amountOre: t.amountOre, rateTenths: t.rateTenths, goals: t.goals } : null;
  return pledges
    .filter((p) => now.has(p.pledgeId))
    .map((p) => ({ pledgeId: p.pledgeId, personId: p.personId, name: p.name ?? p.email, employeeNumber: p.employeeNumber, terms: terms(now.get(p.pledgeId)), previous: terms(before.get(p.pledgeId)) }));
}
