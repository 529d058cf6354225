import { beforeAll, describe, expect, it } from "vitest";
import { payrollRunLines, payrollRuns, workplacePledgeTerms, workplacePledges } from "~db/schema";
import { anonymousActor, SignInRequired, type ServiceContext } from "~/services/context";
import { Forbidden } from "~/services/errors";
import { employerOverview } from "~/services/workplace/employer.server";
import { saveProgramme } from "~/services/workplace/programme.server";
import { createOrganisation, createPerson, createStaff, goalId } from "../factories";
import { personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

const now = new Date("2026-11-15T10:00:00Z");
const programmeForm = { perMilleOffered: "yes", matchMode: "percent", matchPercent: "50", matchCap: "", matchPot: "", payrollDay: "25", payCode: "9100", paymentMethod: "bank", statedHeadcount: "10", differenceRule: "ask_staff" };

/**
 * The employer's view (issue 13 item 7) at the service level. Pledges, terms and runs are written
 * straight to the tables (the pledge and payroll services are other people's): participation is
 * pledgers ÷ stated headcount; per month and goal what was deducted; a figure of fewer than three
 * people is left out; no employee's name or own amount appears; only the employer's contacts and staff.
 */
describe.each(dbTargets)("employer view of a workplace programme (%s)", (target) => {
  const t = useTestDatabase(target);
  let contactA: ServiceContext, contactB: ServiceContext, staff: ServiceContext;
  let orgA: number, programmeA: number, ensamhet: number, hemloshet: number;
  const employees: { id: number; name: string; pledgeId: number }[] = [];

  async function pledge(name: string, terms: { fromMonth: string; state: "active" | "paused" | "stopped" }[]) {
    const person = await createPerson(t.db, { name });
    const [p] = await t.db.insert(workplacePledges).values({ programmeId: programmeA, personId: person.id, consentAt: new Date("2026-08-01T10:00:00Z"), consentVersion: "test-1" }).returning();
    for (const term of terms) await t.db.insert(workplacePledgeTerms).values({ pledgeId: p.id, ...term, kind: "fixed", amountOre: 15000n, goals: [{ goalId: ensamhet, percent: 100 }] });
    employees.push({ id: person.id, name, pledgeId: p.id });
    return employees[employees.length - 1];
  }

  async function run(month: string, status: "draft" | "confirmed", lines: { e: (typeof employees)[number]; goal: number; ore: bigint; reported?: bigint }[], matchOre: bigint) {
    const employeesOre = lines.reduce((s, l) => s + (l.reported ?? l.ore), 0n);
    const [r] = await t.db.insert(payrollRuns).values({ organisationId: orgA, programmeId: programmeA, month, status, employeesOre, matchOre }).returning();
    for (const l of lines) {
      await t.db.insert(payrollRunLines).values({ runId: r.id, personId: l.e.id, pledgeId: l.e.pledgeId, goalId: l.goal, amountOre: l.ore, reportedOre: l.reported ?? null, kind: "employee", employeeName: l.e.name });
    }
    return r.id;
  }

  beforeAll(async () => {
    const a = await createOrganisation(t.db, { name: "Vy A AB (test)" }, { contacts: 1 });
    const b = await createOrganisation(t.db, { name: "Vy B AB (test)" }, { contacts: 1 });
    orgA = a.id;
    contactA = personContext(t.db, { id: a.contacts[0].id, organisations: [{ organisationId: orgA, isAdmin: true }] });
    contactB = personContext(t.db, { id: b.contacts[0].id, organisations: [{ organisationId: b.id, isAdmin: true }] });
    const s = await createStaff(t.db, "admin");
    staff = personContext(t.db, { id: s.id, roles: ["admin"] });
    ensamhet = await goalId(t.db, "ingen-ensamhet");
    hemloshet = await goalId(t.db, "ingen-hemloshet");
    programmeA = (await saveProgramme(contactA, orgA, programmeForm)).id;
  });

  it("only the employer's contacts and staff; anonymous visitors must sign in", async () => {
    await expect(employerOverview({ db: t.db, actor: anonymousActor, locale: "sv" }, orgA, now)).rejects.toBeInstanceOf(SignInRequired);
    await expect(employerOverview(contactB, orgA, now)).rejects.toBeInstanceOf(Forbidden);
    expect((await employerOverview(staff, orgA, now))?.programmeId).toBe(programmeA);
  });

  it("hides the number of pledgers and participation while fewer than three pledge", async () => {
    await pledge("Anna Anställd", [{ fromMonth: "2026-09-01", state: "active" }]);
    await pledge("Bertil Bokförare", [{ fromMonth: "2026-09-01", state: "active" }]);
    const view = (await employerOverview(contactA, orgA, now))!;
    expect(view).toMatchObject({ statedHeadcount: 10, pledgers: null, participationPercent: null });
  });

  it("counts pledges in force this month: participation = pledgers ÷ stated headcount", async () => {
    await pledge("Cecilia Chef", [{ fromMonth: "2026-10-01", state: "active" }]);
    // Paused from this month: not a pledger now. Starts next month: not yet.
    await pledge("David Drift", [
      { fromMonth: "2026-09-01", state: "active" },
      { fromMonth: "2026-11-01", state: "paused" },
    ]);
    await pledge("Eva Ekonomi", [{ fromMonth: "2026-12-01", state: "active" }]);
    const view = (await employerOverview(contactA, orgA, now))!;
    expect(view.pledgers).toBe(3);
    expect(view.participationPercent).toBe(30);
  });

  it("totals per confirmed month and goal, reported amounts first; rows of fewer than three people and their match left out; no names", async () => {
    const [anna, bertil, cecilia, david] = employees;
    // October: three to Ingen ensamhet (one reported less), two to Ingen hemlöshet (hidden).
    await run(
      "2026-10-01",
      "confirmed",
      [
        { e: anna, goal: ensamhet, ore: 15000n },
        { e: bertil, goal: ensamhet, ore: 15000n, reported: 10000n },
        { e: cecilia, goal: ensamhet, ore: 15000n },
        { e: anna, goal: hemloshet, ore: 5000n },
        { e: david, goal: hemloshet, ore: 5000n },
      ],
      25000n,
    );
    // September: only two people — neither its totals nor its match are shown.
    await run("2026-09-01", "confirmed", [{ e: anna, goal: ensamhet, ore: 15000n }, { e: bertil, goal: ensamhet, ore: 15000n }], 15000n);
    // November: listed, not yet confirmed: in the runs list, not in the totals.
    const draft = await run("2026-11-01", "draft", [{ e: anna, goal: ensamhet, ore: 15000n }, { e: bertil, goal: ensamhet, ore: 15000n }, { e: cecilia, goal: ensamhet, ore: 15000n }], 22500n);
    const view = (await employerOverview(contactA, orgA, now))!;
    expect(view.totals).toEqual([{ month: "2026-10-01", goalId: ensamhet, goalNumber: 3, goalTitle: "Ingen ensamhet", amountOre: "40000", people: 3 }]);
    expect(view.totalsHidden).toBe(true);
    expect(view.match).toEqual([{ month: "2026-10-01", matchOre: "25000" }]);
    // The year's match: 250 + 150 kr, four people in 2026's confirmed months.
    expect(view.matchUsedThisYearOre).toBe("40000");
    expect(view.runs.map((r) => [r.month, r.status, r.employeesOre])).toEqual([
      ["2026-11-01", "draft", "45000"],
      ["2026-10-01", "confirmed", "50000"],
      ["2026-09-01", "confirmed", null],
    ]);
    expect(view.runs[0].id).toBe(draft);
    const json = JSON.stringify(view);
    for (const e of employees) expect(json).not.toContain(e.name);
  });
});
