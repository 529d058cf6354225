import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobs, ledgerEntries, payments, stripeBalanceTransactions, stripeFeeShares, stripePayouts } from "~db/schema";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { SignInRequired } from "~/services/context";
import { Forbidden } from "~/services/errors";
import { exportCsv } from "~/services/exports/csv-export.server";
import { exportSie } from "~/services/exports/sie-export.server";
import { readAll } from "~/services/exports/stream.server";
import { drainJobs } from "~/services/jobs/jobs.server";
import { recentPayouts } from "~/services/payments/payouts-read.server";
import { stripeClient } from "~/services/payments/gateway.server";
import { fetchPayout, PAYOUT_JOB, recordPayout, registerPayoutJobs, runPayoutJob, splitFee } from "~/services/payments/payouts.server";
import { env } from "~/utils/env.server";
import { chargeObject, stripeId } from "~/services/payments/stripe-objects";
import { readSie } from "../exports/sie-reader";
import { testFee } from "../fakes/stripe-payouts";
import { createStaff } from "../factories";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalIdsBySlug, signedWebhookRequest, useFakeStripe } from "./helpers";

/**
 * Issue 14 item 5: Stripe's fees and payouts into the bookkeeping (decision 0007). Gifts go through the
 * real webhook path against the fake Stripe API; `payout.paid` only queues a job (no call to Stripe in
 * the webhook); the job reads the payout's balance transactions through the real SDK (paged) and
 * records each payment's fee, split over its goals; the SIE file gets a balanced fee voucher and the
 * transfer to the bank, and Stripe's account nets to exactly what no recorded payment explains.
 */

const csvRows = (bytes: Buffer) =>
  bytes
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .filter(Boolean)
    .map((l) => l.split(";"));

describe("splitFee", () => {
  it("splits a fee over goals in proportion, exactly, largest remainder first", () => {
    expect(splitFee(930n, new Map([[1, 15_000n], [2, 15_000n]]))).toEqual([{ goalId: 1, feeOre: 465n }, { goalId: 2, feeOre: 465n }]);
    expect(splitFee(10n, new Map([[2, 2n], [1, 1n]]))).toEqual([{ goalId: 1, feeOre: 3n }, { goalId: 2, feeOre: 7n }]);
    expect(splitFee(1n, new Map([[5, 1n], [3, 1n]]))).toEqual([{ goalId: 3, feeOre: 1n }]);
  });
});

