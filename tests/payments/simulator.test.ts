import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, monthlyGifts, payments, stripeEvents } from "~db/schema";
import { seedPaymentsDemo } from "~db/demo/payments";
import { loader as adminPaymentsLoader } from "~/routes/admin.payments";
import { goalBalances } from "~/services/ledger/balances.server";
import { listPaymentsForStaff } from "~/services/payments/admin.server";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { startGift } from "~/services/payments/give.server";
import { manageToken } from "~/services/payments/manage-link.server";
import { changeMonthlyAmount, stopMonthlyGift } from "~/services/payments/monthly.server";
import { simulateCheckout, simulatedCheckout } from "~/services/payments/simulator.server";
import { parseEnv, setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { tempDir } from "../setup/server";
import { goalIdsBySlug, ledgerTotal, usePaymentEnv } from "./helpers";

const donor = { name: "Sim Givare", email: "sim@example.com" };

describe.each(dbTargets)("payment simulator (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  async function start(fields: Record<string, unknown>) {
    const started = await startGift(ctx.db, { input: { ...donor, ...fields }, locale: "sv" });
    expect(started.redirectUrl).toMatch(/^\/dev\/checkout\/cs_sim_/);
    return { ...started, sessionId: started.redirectUrl.split("/").pop()! };
  }

  it("pays a Swish gift through the same handlers as the webhook (completed unpaid, then async success)", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const goal = goals.get("alla-ar-trygga")!.id;
    const before = (await goalBalances(ctx.db)).get(goal) ?? 0n;
    const { sessionId, paymentId } = await start({ frequency: "one_off", goal: "alla-ar-trygga", amount: "250", method: "swish" });
    expect((await simulatedCheckout(ctx.db, sessionId)).method).toBe("swish");
    const result = await simulateCheckout(ctx.db, sessionId, "pay");
    expect(result.redirect).toMatch(/^\/give\/thanks\?ref=/);
    const types = (await ctx.db.select().from(stripeEvents).where(eq(stripeEvents.source, "simulator"))).map((e) => e.type);
    expect(types).toEqual(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);
    expect(((await goalBalances(ctx.db)).get(goal) ?? 0n) - before).toBe(25_000n);
    const [p] = await ctx.db.select().from(payments).where(eq(payments.id, paymentId));
    expect(p).toMatchObject({ status: "paid", method: "swish", channel: "one_off_gift" });
    expect(await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `receipt:${paymentId}`))).toHaveLength(1);
    // Paying twice does nothing more.
    await simulateCheckout(ctx.db, sessionId, "pay");
    expect(((await goalBalances(ctx.db)).get(goal) ?? 0n) - before).toBe(25_000n);
  });

  it("lets a Swish payment time out: the payment expires, nothing is booked, the donor is sent to try again", async () => {
    const total = await ledgerTotal(ctx.db);
    const { sessionId, paymentId } = await start({ frequency: "one_off", goal: "", amount: "100", method: "swish" });
    const result = await simulateCheckout(ctx.db, sessionId, "swish_timeout");
    expect(result.redirect).toMatch(/^\/give\/cancelled\?ref=.*reason=swish_timeout$/);
    const [p] = await ctx.db.select().from(payments).where(eq(payments.id, paymentId));
    expect(p.status).toBe("expired");
    expect(await ledgerTotal(ctx.db)).toBe(total);
  });

  it("declines a card without an event and keeps the payment pending; a declined Swish fails it", async () => {
    const card = await start({ frequency: "one_off", amount: "100", method: "card" });
    expect(await simulateCheckout(ctx.db, card.sessionId, "decline")).toEqual({ redirect: null, declined: true });
    expect((await ctx.db.select().from(payments).where(eq(payments.id, card.paymentId)))[0].status).toBe("pending");
    const swish = await start({ frequency: "one_off", amount: "100", method: "swish" });
    await simulateCheckout(ctx.db, swish.sessionId, "decline");
    expect((await ctx.db.select().from(payments).where(eq(payments.id, swish.paymentId)))[0].status).toBe("failed");
  });

  it("starts, changes and stops a monthly gift", async () => {
    const { sessionId, monthlyGiftId, paymentId } = await start({ frequency: "monthly", goal: "ingen-ensamhet", amount: "200" });
    await simulateCheckout(ctx.db, sessionId, "pay");
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, monthlyGiftId!));
    expect(gift.status).toBe("active");
    expect((await ctx.db.select().from(payments).where(eq(payments.id, paymentId)))[0]).toMatchObject({ status: "paid", channel: "monthly_gift" });
    const token = manageToken(gift.id);
    await changeMonthlyAmount(anonymousContext(ctx.db), { token, amount: "350", requestId: "r1" });
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)))[0].amountOre).toBe(35_000n);
    await stopMonthlyGift(anonymousContext(ctx.db), { token });
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)))[0].status).toBe("canceled");
  });

  it("counts a monthly gift's first month once when 'pay' is submitted twice at the same time", async () => {
    const goals = await goalIdsBySlug(ctx.db);
    const goal = goals.get("ingen-ensamhet")!.id;
    const before = (await goalBalances(ctx.db)).get(goal) ?? 0n;
    const { sessionId, monthlyGiftId } = await start({ frequency: "monthly", goal: "ingen-ensamhet", amount: "250" });
    const results = await Promise.all([simulateCheckout(ctx.db, sessionId, "pay"), simulateCheckout(ctx.db, sessionId, "pay")]);
    for (const r of results) expect(r.redirect).toMatch(/^\/give\/thanks\?ref=/);
    const months = await ctx.db.select().from(payments).where(eq(payments.monthlyGiftId, monthlyGiftId!));
    expect(months.filter((p) => p.status === "paid")).toHaveLength(1);
    expect(months).toHaveLength(1);
    expect(((await goalBalances(ctx.db)).get(goal) ?? 0n) - before).toBe(25_000n);
    const [gift] = await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, monthlyGiftId!));
    expect(gift.subscriptionId).toBe(`sub_sim_${gift.id}`);
  });

  it("counts a one-off card gift once when 'pay' is submitted twice at the same time", async () => {
    const total = await ledgerTotal(ctx.db);
    const { sessionId, paymentId } = await start({ frequency: "one_off", goal: "", amount: "120", method: "card" });
    await Promise.all([simulateCheckout(ctx.db, sessionId, "pay"), simulateCheckout(ctx.db, sessionId, "pay")]);
    const [p] = await ctx.db.select().from(payments).where(eq(payments.id, paymentId));
    expect(p).toMatchObject({ status: "paid", paymentIntentId: `pi_sim_${sessionId}` });
    expect((await ledgerTotal(ctx.db)) - total).toBe(12_000n);
  });

  it("is refused in production unless local stand-ins are allowed", async () => {
    const { sessionId } = await start({ frequency: "one_off", amount: "100", method: "card" });
    const prod = { APP_ENV: "production", DATABASE_URL: "postgres://u@h/db", SESSION_SECRET: "p".repeat(40), APP_URL: "https://example.org", DATA_DIR: tempDir("prod") };
    setEnvForTests(parseEnv(prod));
    await expect(simulatedCheckout(ctx.db, sessionId)).rejects.toMatchObject({ status: 403 });
    await expect(simulateCheckout(ctx.db, sessionId, "pay")).rejects.toMatchObject({ status: 403 });
    setEnvForTests(parseEnv({ ...prod, ALLOW_LOCAL_STANDINS: "1" }));
    expect((await simulatedCheckout(ctx.db, sessionId)).status).toBe("pending");
    usePaymentEnv();
  });

  it("loads demo gifts through the recording path, idempotently, without receipts", async () => {
    const mailsBefore = (await ctx.db.select().from(emailOutbox)).length;
    const t0 = await ledgerTotal(ctx.db);
    await seedPaymentsDemo(ctx.db);
    const t1 = await ledgerTotal(ctx.db);
    // 7 one-off gifts (4 500 kr) − 100 kr refunded + 2 months × 200 kr.
    expect(t1 - t0).toBe(450_000n - 10_000n + 40_000n);
    await seedPaymentsDemo(ctx.db);
    expect(await ledgerTotal(ctx.db)).toBe(t1);
    expect((await ctx.db.select().from(emailOutbox)).length).toBe(mailsBefore);
    const staff = await listPaymentsForStaff(staffContext(ctx.db, 1, "fundraiser"));
    expect(staff.filter((p) => p.origin === "demo").length).toBe(9);
    await expect(listPaymentsForStaff(personContext(ctx.db, { id: 2 }))).rejects.toMatchObject({ status: 403 });
  });

  it("sends anonymous visitors of /admin/payments to sign in", async () => {
    await expect(adminPaymentsLoader({ request: new Request("http://127.0.0.1:3999/admin/payments"), params: {}, context: {} })).rejects.toMatchObject({ status: 302 });
  });
});
