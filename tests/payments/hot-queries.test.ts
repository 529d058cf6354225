import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pipelinedTransaction } from "~db/client.server";
import { payments } from "~db/schema";
import { PreparedStatements, runBuilt, runRaw } from "~/services/payments/hot-queries.server";
import { dbTargets, useTestDatabase } from "../setup/db";

describe.each(dbTargets)("statements built once and run in each transaction (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it.each([
    ["prepared (the Stripe path's statements)", "p", () => new PreparedStatements()],
    ["built anew, unnamed (no statements given)", "u", () => undefined],
  ])("gives the same rows as Drizzle's own query, in any transaction, with each run's values: %s", async (_, tag, make) => {
    const statements = make();
    const rows = await ctx.db
      .insert(payments)
      .values([
        { channel: "one_off_gift", status: "paid", amountOre: 9_007_199_254_740_993n, origin: "external", paymentIntentId: `pi_hot_a${tag}`, paidAt: new Date("2026-11-01T10:00:00.123Z"), anonymous: true },
        { channel: "monthly_gift", amountOre: 250_00n, origin: "app", chargeId: `ch_hot_b${tag}`, greeting: "Hej" },
      ])
      .returning();
    const lock = (pi: string | null, ch: string | null) =>
      pipelinedTransaction(ctx.db, (tx) =>
        runBuilt<typeof payments.$inferSelect>(
          tx,
          "test_payment_by_pi_or_charge",
          () => tx.select().from(payments).where(sql`${payments.paymentIntentId} = ${sql.placeholder("pi")}::text or ${payments.chargeId} = ${sql.placeholder("ch")}::text`).for("update"),
          { pi, ch },
          statements,
        ),
      );
    const [a] = await lock(`pi_hot_a${tag}`, null);
    const [b] = await lock(null, `ch_hot_b${tag}`);
    expect(await lock("pi_none", "ch_none")).toEqual([]);
    expect(a).toEqual((await ctx.db.select().from(payments).where(eq(payments.id, rows[0].id)))[0]);
    expect(b).toEqual((await ctx.db.select().from(payments).where(eq(payments.id, rows[1].id)))[0]);
    expect(a.amountOre).toBe(9_007_199_254_740_993n);
    expect(a.paidAt).toEqual(new Date("2026-11-01T10:00:00.123Z"));

    const raw = await ctx.db.transaction((tx) =>
      runRaw<{ n: string }>(tx, "test_count_by_channel", () => sql`select count(*)::text as n from ${payments} where ${payments.channel} = ${sql.placeholder("channel")}::text and ${payments.id} in (${sql.placeholder("a")}::bigint, ${sql.placeholder("b")}::bigint)`, {
        channel: "monthly_gift",
        a: rows[0].id.toString(),
        b: rows[1].id.toString(),
      }, statements),
    );
    expect(raw).toEqual([{ n: "1" }]);
  });
});
