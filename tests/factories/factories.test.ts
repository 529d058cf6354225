import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organisationMembers, staffRoles } from "~db/schema";
import { goalBalances } from "~/services/ledger/balances.server";
import { setEnvForTests } from "~/utils/env.server";
import { usePaymentEnv } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { createOrganisation, createPaidGift, createPendingPayment, createPerson, createStaff, goalId, refundGift } from ".";

describe.each(dbTargets)("factories (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  it("make people, staff and organisations with contacts, as many as asked, with overrides", async () => {
    const [a, b] = [await createPerson(ctx.db), await createPerson(ctx.db)];
    expect(a.email).not.toBe(b.email);
    const named = await createPerson(ctx.db, { email: "anna@example.com", name: "Anna" });
    expect(named).toMatchObject({ email: "anna@example.com", name: "Anna", demo: false });

    const admin = await createStaff(ctx.db, "admin");
    expect(await ctx.db.select({ role: staffRoles.role }).from(staffRoles).where(eq(staffRoles.personId, admin.id))).toEqual([{ role: "admin" }]);

    const org = await createOrganisation(ctx.db, { orgNumber: "556016-0680" }, { contacts: [{ name: "Kontakt Ett" }, {}] });
    expect(org.orgNumber).toBe("556016-0680");
    expect(org.contacts.map((c) => c.name)[0]).toBe("Kontakt Ett");
    const members = await ctx.db.select().from(organisationMembers).where(eq(organisationMembers.organisationId, org.id));
    expect(members.map((m) => [m.personId, m.isAdmin]).sort()).toEqual([
      [org.contacts[0].id, true],
      [org.contacts[1].id, false],
    ].sort());
  });

  it("make a pending payment without money in the ledger", async () => {
    const before = await goalBalances(ctx.db);
    const pending = await createPendingPayment(ctx.db, { amountOre: 10_000n, donorName: "Bertil" });
    expect(pending).toMatchObject({ status: "pending", amountOre: 10_000n, donorName: "Bertil", origin: "app" });
    expect(await goalBalances(ctx.db)).toEqual(before);
  });

  it("record a paid gift through the webhook's path: ledger entries that sum to it, on its goal or split", async () => {
    const goal = await goalId(ctx.db, "ingen-ensamhet");
    const before = (await goalBalances(ctx.db)).get(goal) ?? 0n;
    const designated = await createPaidGift(ctx.db, { amountOre: 50_000n, goal: "ingen-ensamhet", method: "swish", payment: { donorName: "Cecilia", greeting: "Hej!" } });
    expect(designated.payment).toMatchObject({ status: "paid", amountOre: 50_000n, goalId: goal, method: "swish", donorName: "Cecilia", greeting: "Hej!" });
    expect(designated.entries.map((e) => [e.goalId, e.amountOre, e.kind])).toEqual([[goal, 50_000n, "allocation"]]);
    expect((await goalBalances(ctx.db)).get(goal)).toBe(before + 50_000n);

    const split = await createPaidGift(ctx.db, { amountOre: 1_000n });
    expect(split.payment.goalId).toBeNull();
    expect(split.entries).toHaveLength(5);
    expect(split.entries.reduce((sum, e) => sum + e.amountOre, 0n)).toBe(1_000n);
  });

  it("refund a paid gift through charge.refunded: reversal entries take it off the goal's balance", async () => {
    const { payment } = await createPaidGift(ctx.db, { amountOre: 30_000n, goal: "alla-kan-arbeta" });
    const goal = payment.goalId!;
    const paid = (await goalBalances(ctx.db)).get(goal)!;
    const refunded = await refundGift(ctx.db, payment, 10_000n);
    expect(refunded.payment.refundedOre).toBe(10_000n);
    expect(refunded.entries.filter((e) => e.kind === "reversal").map((e) => e.amountOre)).toEqual([-10_000n]);
    expect((await goalBalances(ctx.db)).get(goal)).toBe(paid - 10_000n);
  });
});
