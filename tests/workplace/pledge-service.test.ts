import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox, people, workplaceInvites } from "~db/schema";
import { SignInRequired } from "~/services/context";
import { ServiceError } from "~/services/errors";
import { myWorkplaceGiving, pledgeChange, pledgeTermsForMonth } from "~/services/workplace/pledge-read.server";
import { changePledge, joinProgramme, pausePledge, stopPledge } from "~/services/workplace/pledge.server";
import { createPerson, goalId } from "../factories";
import { anonymousContext, personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { confirmedRun, createProgramme, termsOf, writtenCounts } from "./pledge-helpers";

// A fixed "now" (10 February 2027, Swedish time): the first open payroll month is 2027-02 unless a run was confirmed.
const NOW = new Date("2027-02-10T10:00:00Z");

async function refusal(work: Promise<unknown>): Promise<ServiceError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe.each(dbTargets)("workplace pledges on %s", (target) => {
  const t = useTestDatabase(target);

  async function employee() {
    const person = await createPerson(t.db);
    return { person, ctx: personContext(t.db, { id: person.id, email: person.email }) };
  }

  it("joins with a fixed amount: the pledge, its first terms, the name for payroll and a confirmation email", async () => {
    const { code, programme, goalIds } = await createProgramme(t.db);
    const { person, ctx } = await employee();
    const joined = await joinProgramme(ctx, code, { name: "Anna Andersson", kind: "fixed", amount: "150", goalMode: "one", goal: String(goalIds[0]), firstMonth: "2027-03", employeeNumber: "1042", consent: "on" }, NOW);
    expect(joined.fromMonth).toBe("2027-03-01");
    const rows = await termsOf(t.db, joined.pledgeId);
    expect(rows).toMatchObject([{ fromMonth: "2027-03-01", state: "active", kind: "fixed", amountOre: 15000n, rateTenths: null, goals: [{ goalId: goalIds[0], percent: 100 }] }]);
    const [me] = await t.db.select().from(people).where(eq(people.id, person.id));
    expect(me.name).toBe("Anna Andersson");
    const mail = (await t.db.select().from(emailOutbox).where(eq(emailOutbox.to, person.email))).filter((m) => m.template === "workplace-pledge-confirmation");
    expect(mail).toHaveLength(1);
    expect(mail[0].props).toMatchObject({ amountOre: "15000", fromMonth: "2027-03-01", organisationName: expect.any(String) });
    // The payroll run sees it from March, not in February.
    expect(await pledgeTermsForMonth(t.db, programme.id, "2027-02-01")).toEqual([]);
    const march = await pledgeTermsForMonth(t.db, programme.id, "2027-03-01");
    expect(march).toMatchObject([{ pledgeId: joined.pledgeId, personId: person.id, name: "Anna Andersson", employeeNumber: "1042", previous: null, terms: { amountOre: 15000n } }]);
    expect(pledgeChange(march[0])).toBe("new");
  });

  it("a per-mille pledge stores the rate, split over two goals", async () => {
    const { code, programme, goalIds } = await createProgramme(t.db);
    const { ctx } = await employee();
    const joined = await joinProgramme(
      ctx,
      code,
      { name: "Bo Berg", kind: "per_mille", rate: "2,5", goalMode: "split", [`share-${goalIds[0]}`]: "70", [`share-${goalIds[1]}`]: "30", firstMonth: "2027-02", consent: "on" },
      NOW,
    );
    const [row] = await pledgeTermsForMonth(t.db, programme.id, "2027-02-01");
    expect(row.pledgeId).toBe(joined.pledgeId);
    expect(row.terms).toMatchObject({ kind: "per_mille", amountOre: null, rateTenths: 25 });
    expect(row.terms?.goals).toEqual(
      [
        { goalId: goalIds[0], percent: 70 },
        { goalId: goalIds[1], percent: 30 },
      ].sort((a, b) => a.goalId - b.goalId),
    );
  });

  it("refuses bad input with the field's code and a 4xx, and writes nothing", async () => {
    const { code, programme, goalIds } = await createProgramme(t.db, { minimumOre: 10000n });
    const other = await goalId(t.db, "ingen-hemloshet");
    const { ctx } = await employee();
    const base = { name: "Cecilia Ek", kind: "fixed", amount: "150", goalMode: "one", goal: String(goalIds[0]), firstMonth: "2027-03", consent: "on" };
    const before = await writtenCounts(t.db);
    const cases: [Record<string, string>, string, string][] = [
      [{ amount: "99" }, "amount", "amount_min"],
      [{ kind: "per_mille", rate: "100,5" }, "rate", "rate_max"],
      [{ goal: String(other) }, "goal", "goal_not_in_programme"],
      [{ goalMode: "split", [`share-${goalIds[0]}`]: "50", [`share-${other}`]: "50" }, `share-${other}`, "goal_not_in_programme"],
      [{ firstMonth: "2027-01" }, "firstMonth", "month_past"],
      [{ firstMonth: "2028-03" }, "firstMonth", "month_too_far"],
      [{ consent: "" }, "consent", "consent_required"],
    ];
    for (const [change, field, codeName] of cases) {
      const error = await refusal(joinProgramme(ctx, code, { ...base, ...change }, NOW));
      expect([error.status, error.fieldErrors?.[field]], JSON.stringify(change)).toEqual([400, codeName]);
    }
    await t.db.update(workplaceInvites).set({ expiresOn: "2027-02-09" }).where(eq(workplaceInvites.programmeId, programme.id));
    const expired = await refusal(joinProgramme(ctx, code, base, NOW));
    expect([expired.status, expired.message]).toEqual([410, "invite_expired"]);
    await t.db.update(workplaceInvites).set({ expiresOn: null, revokedAt: new Date("2027-02-01T00:00:00Z") }).where(eq(workplaceInvites.programmeId, programme.id));
    const revoked = await refusal(joinProgramme(ctx, code, base, NOW));
    expect([revoked.status, revoked.message]).toEqual([410, "invite_revoked"]);
    const unknown = await refusal(joinProgramme(ctx, "nosuchcode", base, NOW));
    expect(unknown.status).toBe(404);
    expect(await writtenCounts(t.db)).toEqual(before);
  });

  it("a month whose run the employer confirmed is closed for a start or a change", async () => {
    const { code, programme, goalIds, organisation } = await createProgramme(t.db);
    const { ctx } = await employee();
    await confirmedRun(t.db, { id: programme.id, organisationId: organisation.id }, "2027-02-01", []);
    const base = { name: "Dan Dahl", kind: "fixed", amount: "150", goalMode: "one", goal: String(goalIds[0]), consent: "on" };
    const closed = await refusal(joinProgramme(ctx, code, { ...base, firstMonth: "2027-02" }, NOW));
    expect(closed.fieldErrors).toEqual({ firstMonth: "month_past" });
    expect((await joinProgramme(ctx, code, { ...base, firstMonth: "2027-03" }, NOW)).fromMonth).toBe("2027-03-01");
    const again = await refusal(joinProgramme(ctx, code, { ...base, firstMonth: "2027-04" }, NOW));
    expect([again.status, again.message]).toEqual([409, "already_pledged"]);
  });

  it("changes from a month, pauses and stops; the run sees each month's terms", async () => {
    const { code, programme, goalIds } = await createProgramme(t.db);
    const { ctx } = await employee();
    const { pledgeId } = await joinProgramme(ctx, code, { name: "Eva Ek", kind: "fixed", amount: "100", goal: String(goalIds[0]), firstMonth: "2027-02", consent: "on" }, NOW);
    await changePledge(ctx, pledgeId, { kind: "fixed", amount: "250", goal: String(goalIds[1]), fromMonth: "2027-04" }, NOW);
    // A second change for the same month replaces the first.
    await changePledge(ctx, pledgeId, { kind: "fixed", amount: "300", goal: String(goalIds[1]), fromMonth: "2027-04" }, NOW);
    await pausePledge(ctx, pledgeId, { fromMonth: "2027-06" }, NOW);
    await changePledge(ctx, pledgeId, { kind: "fixed", amount: "200", goal: String(goalIds[0]), fromMonth: "2027-08" }, NOW);
    const at = async (month: string) => (await pledgeTermsForMonth(t.db, programme.id, month))[0];
    expect((await at("2027-03-01")).terms).toMatchObject({ state: "active", amountOre: 10000n });
    const april = await at("2027-04-01");
    expect([april.terms?.amountOre, april.terms?.goals[0].goalId, pledgeChange(april)]).toEqual([30000n, goalIds[1], "changed"]);
    expect(pledgeChange(await at("2027-05-01"))).toBe("unchanged");
    expect(pledgeChange(await at("2027-06-01"))).toBe("paused");
    expect(pledgeChange(await at("2027-07-01"))).toBe("unchanged");
    expect(pledgeChange(await at("2027-08-01"))).toBe("changed");
    // A stop from July drops the change planned for August: a stop is the end.
    await stopPledge(ctx, pledgeId, { fromMonth: "2027-07" }, NOW);
    expect((await termsOf(t.db, pledgeId)).map((r) => [r.fromMonth, r.state])).toEqual([
      ["2027-02-01", "active"],
      ["2027-04-01", "active"],
      ["2027-06-01", "paused"],
      ["2027-07-01", "stopped"],
    ]);
    expect(pledgeChange(await at("2027-07-01"))).toBe("stopped");
    expect(pledgeChange(await at("2027-09-01"))).toBe("unchanged");
    const late = await refusal(changePledge(ctx, pledgeId, { kind: "fixed", amount: "200", goal: String(goalIds[0]), fromMonth: "2027-09" }, NOW));
    expect([late.status, late.message]).toEqual([409, "pledge_stopped"]);
    const under = await refusal(changePledge(ctx, pledgeId, { kind: "fixed", amount: "10", goal: String(goalIds[0]), fromMonth: "2027-03" }, NOW));
    expect(under.fieldErrors).toEqual({ amount: "amount_min" });
  });

  it("an employee reaches only their own pledge", async () => {
    const { code, goalIds } = await createProgramme(t.db);
    const anna = await employee();
    const bo = await employee();
    const { pledgeId } = await joinProgramme(anna.ctx, code, { name: "Anna", kind: "fixed", amount: "150", goal: String(goalIds[0]), firstMonth: "2027-02", consent: "on" }, NOW);
    const before = await termsOf(t.db, pledgeId);
    for (const work of [
      () => changePledge(bo.ctx, pledgeId, { kind: "fixed", amount: "500", goal: String(goalIds[0]), fromMonth: "2027-03" }, NOW),
      () => pausePledge(bo.ctx, pledgeId, { fromMonth: "2027-03" }, NOW),
      () => stopPledge(bo.ctx, pledgeId, { fromMonth: "2027-03" }, NOW),
    ]) {
      const error = await refusal(work());
      expect([error.status, error.message]).toEqual([404, "pledge_not_found"]);
    }
    expect(await termsOf(t.db, pledgeId)).toEqual(before);
    expect(await myWorkplaceGiving(bo.ctx, NOW)).toEqual([]);
    expect((await myWorkplaceGiving(anna.ctx, NOW)).map((p) => p.pledgeId)).toEqual([pledgeId]);
    // Signed out: nothing at all.
    for (const work of [() => myWorkplaceGiving(anonymousContext(t.db)), () => joinProgramme(anonymousContext(t.db), code, {}), () => changePledge(anonymousContext(t.db), pledgeId, {})]) {
      expect(await work().then(() => null, (e: unknown) => e)).toBeInstanceOf(SignInRequired);
    }
  });

  it("lists the months deducted, with what the employer reported, on the employee's page", async () => {
    const { code, programme, goalIds, organisation } = await createProgramme(t.db);
    const { person, ctx } = await employee();
    const { pledgeId } = await joinProgramme(ctx, code, { name: "Fia", kind: "per_mille", rate: "2", goal: String(goalIds[0]), firstMonth: "2027-02", consent: "on" }, NOW);
    await confirmedRun(t.db, { id: programme.id, organisationId: organisation.id }, "2027-02-01", [{ pledgeId, personId: person.id, goalId: goalIds[0], amountOre: 0n, reportedOre: 6420n }]);
    const [mine] = await myWorkplaceGiving(ctx, NOW);
    expect(mine.history).toMatchObject([{ month: "2027-02-01", goalId: goalIds[0], amountOre: "6420", paid: false }]);
    // February is confirmed, so the forms offer March onwards.
    expect([mine.firstOpen, mine.months[0]]).toEqual(["2027-03-01", "2027-03-01"]);
    expect(mine.current).toMatchObject({ kind: "per_mille", rateTenths: 20, amountOre: null });
  });
});
