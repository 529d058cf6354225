import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox } from "~db/schema";
import { Forbidden } from "~/services/errors";
import { joinProgramme } from "~/services/workplace/pledge.server";
import { myWorkplaceSummary, myWorkplaceSummaryPdf, nextJanuaryRun, sendWorkplaceSummaries } from "~/services/workplace/summary.server";
import { createPendingPayment, createPerson } from "../factories";
import { personContext, testSystemContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { confirmedRun, createProgramme } from "./pledge-helpers";

const NOW = new Date("2026-10-05T10:00:00Z");

describe.each(dbTargets)("workplace yearly summary on %s", (target) => {
  const t = useTestDatabase(target);

  it("sums the confirmed months of the year per goal, only the person's own, as a page, a PDF and one January email", async () => {
    const { code, programme, goalIds, organisation } = await createProgramme(t.db);
    const anna = await createPerson(t.db);
    const bo = await createPerson(t.db);
    const annaCtx = personContext(t.db, { id: anna.id, email: anna.email });
    const boCtx = personContext(t.db, { id: bo.id, email: bo.email });
    const a = await joinProgramme(annaCtx, code, { name: "Anna Summa", kind: "fixed", amount: "150", goal: String(goalIds[0]), firstMonth: "2026-11", consent: "on" }, NOW);
    const b = await joinProgramme(boCtx, code, { name: "Bo Annan", kind: "fixed", amount: "900", goal: String(goalIds[1]), firstMonth: "2026-11", consent: "on" }, NOW);
    const p = { id: programme.id, organisationId: organisation.id };
    const nov = await confirmedRun(t.db, p, "2026-11-01", [
      { pledgeId: a.pledgeId, personId: anna.id, goalId: goalIds[0], amountOre: 15000n },
      { pledgeId: b.pledgeId, personId: bo.id, goalId: goalIds[1], amountOre: 90000n },
    ]);
    await confirmedRun(t.db, p, "2026-12-01", [{ pledgeId: a.pledgeId, personId: anna.id, goalId: goalIds[0], amountOre: 15000n, reportedOre: 12000n }]);
    await confirmedRun(t.db, p, "2027-01-01", [{ pledgeId: a.pledgeId, personId: anna.id, goalId: goalIds[0], amountOre: 15000n }]);
    await createPendingPayment(t.db, { amountOre: 15000n, status: "paid", paidAt: NOW, channel: "salary_giving", payrollRunLineId: nov.lines[0].id, goalId: goalIds[0] });

    const summary = await myWorkplaceSummary(annaCtx, 2026);
    expect([summary.totalOre, summary.paidOre, summary.byGoal.map((g) => [g.goalId, g.amountOre])]).toEqual(["27000", "15000", [[goalIds[0], "27000"]]]);
    expect(summary.months.map((m) => [m.month, m.amountOre, m.paid])).toEqual([
      ["2026-11-01", "15000", true],
      ["2026-12-01", "12000", false],
    ]);
    // Bo's summary holds only Bo's month.
    expect((await myWorkplaceSummary(boCtx, 2026)).totalOre).toBe("90000");

    const dir = mkdtempSync(path.join(tmpdir(), "wp-summary-"));
    writeFileSync(path.join(dir, "s.pdf"), await myWorkplaceSummaryPdf(annaCtx, 2026));
    const text = execFileSync("pdftotext", ["-layout", path.join(dir, "s.pdf"), "-"], { encoding: "utf8" });
    expect(text).toContain("Mitt arbetsplatsgivande 2026");
    expect(text).toContain("270 kr");
    expect(text).not.toContain("900 kr");

    // The January job: a person gets the summary once, however often it runs; people cannot run it.
    await expect(sendWorkplaceSummaries(annaCtx, 2026)).rejects.toBeInstanceOf(Forbidden);
    expect(await sendWorkplaceSummaries(testSystemContext(t.db), 2026)).toBe(2);
    await sendWorkplaceSummaries(testSystemContext(t.db), 2026);
    const mails = (await t.db.select().from(emailOutbox).where(eq(emailOutbox.template, "workplace-summary"))).filter((m) => m.to === anna.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].props).toMatchObject({ year: 2026, totalOre: "27000" });
    expect(nextJanuaryRun(new Date("2026-11-30T12:00:00Z"))).toEqual({ runAt: new Date("2027-01-10T06:00:00Z"), dedupeKey: "yearly:2027" });
  });
});
