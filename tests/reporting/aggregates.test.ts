import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, payments } from "~db/schema";
import { markPaymentPaid, recordPayment, reversePayment } from "~/services/payments/core.server";
import { Invalid } from "~/services/errors";
import { giftStats, ledgerTotals, parsePeriod, rebuildReportingAggregates, reportingDiscrepancies } from "~/services/reporting/totals.server";
import { goalId } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";

/** Issue 14 item 6: the aggregates follow every ledger entry and paid payment in the same transaction. */
describe.each(dbTargets)("reporting aggregates (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it("adds each ledger entry to its goal × channel × Stockholm day, and a rolled-back entry to nothing", async () => {
    const hem = await goalId(ctx.db, "ingen-hemloshet");
    // 23:30 UTC on New Year's Eve is already 1 January in Stockholm.
    await ctx.db.insert(ledgerEntries).values([
      {
        goalId: hem,
        amountOre: 12_345n,
        channel: "partner_fee",
        kind: "correction",
        reason: "test",
        author: "test",
        entryKey: "corr:t1:1",
        createdAt: new Date("2026-12-31T23:30:00Z"),
      },
      {
        goalId: hem,
        amountOre: -345n,
        channel: "partner_fee",
        kind: "correction",
        reason: "test",
        author: "test",
        entryKey: "corr:t2:1",
        createdAt: new Date("2027-01-01T10:00:00Z"),
      },
      {
        goalId: hem,
        amountOre: 1_000n,
        channel: "partner_fee",
        kind: "correction",
        reason: "test",
        author: "test",
        entryKey: "corr:t3:1",
        createdAt: new Date("2026-12-31T22:30:00Z"),
      },
    ]);
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.insert(ledgerEntries).values({
          goalId: hem,
          amountOre: 99n,
          channel: "partner_fee",
          kind: "correction",
          reason: "x",
          author: "test",
          entryKey: "corr:t4:1",
          createdAt: new Date("2027-01-02T10:00:00Z"),
        });
        throw new Error("rollback");
      })
    ).rejects.toThrow("rollback");

    const byDay = await ledgerTotals(ctx.db, {
      from: "2026-12-01",
      to: "2027-01-31",
      goalIds: [hem],
      by: "day",
    });
    expect(byDay).toEqual([
      {
        goalId: hem,
        channel: "partner_fee",
        period: "2026-12-31",
        amountOre: 1_000n,
      },
      {
        goalId: hem,
        channel: "partner_fee",
        period: "2027-01-01",
        amountOre: 12_000n,
      },
    ]);
    const byMonth = await ledgerTotals(ctx.db, {
      from: "2027-01-01",
      to: null,
      by: "month",
    });
    expect(byMonth).toEqual([
      {
        goalId: hem,
        channel: "partner_fee",
        period: "2027-01",
        amountOre: 12_000n,
      },
    ]);
    expect(await reportingDiscrepancies(ctx.db)).toEqual([]);
  });

  it("counts a payment as one gift once it is paid, moves it when its goal changes, and keeps it after a refund", async () => {
    const trygg = await goalId(ctx.db, "alla-ar-trygga");
    const ensam = await goalId(ctx.db, "ingen-ensamhet");
    const paidAt = new Date("2026-03-10T12:00:00Z");
    const id = await ctx.db.transaction(async (tx) => {
      const p = await recordPayment(tx, {
        channel: "monthly_gift",
        amountOre: 20_000n,
        goalId: trygg,
        origin: "bank",
        method: "bank_transfer",
        reference: "agg-1",
      });
      return p.id;
    });
    const march = { from: "2026-03-01", to: "2026-03-31" };
    expect(await giftStats(ctx.db, march)).toEqual([]);
    await ctx.db.transaction(async (tx) => {
      const [p] = await tx.select().from(payments).where(eq(payments.id, id)).for("update");
      await markPaymentPaid(tx, p, {
        paidAt,
        amountOre: 20_000n,
        reference: "agg-1",
        author: "test",
      });
    });
    expect(await giftStats(ctx.db, march)).toEqual([
      {
        goalId: trygg,
        channel: "monthly_gift",
        period: null,
        gifts: 1,
        amountOre: 20_000n,
      },
    ]);
    // Staff re-designate it (an unusual but possible update): it moves, it is not counted twice.
    await ctx.db.update(payments).set({ goalId: ensam }).where(eq(payments.id, id));
    expect(await giftStats(ctx.db, { ...march, by: "month" })).toEqual([
      {
        goalId: ensam,
        channel: "monthly_gift",
        period: "2026-03",
        gifts: 1,
        amountOre: 20_000n,
      },
    ]);
    await ctx.db.transaction(async (tx) => {
      const [p] = await tx.select().from(payments).where(eq(payments.id, id)).for("update");
      await reversePayment(tx, p, {
        amountOre: 5_000n,
        reason: "refund",
        reference: "agg-1-r",
        author: "test",
      });
    });
    expect((await giftStats(ctx.db, march))[0].gifts).toBe(1);
    expect(await reportingDiscrepancies(ctx.db)).toEqual([]);
  });

  it("rebuilds to the same totals the triggers kept", async () => {
    const all = { from: null, to: null };
    const before = [await ledgerTotals(ctx.db, { ...all, by: "day" }), await giftStats(ctx.db, { ...all, by: "day" })];
    const rebuilt = await rebuildReportingAggregates(ctx.db);
    expect(rebuilt.ledgerRows).toBeGreaterThan(0);
    expect([await ledgerTotals(ctx.db, { ...all, by: "day" }), await giftStats(ctx.db, { ...all, by: "day" })]).toEqual(before);
  });

  it("refuses an unknown goal", async () => {
    await expect(
      ledgerTotals(ctx.db, {
        from: null,
        to: null,
        goalIds: [987_654],
        by: "month",
      })
    ).rejects.toMatchObject({
      status: 400,
      fieldErrors: { goal: "goal_unknown" },
    });
  });
});

describe("parsePeriod", () => {
  it("reads days and months, and keeps the fallback for a missing bound", () => {
    expect(parsePeriod({ from: "2026-02", to: "2026-02" })).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(parsePeriod({ from: "2024-02-29", to: "" }, { from: null, to: "2026-12-31" })).toEqual({ from: "2024-02-29", to: "2026-12-31" });
    expect(parsePeriod({})).toEqual({ from: null, to: null });
  });
  it.each([
    [{ from: "2026-02-30" }, { from: "period_not_a_date" }],
    [{ to: "igår" }, { to: "period_not_a_date" }],
    [{ from: "2026-13" }, { from: "period_not_a_date" }],
    [{ from: "2026-05-01", to: "2026-04-30" }, { to: "period_reversed" }],
    [{ from: "2016-01-01", to: "2026-01-01" }, { to: "period_too_long" }],
  ])("refuses %j with %j", (input, fieldErrors) => {
    let error: unknown;
    try {
      parsePeriod(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect(error).toMatchObject({ status: 400, fieldErrors });
  });
  it("allows exactly ten years less a day", () => {
    expect(parsePeriod({ from: "2016-01-01", to: "2025-12-31" })).toEqual({
      from: "2016-01-01",
      to: "2025-12-31",
    });
  });
});