describe.each(dbTargets)("Stripe fees and payouts (%s)", (target) => {
  const ctx = useTestDatabase(target);
  const stripe = useFakeStripe();
  const today = () => new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(new Date());
  const shift = (d: string, days: number) => new Date(Date.parse(`${d}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const state = {} as { payoutId: string; payoutEvent: unknown; designated: string; undesignated: string; refunded: string; unknownCharge: number; staff: ReturnType<typeof staffContext> };

  async function deliver(event: unknown) {
    const res = (await webhookAction({ request: signedWebhookRequest(event), params: {}, context: {} })) as Response;
    expect(res.status).toBe(200);
    return (await res.json()) as { result?: string };
  }

  it("payout.paid only queues a job: no call to Stripe in the webhook, once however often it is delivered", async () => {
    state.staff = staffContext(ctx.db, (await createStaff(ctx.db, "fundraiser")).id, "fundraiser");
    const designated = stripe.fake.paymentLink(50_000, { goal: "ingen-ensamhet" });
    const undesignated = stripe.fake.paymentLink(30_000, {});
    const refunded = stripe.fake.paymentLink(20_000, { goal: "ingen-ensamhet" });
    for (const e of [...designated.events, ...undesignated.events, ...refunded.events]) await deliver(e);
    await deliver(stripe.fake.refund(refunded.paymentIntent, 5_000));
    Object.assign(state, { designated: designated.paymentIntent, undesignated: undesignated.paymentIntent, refunded: refunded.paymentIntent });

    // A charge Stripe has that the app never recorded, and a fee Stripe charges on its own.
    state.unknownCharge = 12_000;
    const unknown = chargeObject({ id: stripeId("ch"), amount: state.unknownCharge, paymentIntent: stripeId("pi"), metadata: {} });
    const charge = (pi: string) => stripe.fake.charges.get(pi)!;
    const event = stripe.fake.payouts.pay(
      [{ charge: charge(designated.paymentIntent) }, { charge: charge(undesignated.paymentIntent) }, { charge: charge(refunded.paymentIntent), refunded: 5_000 }, { charge: unknown }],
      { arrivalDate: today(), extra: [{ type: "stripe_fee", amount: -2_500 }] },
    );
    state.payoutEvent = event;
    state.payoutId = (event.data.object as { id: string }).id;

    const requestsBefore = stripe.fake.requests.length;
    expect((await deliver(event)).result).toBe("processed");
    expect((await deliver(event)).result).toBe("duplicate");
    expect(stripe.fake.requests.length).toBe(requestsBefore);
    const queued = await ctx.db.select().from(jobs).where(eq(jobs.kind, PAYOUT_JOB));
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ status: "queued", dedupeKey: `${state.payoutId}:paid`, payload: { payoutId: state.payoutId } });
    expect(await ctx.db.select().from(stripePayouts)).toEqual([]);
  });

  it("the job records every balance transaction of the payout (paged), each payment's fee, split over its goals", async () => {
    stripe.fake.payouts.pageSize = 2;
    registerPayoutJobs(ctx.db);
    expect(await drainJobs({ db: ctx.db, kinds: [PAYOUT_JOB] })).toMatchObject({ claimed: 1, done: 1 });
    // Six transactions and the payout's own one, two a page.
    expect(stripe.fake.requestsTo("GET", "/v1/balance_transactions")).toHaveLength(4);

    const fees = { designated: testFee(50_000), undesignated: testFee(30_000), refunded: testFee(20_000), unknown: testFee(state.unknownCharge), stripe: 2_500 };
    const totalFee = Object.values(fees).reduce((s, v) => s + v, 0);
    const gross = 50_000 + 30_000 + 20_000 - 5_000 + state.unknownCharge;
    const [payout] = await ctx.db.select().from(stripePayouts);
    expect(payout).toMatchObject({ id: state.payoutId, status: "paid", arrivalDate: today(), transactions: 6, unmatched: 1 });
    expect(payout.feeOre).toBe(BigInt(totalFee));
    expect(payout.grossOre).toBe(BigInt(gross));
    expect(payout.amountOre).toBe(BigInt(gross - totalFee));

    const paymentOf = async (pi: string) => (await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, pi)))[0];
    const feeOfPayment = async (pi: string) => {
      const p = await paymentOf(pi);
      const rows = await ctx.db.select({ fee: stripeBalanceTransactions.feeOre, type: stripeBalanceTransactions.type }).from(stripeBalanceTransactions).where(eq(stripeBalanceTransactions.paymentId, p.id));
      return rows.map((r) => [r.type, r.fee]).sort();
    };
    expect(await feeOfPayment(state.designated)).toEqual([["charge", BigInt(fees.designated)]]);
    expect(await feeOfPayment(state.refunded)).toEqual([["charge", BigInt(fees.refunded)], ["refund", 0n]]);

    // The undesignated gift's fee follows its allocation over the goals, and adds up to the fee.
    const undesignated = await paymentOf(state.undesignated);
    const allocation = await ctx.db
      .select({ goalId: ledgerEntries.goalId, amount: ledgerEntries.amountOre })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.paymentId, undesignated.id), eq(ledgerEntries.kind, "allocation")))
      .orderBy(asc(ledgerEntries.goalId));
    expect(allocation.length).toBeGreaterThan(1);
    const shares = await ctx.db
      .select({ goalId: stripeFeeShares.goalId, fee: stripeFeeShares.feeOre })
      .from(stripeFeeShares)
      .innerJoin(stripeBalanceTransactions, eq(stripeBalanceTransactions.id, stripeFeeShares.balanceTransactionId))
      .where(eq(stripeBalanceTransactions.paymentId, undesignated.id))
      .orderBy(asc(stripeFeeShares.goalId));
    expect(shares.reduce((s, r) => s + r.fee, 0n)).toBe(BigInt(fees.undesignated));
    expect(shares.map((s) => s.goalId)).toEqual(allocation.map((a) => a.goalId));
    for (const [i, s] of shares.entries()) {
      const exact = (Number(allocation[i].amount) * fees.undesignated) / 30_000;
      expect(Math.abs(Number(s.fee) - exact)).toBeLessThan(1);
    }
    // Every fee has its shares: with no payment here (the unknown charge, Stripe's own fee) on no goal.
    const [sum] = await ctx.db.select({ s: sql<string>`sum(${stripeFeeShares.feeOre})::text` }).from(stripeFeeShares);
    expect(BigInt(sum.s)).toBe(BigInt(totalFee));
  });

  it("running the job again records nothing twice", async () => {
    const before = { shares: await ctx.db.select().from(stripeFeeShares), payout: await ctx.db.select().from(stripePayouts) };
    const outcome = await runPayoutJob({ job: { payload: { payoutId: state.payoutId } } as never });
    await ctx.db.transaction((tx) => outcome.complete(tx));
    const fetched = await fetchPayout(stripeClient(env()), state.payoutId);
    expect(await ctx.db.transaction((tx) => recordPayout(tx, fetched))).toBe(0);
    expect(await ctx.db.select().from(stripeFeeShares)).toHaveLength(before.shares.length);
    expect(await ctx.db.select().from(stripeBalanceTransactions)).toHaveLength(6);
    const [after] = await ctx.db.select().from(stripePayouts);
    expect({ ...after, updatedAt: null }).toEqual({ ...before.payout[0], updatedAt: null });
  });

  it("the SIE file gets a balanced fee voucher per goal and the payout's transfer; Stripe's account nets to the unrecorded charge", async () => {
    const sie = readSie(await readAll((await exportSie(state.staff, { from: shift(today(), -1), to: shift(today(), 1) })).stream));
    for (const v of sie.vouchers) expect(v.trans.reduce((s, t) => s + t.amountOre, 0n)).toBe(0n);
    const [payout] = await ctx.db.select().from(stripePayouts);
    const fee = sie.vouchers.find((v) => v.text === `Stripe-avgifter, utbetalning ${state.payoutId}`)!;
    const transfer = sie.vouchers.find((v) => v.text === `Stripe-utbetalning ${state.payoutId}`)!;
    expect(fee.date).toBe(today().replace(/-/g, ""));
    // Default accounts: fees 6570 per goal, Stripe's money 1580, the bank 1930.
    expect(fee.trans.filter((t) => t.account === "1580")).toEqual([{ account: "1580", objects: [], amountOre: -payout.feeOre }]);
    const feeRows = fee.trans.filter((t) => t.account === "6570");
    expect(feeRows.reduce((s, t) => s + t.amountOre, 0n)).toBe(payout.feeOre);
    const goals = await goalIdsBySlug(ctx.db);
    const designatedGoal = String(goals.get("ingen-ensamhet")!.number);
    const perGoal = new Map(feeRows.filter((t) => t.objects.length).map((t) => [t.objects[0][1], t.amountOre]));
    expect(perGoal.get(designatedGoal)! >= BigInt(testFee(50_000) + testFee(20_000))).toBe(true);
    expect(feeRows.find((t) => t.objects.length === 0)?.amountOre).toBe(BigInt(testFee(state.unknownCharge) + 2_500));
    expect(transfer.trans).toEqual([
      { account: "1930", objects: [], amountOre: payout.amountOre },
      { account: "1580", objects: [], amountOre: -payout.amountOre },
    ]);
    // Gifts in gross, the refund, the fees and the payout out: what is left on 1580 is the charge no payment here explains.
    const on1580 = sie.vouchers.flatMap((v) => v.trans).filter((t) => t.account === "1580").reduce((s, t) => s + t.amountOre, 0n);
    expect(on1580).toBe(BigInt(-state.unknownCharge));
  });

  it("a payout that fails after all keeps its fees but loses its transfer", async () => {
    await deliver(stripe.fake.payouts.fail(state.payoutId));
    expect(await drainJobs({ db: ctx.db, kinds: [PAYOUT_JOB] })).toMatchObject({ done: 1 });
    expect((await ctx.db.select().from(stripePayouts))[0].status).toBe("failed");
    const sie = readSie(await readAll((await exportSie(state.staff, { from: shift(today(), -1), to: shift(today(), 1) })).stream));
    expect(sie.vouchers.some((v) => v.text === `Stripe-avgifter, utbetalning ${state.payoutId}`)).toBe(true);
    expect(sie.vouchers.some((v) => v.text === `Stripe-utbetalning ${state.payoutId}`)).toBe(false);
    expect(await ctx.db.select().from(stripeBalanceTransactions)).toHaveLength(6);
  });

  it("staff see the payouts and each payment's fee; others are refused", async () => {
    const [listed] = await recentPayouts(state.staff);
    expect(listed).toMatchObject({ id: state.payoutId, transactions: 6, unmatched: 1 });
    const period = { from: shift(today(), -1), to: shift(today(), 1) };
    const payoutsCsv = csvRows(await readAll((await exportCsv(state.staff, "payouts", period)).stream));
    expect(payoutsCsv[0]).toEqual(["Till banken", "Utbetalning", "Status", "Brutto (kr)", "Avgifter (kr)", "Utbetalt (kr)", "Transaktioner", "Utan betalning här", "Registrerad"]);
    expect(payoutsCsv.slice(1).map((r) => r.slice(0, 3))).toEqual([[today(), state.payoutId, "failed"]]);
    const [p] = await ctx.db.select().from(stripePayouts);
    const kr = (ore: bigint) => `${ore / 100n},${String(ore % 100n).padStart(2, "0")}`;
    expect(payoutsCsv[1].slice(3, 6)).toEqual([kr(p.grossOre), kr(p.feeOre), kr(p.amountOre)]);

    const paymentsCsv = csvRows(await readAll((await exportCsv(state.staff, "payments", period)).stream));
    expect(paymentsCsv[0].at(-1)).toBe("Stripe-avgift (kr)");
    const [designated] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, state.designated));
    expect(paymentsCsv.find((r) => r[0] === String(designated.id))!.at(-1)).toBe(kr(BigInt(testFee(50_000))));

    const outsider = personContext(ctx.db, { id: 999_999, roles: [], organisations: [{ organisationId: 1, isAdmin: true }] });
    await expect(recentPayouts(anonymousContext(ctx.db))).rejects.toBeInstanceOf(SignInRequired);
    await expect(recentPayouts(outsider)).rejects.toBeInstanceOf(Forbidden);
    await expect(exportCsv(outsider, "payouts", period)).rejects.toBeInstanceOf(Forbidden);
  });
});
