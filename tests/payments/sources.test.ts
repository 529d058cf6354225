import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { collections, partnerships, type Payment } from "~db/schema";
import { anonymousActor, systemContext, SignInRequired, type Actor, type ServiceContext } from "~/services/context";
import { Forbidden, NotFound } from "~/services/errors";
import { markPaymentPaid, recordPayment, reversePayment, type RecordPaymentInput } from "~/services/payments/core.server";
import { collectionTotal, collectionTotalQuery, partnershipMoneyPerGoal, partnershipMoneyPerGoalQuery } from "~/services/payments/sources.server";
import { createOrganisation, createPerson, createStaff, goalId, unique } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { brokenConstraint } from "./helpers";

/** Rows of db.execute on either driver (postgres.js: an array; PGlite: { rows }). */
async function rowsOf<T>(result: Promise<unknown>): Promise<T[]> {
  const r = (await result) as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

describe.each(dbTargets)("payments by what they were for (%s)", (target) => {
  const t = useTestDatabase(target);
  const paidAt = new Date("2026-11-20T10:00:00Z");
  const ctxOf = (actor: Actor): ServiceContext => ({ db: t.db, actor, locale: "sv" });

  async function paid(input: Partial<RecordPaymentInput> & Pick<RecordPaymentInput, "amountOre" | "source">): Promise<Payment> {
    return t.db.transaction(async (tx) => {
      const row = await recordPayment(tx, { channel: "one_off_gift", goalId: null, origin: "bank", ...input });
      return markPaymentPaid(tx, row, { paidAt, author: "test" });
    });
  }
  const creditNote = (payment: Payment, amountOre: bigint) =>
    t.db.transaction((tx) => reversePayment(tx, payment, { amountOre, reason: "credit_note", reference: "K1", author: "test" }));
  const refund = (payment: Payment, amountOre: bigint) =>
    t.db.transaction((tx) => reversePayment(tx, payment, { amountOre, reason: "refund", author: "test" }));

  async function partnership(db: Db, organisationId: number, goal: number) {
    const [row] = await db
      .insert(partnerships)
      .values({ organisationId, goalId: goal, tier: "partner", status: "active", agreedYearlyOre: 1_000_000n, startsOn: "2026-01-01", endsOn: "2026-12-31" })
      .returning();
    return row;
  }
  async function collection(db: Db, goal: number, ownerPersonId: number, parentCollectionId: number | null = null) {
    const [row] = await db.insert(collections).values({ slug: `c-${unique()}`, title: "Springet", goalId: goal, ownerPersonId, parentCollectionId }).returning();
    return row;
  }

  it("writes the source named to recordPayment into its typed column, and refuses a source that does not exist", async () => {
    const org = await createOrganisation(t.db);
    const goal = await goalId(t.db, "alla-ar-trygga");
    const p = await partnership(t.db, org.id, goal);
    const row = await paid({ channel: "partner_fee", goalId: goal, amountOre: 100_00n, source: { partnershipId: p.id } });
    expect(row).toMatchObject({ partnershipId: p.id, collectionId: null, payrollRunLineId: null, competitionTeamId: null });
    expect(await brokenConstraint(paid({ amountOre: 100_00n, source: { partnershipId: 2_000_000_000 } }))).toBe("payments_partnership_id_partnerships_id_fk");
    expect(await brokenConstraint(paid({ amountOre: 100_00n, source: { collectionId: 2_000_000_000 } }))).toBe("payments_collection_id_collections_id_fk");
    expect(await brokenConstraint(paid({ amountOre: 100_00n, source: { payrollRunLineId: 2_000_000_000 } }))).toBe("payments_payroll_run_line_id_payroll_run_lines_id_fk");
    expect(await brokenConstraint(paid({ amountOre: 100_00n, source: { competitionTeamId: 2_000_000_000 } }))).toBe("payments_competition_team_id_competition_teams_id_fk");
  });

  it("sums a partnership's money per goal from the ledger: reversals lower it, other partnerships' money is not in it", async () => {
    const [orgA, orgB] = [await createOrganisation(t.db, {}, { contacts: 1 }), await createOrganisation(t.db, {}, { contacts: 1 })];
    const [trygga, ensamhet] = [await goalId(t.db, "alla-ar-trygga"), await goalId(t.db, "ingen-ensamhet")];
    const pA = await partnership(t.db, orgA.id, trygga);
    const pB = await partnership(t.db, orgB.id, trygga);
    const fee = await paid({ channel: "partner_fee", goalId: trygga, amountOre: 10_000_00n, source: { partnershipId: pA.id } });
    await paid({ channel: "partner_fee", goalId: ensamhet, amountOre: 2_500_00n, source: { partnershipId: pA.id } });
    await paid({ channel: "partner_fee", goalId: trygga, amountOre: 7_000_00n, source: { partnershipId: pB.id } });
    await paid({ channel: "partner_fee", goalId: trygga, amountOre: 1_000_00n, source: {} });
    await creditNote(fee, 2_000_00n);

    const staff = await createStaff(t.db);
    const asStaff = ctxOf({ kind: "person", personId: staff.id, email: staff.email, name: null, roles: ["fundraiser"], organisations: [] });
    const expected = [
      { goalId: trygga, netOre: 8_000_00n },
      { goalId: ensamhet, netOre: 2_500_00n },
    ].sort((a, b) => a.goalId - b.goalId);
    expect(await partnershipMoneyPerGoal(asStaff, pA.id)).toEqual(expected);
    expect(await partnershipMoneyPerGoal(systemContext(t.db, "test"), pB.id)).toEqual([{ goalId: trygga, netOre: 7_000_00n }]);

    // The partner's own contact sees it; the other company's contact and anonymous visitors do not.
    const contactOf = (org: typeof orgA): Actor => ({ kind: "person", personId: org.contacts[0].id, email: org.contacts[0].email, name: null, roles: [], organisations: [{ organisationId: org.id, isAdmin: true }] });
    expect(await partnershipMoneyPerGoal(ctxOf(contactOf(orgA)), pA.id)).toEqual(expected);
    await expect(partnershipMoneyPerGoal(ctxOf(contactOf(orgB)), pA.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(partnershipMoneyPerGoal(ctxOf(contactOf(orgB)), 2_000_000_000)).rejects.toBeInstanceOf(Forbidden);
    await expect(partnershipMoneyPerGoal(ctxOf(anonymousActor), pA.id)).rejects.toBeInstanceOf(SignInRequired);
    await expect(partnershipMoneyPerGoal(asStaff, 2_000_000_000)).rejects.toBeInstanceOf(NotFound);
  });

  it("sums a collection with its team members' pages, net of refunds; other collections are not in it", async () => {
    const owner = await createPerson(t.db);
    const goal = await goalId(t.db, "ingen-psykisk-ohalsa");
    const team = await collection(t.db, goal, owner.id);
    const member = await collection(t.db, goal, owner.id, team.id);
    const other = await collection(t.db, goal, owner.id);
    const asVisitor = ctxOf(anonymousActor);
    expect(await collectionTotal(asVisitor, team.id)).toEqual({ totalOre: 0n, gifts: 0 });

    await paid({ channel: "collection", goalId: goal, amountOre: 300_00n, source: { collectionId: member.id } });
    const toTeam = await paid({ channel: "collection", goalId: goal, amountOre: 200_00n, source: { collectionId: team.id } });
    const partly = await paid({ channel: "collection", goalId: goal, amountOre: 150_00n, source: { collectionId: team.id } });
    await paid({ channel: "collection", goalId: goal, amountOre: 999_00n, source: { collectionId: other.id } });
    await refund(partly, 50_00n);
    expect(await collectionTotal(asVisitor, team.id)).toEqual({ totalOre: 600_00n, gifts: 3 });
    expect(await collectionTotal(asVisitor, member.id)).toEqual({ totalOre: 300_00n, gifts: 1 });

    await refund(toTeam, 200_00n);
    expect(await collectionTotal(asVisitor, team.id)).toEqual({ totalOre: 400_00n, gifts: 2 });
    await expect(collectionTotal(asVisitor, 2_000_000_000)).rejects.toBeInstanceOf(NotFound);
  });

  it("has the source indexes, and the two queries use them", async () => {
    const indexes = await rowsOf<{ indexname: string; indexdef: string }>(
      t.db.execute(sql`select indexname, indexdef from pg_indexes where tablename = 'payments' and indexname like 'payments\_%\_idx'`),
    );
    const def = (name: string) => indexes.find((i) => i.indexname === name)?.indexdef ?? "(missing)";
    for (const column of ["partnership_id", "payroll_run_line_id", "collection_id", "competition_team_id"]) {
      const name = `payments_${column.replace(/_id$/, "")}_idx`;
      expect(def(name)).toMatch(new RegExp(`USING btree \\(${column}\\) WHERE \\(${column} IS NOT NULL\\)`));
    }

    // The test tables are tiny, where a sequential scan is cheapest: forbid that to see which index
    // the planner can use (it cannot use a partial index whose condition the query does not imply).
    const plan = (query: { getSQL(): ReturnType<typeof sql> }) =>
      t.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const rows = await rowsOf<Record<string, string>>(tx.execute(sql`explain ${query}`));
        return rows.map((r) => Object.values(r)[0]).join("\n");
      });
    expect(await plan(partnershipMoneyPerGoalQuery(t.db, 1))).toContain("payments_partnership_idx");
    expect(await plan(collectionTotalQuery(t.db, 1))).toContain("payments_collection_idx");
  });
});
