import net from "node:net";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, pipelinedTransaction } from "~db/client.server";
import { payments } from "~db/schema";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { PreparedStatements, runBuilt, runRaw } from "~/services/payments/hot-queries.server";
import { chargeObject, checkoutSessionObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { usePaymentEnv } from "./helpers";

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

// PostgreSQL only: PGlite has no protocol round trips and no pipelined transaction.
describe.each(dbTargets.filter((t) => t === "postgres"))("a Stripe event's transaction on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  it("runs every statement prepared, the deferred writes and the guard before COMMIT too: postgres.js sends an unprepared statement with parameters in two round trips, and PostgreSQL parses and plans it each time", async () => {
    // One connection, so pg_prepared_statements (per connection) shows what the event's transactions ran.
    const single = await openDatabase({ databaseUrl: ctx.database.url, max: 1 });
    try {
      const sessions = ["alla-ar-trygga", null, "alla-ar-trygga", null].map((goal, i) =>
        checkoutSessionObject({ id: stripeId("cs"), mode: "payment", amountTotal: 10_000 + i, status: "complete", paymentStatus: "paid", paymentIntent: stripeId("pi"), metadata: goal ? { goal } : {}, customerEmail: "givare@example.com" }),
      );
      for (const session of sessions) expect(await dispatchStripeEvent(single.db, stripeEvent("checkout.session.completed", session))).toBe("processed");
      // postgres.js (this test's driver on PostgreSQL) answers execute() with the rows as an array.
      const rows = (await single.db.execute(sql`select statement from pg_prepared_statements`)) as unknown as { statement: string }[];
      const prepared = rows.map((r) => r.statement);
      // The last writes (payment, ledger entries, receipt and flag in one statement) and the guard.
      expect(prepared.filter((s) => s.startsWith("with w0 as (") && s.includes('insert into "ledger_entries"')).length).toBeGreaterThanOrEqual(2);
      expect(prepared.some((s) => s.includes("current_setting('lokala.last_write', true) = $1"))).toBe(true);
      const paid = await single.db.select({ id: payments.id }).from(payments).where(and(inArray(payments.checkoutSessionId, sessions.map((s) => s.id)), eq(payments.status, "paid")));
      expect(paid).toHaveLength(4);
    } finally {
      await single.close();
    }
  });
  it("locks a payment with a statement that names only the ids the event carries, so PostgreSQL settles on its generic plan instead of planning each run anew", async () => {
    const single = await openDatabase({ databaseUrl: ctx.database.url, max: 1 });
    try {
      const paid = [];
      for (let i = 0; i < 8; i++) {
        const pi = stripeId("pi");
        const session = checkoutSessionObject({ id: stripeId("cs"), mode: "payment", amountTotal: 40_000 + i, status: "complete", paymentStatus: "paid", paymentIntent: pi, metadata: { goal: "alla-ar-trygga" }, customerEmail: "givare@example.com" });
        expect(await dispatchStripeEvent(single.db, stripeEvent("checkout.session.completed", session))).toBe("processed");
        paid.push({ pi, amount: 40_000 + i });
      }
      // Refunds find their payment by PaymentIntent and charge (no payment_ref, session or invoice).
      for (const { pi, amount } of paid) {
        const charge = chargeObject({ id: stripeId("ch"), amount, amountRefunded: 1_000, paymentIntent: pi });
        expect(await dispatchStripeEvent(single.db, stripeEvent("charge.refunded", charge))).toBe("processed");
      }
      const rows = (await single.db.execute(
        sql`select statement, generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '%from "payments"%for update%'`,
      )) as unknown as { statement: string; generic: number; custom: number }[];
      const lock = rows.filter((r) => r.statement.includes('"payment_intent_id" = $') && r.statement.includes('"charge_id" = $'));
      expect(lock).toHaveLength(1);
      expect(lock[0].statement).not.toContain('"invoice_id" = $');
      // PostgreSQL tries five custom plans, then keeps the generic one when it costs no more.
      expect(lock[0].custom).toBeLessThanOrEqual(5);
      expect(lock[0].generic).toBeGreaterThanOrEqual(3);
    } finally {
      await single.close();
    }
  });
  it("prepares the last writes and the guard of any pipelinedTransaction (the pool's one switch), not only the Stripe path's", async () => {
    const single = await openDatabase({ databaseUrl: ctx.database.url, max: 1 });
    try {
      const pi = stripeId("pi");
      await pipelinedTransaction(
        single.db,
        async () => undefined,
        (tx) => [tx.insert(payments).values({ channel: "one_off_gift", amountOre: 123_00n, origin: "external", paymentIntentId: pi }).getSQL()],
      );
      const rows = (await single.db.execute(sql`select statement from pg_prepared_statements`)) as unknown as { statement: string }[];
      const prepared = rows.map((r) => r.statement);
      expect(prepared.some((s) => s.includes('insert into "payments"') && s.includes("lokala.last_write"))).toBe(true);
      expect(prepared.some((s) => s.includes("current_setting('lokala.last_write', true) = $1"))).toBe(true);
      expect(await single.db.select({ id: payments.id }).from(payments).where(eq(payments.paymentIntentId, pi))).toHaveLength(1);
    } finally {
      await single.close();
    }
  });
  it("records a new Payment Link payment in two round trips: BEGIN with the event id, the payment's insert and its ledger reads (the handler does not wait for the event id's answer), then the writes with COMMIT", async () => {
    const single = await openDatabase({ databaseUrl: ctx.database.url, max: 1 });
    const port = Number(new URL(ctx.database.url!).port);
    const flights = { on: false, count: 0 };
    const answered = new WeakMap<object, boolean>();
    const write = net.Socket.prototype.write;
    // A write after the server answered starts a new round trip (writes before that join the flight).
    net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
      if (flights.on && this.remotePort === port) {
        if (!answered.has(this)) this.on("data", () => answered.set(this, true));
        if (answered.get(this) !== false) flights.count++;
        answered.set(this, false);
      }
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof write;
    try {
      const session = (goal: string | null, i: number) =>
        checkoutSessionObject({ id: stripeId("cs"), mode: "payment", amountTotal: 20_000 + i, status: "complete", paymentStatus: "paid", paymentIntent: stripeId("pi"), metadata: goal ? { goal } : {}, customerEmail: "givare@example.com" });
      // The first of each kind prepares its statements on the connection (one Describe each).
      for (const goal of ["alla-ar-trygga", null]) expect(await dispatchStripeEvent(single.db, stripeEvent("checkout.session.completed", session(goal, 0)))).toBe("processed");
      for (const goal of ["alla-ar-trygga", null]) {
        const s = session(goal, 1);
        flights.on = true;
        flights.count = 0;
        expect(await dispatchStripeEvent(single.db, stripeEvent("checkout.session.completed", s))).toBe("processed");
        flights.on = false;
        expect(flights.count).toBe(2);
        const [paid] = await single.db.select().from(payments).where(eq(payments.checkoutSessionId, s.id));
        expect(paid.status).toBe("paid");
      }
    } finally {
      net.Socket.prototype.write = write;
      await single.close();
    }
  });
});
