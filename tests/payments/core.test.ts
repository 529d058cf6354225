import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, payments } from "~db/schema";
import { markPaymentPaid, recordPayment, reversePayment } from "~/services/payments/core.server";
import { Conflict, Invalid } from "~/services/errors";
import { dbTargets, useTestDatabase } from "../setup/db";
import { entriesOf, goalIdsBySlug } from "./helpers";

/** The payments core without Stripe: a bank payment recorded, marked paid by staff, reversed. */
describe.each(dbTargets)("payments core (%s)", (target) => {
  const ctx = useTestDatabase(target);
  const paidAt = new Date("2026-11-20T10:00:00Z");
  const net = (rows: { amountOre: bigint }[]) => rows.reduce((s, e) => s + e.amountOre, 0n);
  const byGoal = (rows: { goalId: number; amountOre: bigint }[]) => {
    const out = new Map<number, bigint>();
    for (const e of rows) out.set(e.goalId, (out.get(e.goalId) ?? 0n) + e.amountOre);
    return out;
  };

  it("records a designated bank payment pending, posts it once when marked paid, and a second mark posts nothing", async () => {
    const goal = [...(await goalIdsBySlug(ctx.db)).values()][1];
    const recorded = await ctx.db.transaction((tx) =>
      recordPayment(tx, { channel: "partner_fee", amountOre: 250_000n, goalId: goal.id, origin: "bank", method: "bank_transfer", payer: { name: "Företaget AB" }, reference: "OCR 1234" }),
    );
    expect(recorded).toMatchObject({ status: "pending", origin: "bank", method: "bank_transfer", reference: "OCR 1234", creditedOre: 0n });
    expect(await entriesOf(ctx.db, recorded.id)).toHaveLength(0);

    const paid = await ctx.db.transaction((tx) => markPaymentPaid(tx, recorded, { paidAt, reference: "BG 5555-1234 ref 77", author: "staff:kassa@example.org" }));
    expect(paid).toMatchObject({ status: "paid", paidAt, amountOre: 250_000n, reference: "BG 5555-1234 ref 77" });
    const entries = await entriesOf(ctx.db, recorded.id);
    expect(entries.map((e) => [e.goalId, e.amountOre, e.kind, e.channel, e.author])).toEqual([[goal.id, 250_000n, "allocation", "partner_fee", "staff:kassa@example.org"]]);

    // Marked paid again (a second click, a BgMax file imported twice): nothing posted twice.
    const [row] = await ctx.db.select().from(payments).where(eq(payments.id, recorded.id));
    const again = await ctx.db.transaction((tx) => markPaymentPaid(tx, row, { paidAt: new Date(), author: "bgmax:file-2" }));
    expect(again).toEqual(row);
    expect(await entriesOf(ctx.db, recorded.id)).toHaveLength(1);
  });

  it("splits an undesignated bank payment over the goals and records a different amount received as received", async () => {
    const goals = [...(await goalIdsBySlug(ctx.db)).values()];
    const p = await ctx.db.transaction((tx) => recordPayment(tx, { channel: "collection", amountOre: 10_000n, goalId: null, origin: "bank", method: "bankgiro" }));
    const paid = await ctx.db.transaction((tx) => markPaymentPaid(tx, p, { paidAt, amountOre: 10_101n, author: "bgmax:file-1" }));
    expect(paid.amountOre).toBe(10_101n);
    const entries = await entriesOf(ctx.db, p.id);
    expect(entries.every((e) => e.kind === "allocation" && e.amountOre > 0n)).toBe(true);
    expect(net(entries)).toBe(10_101n);
    expect(new Set(entries.map((e) => e.goalId)).size).toBe(entries.length);
    expect(entries.length).toBeGreaterThan(1);
    expect(entries.every((e) => goals.some((g) => g.id === e.goalId))).toBe(true);
  });

  it("reverses part and then all of a paid payment monotonically per goal, by credit note and void", async () => {
    const p = await ctx.db.transaction((tx) => recordPayment(tx, { channel: "partner_fee", amountOre: 10_001n, goalId: null, origin: "bank" }));
    const paid = await ctx.db.transaction((tx) => markPaymentPaid(tx, p, { paidAt, author: "staff:a@example.org" }));
    const allocated = byGoal(await entriesOf(ctx.db, p.id));

    const partly = await ctx.db.transaction((tx) => reversePayment(tx, paid, { amountOre: 3_000n, reason: "credit_note", reference: "KF-2026-0001", author: "staff:a@example.org" }));
    expect(partly.creditedOre).toBe(3_000n);
    let entries = await entriesOf(ctx.db, p.id);
    const firstReversal = entries.filter((e) => e.kind === "reversal");
    expect(net(entries)).toBe(7_001n);
    expect(firstReversal.every((e) => e.amountOre < 0n && e.reason === "credit_note:KF-2026-0001")).toBe(true);

    // More than is left is refused, nothing written.
    await expect(ctx.db.transaction((tx) => reversePayment(tx, partly, { amountOre: 7_002n, reason: "void", author: "staff:a@example.org" }))).rejects.toBeInstanceOf(Conflict);
    expect(await entriesOf(ctx.db, p.id)).toHaveLength(entries.length);

    await ctx.db.transaction((tx) => reversePayment(tx, partly, { amountOre: 7_001n, reason: "void", author: "staff:a@example.org" }));
    entries = await entriesOf(ctx.db, p.id);
    expect(net(entries)).toBe(0n);
    // Every goal back to exactly 0 for this payment, and no reversal step gave a goal money back.
    for (const [goalId, sum] of byGoal(entries)) expect([goalId, sum]).toEqual([goalId, 0n]);
    expect(entries.filter((e) => e.kind === "reversal").every((e) => e.amountOre < 0n)).toBe(true);
    expect(byGoal(entries.filter((e) => e.kind === "allocation"))).toEqual(allocated);
  });

  it("adds a bank refund to refunded_ore and refuses reversing a payment that is not paid", async () => {
    const goal = [...(await goalIdsBySlug(ctx.db)).values()][0];
    const p = await ctx.db.transaction((tx) => recordPayment(tx, { channel: "one_off_gift", amountOre: 5_000n, goalId: goal.id, origin: "bank", method: "bank_transfer" }));
    await expect(ctx.db.transaction((tx) => reversePayment(tx, p, { amountOre: 1n, reason: "refund", author: "staff:a@example.org" }))).rejects.toBeInstanceOf(Conflict);
    await expect(ctx.db.transaction((tx) => recordPayment(tx, { channel: "one_off_gift", amountOre: 0n, goalId: null, origin: "bank" }))).rejects.toBeInstanceOf(Invalid);
    const paid = await ctx.db.transaction((tx) => markPaymentPaid(tx, p, { paidAt, author: "staff:a@example.org" }));
    const refunded = await ctx.db.transaction((tx) => reversePayment(tx, paid, { amountOre: 1_250n, reason: "refund", author: "staff:a@example.org" }));
    expect(refunded).toMatchObject({ refundedOre: 1_250n, creditedOre: 0n });
    const rows = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, p.id));
    expect(rows.map((e) => [e.goalId, e.amountOre, e.kind]).sort()).toEqual([[goal.id, -1_250n, "reversal"], [goal.id, 5_000n, "allocation"]].sort());
  });
});
