import { eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { allocationRules, allocationShares, goals, invoiceLines, invoices, ledgerEntries, payments, type PaymentChannel } from "~db/schema";
import { bankDate, importBgMaxFile } from "~/services/invoices/bgmax-import.server";
import { bgMaxFromPayments, encodeBgMax } from "~/services/invoices/bgmax-writer";
import { buildOcr } from "~/services/invoices/ocr";
import { getCharityBankgiro } from "~/services/settings/charity-bankgiro.server";
import { ruleInForce, type RuleInForce } from "~/services/ledger/allocation.server";
import { goalBalances } from "~/services/ledger/balances.server";
import { reversalSplit, splitLargestRemainder } from "~/services/ledger/split";
import type { ServiceContext } from "~/services/context";
import { Conflict } from "~/services/errors";
import { moveUndesignated, postCorrection, undesignatedByGoal } from "~/services/ledger/corrections.server";
import { markPaymentPaid, recordPayment, reversePayment } from "~/services/payments/core.server";
import { giftStats, ledgerTotals, rebuildReportingAggregates, reportingDiscrepancies } from "~/services/reporting/totals.server";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { chargeObject, checkoutSessionObject, disputeObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { createOrganisation, createStaff } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { prng } from "./helpers";

/**
 * Issue 9's ledger property: money from every source (Stripe events in any order and repeated, bank
 * payments that staff mark paid, also twice, credit notes, voids and bank refunds, also one too
 * many, company invoices paid by a BgMax file imported twice, staff corrections and moves of
 * undesignated money) leaves every goal's balance equal to the
 * money paid to it minus the money reversed from it, as decision 0004's pure rules (split.ts)
 * compute them, plus corrections and moves; each payment's entries sum to its amount less its
 * reversals; no entry is ever changed or removed.
 */
const SLUGS = ["ingen-hemloshet", "alla-ar-trygga", "ingen-ensamhet", "ingen-psykisk-ohalsa", "alla-kan-arbeta"];

const stripeSpec = fc.record({
  amount: fc.integer({ min: 300, max: 5_000_000 }),
  goal: fc.option(fc.constantFrom(...SLUGS), { nil: null }),
  refunds: fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 2 }),
  lostDispute: fc.boolean(),
});

const bankSpec = fc.record({
  amount: fc.integer({ min: 100, max: 5_000_000 }),
  /** What the bank reports, if not the amount expected (recorded as received). */
  received: fc.option(fc.integer({ min: 100, max: 5_000_000 }), { nil: null }),
  goal: fc.option(fc.constantFrom(...SLUGS), { nil: null }),
  channel: fc.constantFrom<PaymentChannel>("partner_fee", "collection", "salary_giving", "one_off_gift", "competition"),
  markedTwice: fc.boolean(),
  /** Reversals in ‰ of the amount; one that would pass what is left is refused and changes nothing. */
  reversals: fc.array(fc.record({ reason: fc.constantFrom("credit_note" as const, "void" as const, "refund" as const), permille: fc.integer({ min: 1, max: 1000 }) }), { maxLength: 3 }),
});

const correctionSpec = fc.record({
  goal: fc.constantFrom(...SLUGS),
  channel: fc.constantFrom<PaymentChannel>("one_off_gift", "partner_fee", "collection"),
  addOre: fc.integer({ min: 1, max: 1_000_000 }),
  /** Then taken off again in part (‰ of what was added): never below zero, so never refused. */
  removePermille: fc.integer({ min: 0, max: 1000 }),
});

const scenario = fc.record({
  stripe: fc.array(stripeSpec, { maxLength: 3 }),
  bank: fc.array(bankSpec, { minLength: 1, maxLength: 4 }),
  corrections: fc.array(correctionSpec, { maxLength: 2 }),
  /** Company bank invoices paid by a BgMax file, which is then imported a second time. */
  invoices: fc.array(fc.array(fc.record({ amount: fc.integer({ min: 100, max: 2_000_000 }), goal: fc.option(fc.constantFrom(...SLUGS), { nil: null }) }), { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
  /** Undesignated money moved from the goal that has the most (‰ of it) to another goal. */
  move: fc.option(fc.record({ permille: fc.integer({ min: 1, max: 1000 }), to: fc.constantFrom(...SLUGS) }), { nil: null }),
  seed: fc.integer(),
  /** Steps of different payments run at the same time, this many at once. */
  batch: fc.integer({ min: 1, max: 4 }),
});

type Step = () => Promise<void>;
interface Expected {
  /** Each payment's amount and what is left of it, by a key the test finds it by. */
  net: Map<string, { amount: bigint; net: bigint }>;
  /** Each goal's expected movement. */
  byGoal: Map<number, bigint>;
}

/** Decision 0004's rules, from the pure functions: allocation by the goal or the rule, reversal of R. */
function expectedShares(amount: bigint, reversed: bigint, goalId: number | null, rule: RuleInForce, numbers: Map<number, number>) {
  const allocation = goalId !== null ? [{ goalId, goalNumber: numbers.get(goalId)!, amountOre: amount }] : splitLargestRemainder(amount, rule.weights);
  const reversal = reversalSplit(reversed > amount ? amount : reversed, allocation, new Map());
  const out = new Map<number, bigint>();
  for (const s of allocation) out.set(s.goalId, s.amountOre);
  for (const s of reversal) out.set(s.goalId, (out.get(s.goalId) ?? 0n) - s.amountOre);
  return out;
}

async function lockedPayment(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], id: bigint) {
  const [row] = await tx.select().from(payments).where(eq(payments.id, id)).for("update");
  return row;
}

describe.each(dbTargets)("ledger properties with money from every source (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it("keeps each goal's balance = paid − reversed by the split rules, each payment's entries = its amount − reversals, and never changes an entry", async () => {
    const goalRows = await ctx.db.select({ id: goals.id, number: goals.number, slug: goals.slug }).from(goals).orderBy(goals.number);
    const bySlug = new Map(goalRows.map((g) => [g.slug, g.id]));
    const numbers = new Map(goalRows.map((g) => [g.id, g.number]));
    // An uneven rule with a goal left out, in force from a moment ago (every payment is paid after it).
    await ctx.db.transaction(async (tx) => {
      const [rule] = await tx.insert(allocationRules).values({ validFrom: new Date(Date.now() - 5_000), createdBy: "test" }).returning();
      const bp = [1_000, 3_333, 2_667, 0, 3_000];
      await tx.insert(allocationShares).values(goalRows.map((g, i) => ({ ruleId: rule.id, goalId: g.id, basisPoints: bp[i] ?? 0 })));
    });
    const rule = await ruleInForce(ctx.db, new Date());
    const seen = new Map<string, string>();
    const person = await createStaff(ctx.db, "fundraiser");
    const staff: ServiceContext = { db: ctx.db, actor: { kind: "person", personId: person.id, email: person.email, name: null, roles: ["fundraiser"], organisations: [] }, locale: "sv" };
    const done = { corrections: 0, moves: 0, refused: 0, bgmaxTwice: 0 };
    const organisation = await createOrganisation(ctx.db);
    const bankgiro = (await getCharityBankgiro(ctx.db)).replace(/\D/g, "") || "9001231";
    let invoiceNumber = 70_000;
    const kronor = (ore: bigint) => `${ore / 100n},${(ore % 100n).toString().padStart(2, "0")}`;

    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const before = await goalBalances(ctx.db);
        const expected: Expected = { net: new Map(), byGoal: new Map() };
        const add = (shares: Map<number, bigint>) => {
          for (const [g, v] of shares) expected.byGoal.set(g, (expected.byGoal.get(g) ?? 0n) + v);
        };
        const threads: Step[][] = [];

        // Stripe: Payment Link payments, refunds and lost disputes; every event delivered twice, any order.
        for (const p of s.stripe) {
          const [cs, pi, ch] = [stripeId("cs"), stripeId("pi"), stripeId("ch")];
          const events: Stripe.Event[] = [
            stripeEvent("checkout.session.completed", checkoutSessionObject({ id: cs, mode: "payment", amountTotal: p.amount, status: "complete", paymentStatus: "paid", paymentIntent: pi, metadata: p.goal ? { goal: p.goal } : {} })),
          ];
          let refunded = 0;
          for (const permille of p.refunds) {
            refunded = Math.min(p.amount, refunded + Math.max(1, Math.floor((p.amount * permille) / 1000)));
            // The goal on the charge too (a dashboard payment's), so a refund arriving first designates it alike.
            events.push(stripeEvent("charge.refunded", chargeObject({ id: ch, amount: p.amount, amountRefunded: refunded, paymentIntent: pi, metadata: p.goal ? { goal: p.goal } : {} })));
          }
          let lost = 0;
          if (p.lostDispute && p.amount > refunded) {
            lost = p.amount - refunded;
            events.push(stripeEvent("charge.dispute.closed", disputeObject({ id: stripeId("dp"), charge: ch, paymentIntent: pi, amount: lost, status: "lost" })));
          }
          for (const e of [...events, ...events]) threads.push([async () => void (await dispatchStripeEvent(ctx.db, e))]);
          const amount = BigInt(p.amount);
          const reversed = BigInt(refunded + lost);
          expected.net.set(`stripe:${cs}`, { amount, net: amount - reversed });
          add(expectedShares(amount, reversed, p.goal ? bySlug.get(p.goal)! : null, rule, numbers));
        }

        // Bank: recorded, marked paid by staff (perhaps twice), then credited, voided or refunded in parts.
        for (const b of s.bank) {
          const key = `bank:${stripeId("ref")}`;
          const goalId = b.goal ? bySlug.get(b.goal)! : null;
          const amount = BigInt(b.received ?? b.amount);
          let id = 0n;
          const steps: Step[] = [
            async () => {
              const row = await ctx.db.transaction((tx) => recordPayment(tx, { channel: b.channel, amountOre: BigInt(b.amount), goalId, origin: "bank", method: "bank_transfer", reference: key }));
              id = row.id;
            },
          ];
          const markPaid = (author: string) => async () => {
            await ctx.db.transaction(async (tx) => markPaymentPaid(tx, await lockedPayment(tx, id), { paidAt: new Date(), amountOre: amount, reference: key, author }));
          };
          steps.push(markPaid("staff:kassa@example.org"));
          if (b.markedTwice) steps.push(markPaid("staff:other@example.org"));
          let reversed = 0n;
          for (const r of b.reversals) {
            const part = (amount * BigInt(r.permille)) / 1000n || 1n;
            const fits = reversed + part <= amount;
            if (fits) reversed += part;
            steps.push(async () => {
              const attempt = ctx.db.transaction(async (tx) =>
                reversePayment(tx, await lockedPayment(tx, id), { amountOre: part, reason: r.reason, reference: `${r.reason}-${key}`, author: "staff:kassa@example.org" }),
              );
              if (fits) await attempt;
              else await expect(attempt).rejects.toBeInstanceOf(Conflict).then(() => done.refused++);
            });
          }
          threads.push(steps);
          expected.net.set(key, { amount, net: amount - reversed });
          add(expectedShares(amount, reversed, goalId, rule, numbers));
        }

        // Staff corrections: money added to a goal, then part of it taken off again.
        for (const c of s.corrections) {
          const goalId = bySlug.get(c.goal)!;
          const added = BigInt(c.addOre);
          const removed = (added * BigInt(c.removePermille)) / 1000n;
          const correct = (direction: "add" | "remove", ore: bigint) => async () =>
            void (await postCorrection(staff, { goalId: String(goalId), direction, amount: kronor(ore), channel: c.channel, reason: "Egenskapstest" }), done.corrections++);
          threads.push(removed > 0n ? [correct("add", added), correct("remove", removed)] : [correct("add", added)]);
          expected.byGoal.set(goalId, (expected.byGoal.get(goalId) ?? 0n) + added - removed);
        }
        // A move of undesignated money: at most what earlier runs left on the goal (this run's own
        // payments only add to it, whatever their reversals), so it is never refused.
        if (s.move) {
          let best: { goalId: number; channel: PaymentChannel; ore: bigint } | null = null;
          for (const [goalId, channels] of await undesignatedByGoal(ctx.db)) {
            for (const [channel, ore] of channels) if (goalId !== bySlug.get(s.move.to) && (!best || ore > best.ore)) best = { goalId, channel, ore };
          }
          const toGoal = bySlug.get(s.move.to)!;
          if (best && best.ore > 0n) {
            const ore = (best.ore * BigInt(s.move.permille)) / 1000n || 1n;
            const from = best;
            threads.push([async () => void (await moveUndesignated(staff, { fromGoalId: String(from.goalId), toGoalId: String(toGoal), amount: kronor(ore), channel: from.channel, reason: "Egenskapstest" }), done.moves++)]);
            expected.byGoal.set(from.goalId, (expected.byGoal.get(from.goalId) ?? 0n) - ore);
            expected.byGoal.set(toGoal, (expected.byGoal.get(toGoal) ?? 0n) + ore);
          }
        }

        // BgMax: issued bank invoices (as the invoices service leaves them), paid in full by one file;
        // the same file imported again is refused and books nothing.
        if (s.invoices.length) {
          const date = "2026-12-01";
          const paidLines: { ocr: string; amountOre: bigint; date: string }[] = [];
          for (const lines of s.invoices) {
            const number = ++invoiceNumber;
            const total = lines.reduce((t, l) => t + BigInt(l.amount), 0n);
            const [inv] = await ctx.db
              .insert(invoices)
              .values({ organisationId: organisation.id, number: BigInt(number), issueDate: "2026-11-01", dueDate: "2026-11-30", buyerName: "Bygg AB", buyerEmail: "f@bygg.example", totalOre: total, status: "sent", ocrReference: buildOcr(number) })
              .returning();
            const rows = await ctx.db
              .insert(invoiceLines)
              .values(lines.map((l, i) => ({ invoiceId: inv.id, position: i + 1, text: `Rad ${i + 1}`, amountOre: BigInt(l.amount), goalId: l.goal ? bySlug.get(l.goal)! : null })))
              .returning();
            const paidRule = await ruleInForce(ctx.db, bankDate(date));
            for (const line of rows) {
              expected.net.set(`line:${line.id}`, { amount: line.amountOre, net: line.amountOre });
              add(expectedShares(line.amountOre, 0n, line.goalId, paidRule, numbers));
            }
            paidLines.push({ ocr: inv.ocrReference!, amountOre: total, date });
          }
          const file = encodeBgMax(bgMaxFromPayments(bankgiro, paidLines));
          threads.push([
            async () => void (await importBgMaxFile(staff, { fileName: "property.txt", bytes: file })),
            async () => {
              await expect(importBgMaxFile(staff, { fileName: "property-again.txt", bytes: file })).rejects.toBeInstanceOf(Conflict);
              done.bgmaxTwice++;
            },
          ]);
        }

        // Interleave the threads (each keeps its own order), `batch` steps of different threads at once.
        const rand = prng(s.seed);
        const queues = threads.map((t) => [...t]);
        while (queues.some((q) => q.length)) {
          const ready = queues.filter((q) => q.length);
          const picked = new Set<Step[]>();
          while (picked.size < Math.min(s.batch, ready.length)) picked.add(ready[Math.floor(rand() * ready.length)]);
          await Promise.all([...picked].map((q) => q.shift()!()));
        }

        // 1. Every goal moved by exactly what the split rules give it: paid minus reversed.
        const after = await goalBalances(ctx.db);
        for (const g of goalRows) {
          expect([g.slug, (after.get(g.id) ?? 0n) - (before.get(g.id) ?? 0n)]).toEqual([g.slug, expected.byGoal.get(g.id) ?? 0n]);
        }
        // 2. Per payment: allocations sum to its amount, all its entries to the amount less reversals.
        const stripeRows = await ctx.db.select().from(payments).where(inArray(payments.checkoutSessionId, [...expected.net.keys()].filter((k) => k.startsWith("stripe:")).map((k) => k.slice(7)).concat("")));
        const bankRows = await ctx.db.select().from(payments).where(inArray(payments.reference, [...expected.net.keys()].filter((k) => k.startsWith("bank:"))));
        const lineIds = [...expected.net.keys()].filter((k) => k.startsWith("line:")).map((k) => Number(k.slice(5)));
        const lineRows = lineIds.length ? await ctx.db.select().from(payments).where(inArray(payments.companyInvoiceLineId, lineIds)) : [];
        const rows = [
          ...stripeRows.map((r) => ({ r, key: `stripe:${r.checkoutSessionId}` })),
          ...bankRows.map((r) => ({ r, key: r.reference! })),
          ...lineRows.map((r) => ({ r, key: `line:${r.companyInvoiceLineId}` })),
        ];
        expect(rows).toHaveLength(expected.net.size);
        const entries = await ctx.db.select().from(ledgerEntries).where(inArray(ledgerEntries.paymentId, rows.map(({ r }) => r.id)));
        for (const { r, key } of rows) {
          const mine = entries.filter((e) => e.paymentId === r.id);
          const exp = expected.net.get(key)!;
          expect([key, mine.filter((e) => e.kind === "allocation").reduce((a, e) => a + e.amountOre, 0n)]).toEqual([key, exp.amount]);
          expect([key, mine.reduce((a, e) => a + e.amountOre, 0n)]).toEqual([key, exp.net]);
          expect(mine.every((e) => (e.kind === "allocation" ? e.amountOre > 0n : e.amountOre < 0n))).toBe(true);
        }
        // 3. No entry ever changed or went away: every entry seen in earlier runs is still there, identical.
        const all = await ctx.db.select().from(ledgerEntries);
        const now = new Map(all.map((e) => [e.id.toString(), `${e.goalId}|${e.amountOre}|${e.kind}|${e.paymentId}|${e.entryKey}|${e.author}`]));
        for (const [id, value] of seen) expect(now.get(id)).toBe(value);
        for (const [id, value] of now) seen.set(id, value);
      }),
      { numRuns: 15, seed: 20261129, endOnFailure: true },
    );
    // Every kind of step happened in these runs.
    expect(done.corrections * done.moves * done.refused * done.bgmaxTwice).toBeGreaterThan(0);
    // The reporting read model (issue 14 item 6): what the triggers kept, step by step and concurrently,
    // equals a rebuild from the ledger and the payments.
    expect(await reportingDiscrepancies(ctx.db)).toEqual([]);
    const kept = [await ledgerTotals(ctx.db, { from: null, to: null, by: "day" }), await giftStats(ctx.db, { from: null, to: null, by: "day" })];
    expect(kept[0].length * kept[1].length).toBeGreaterThan(0);
    await rebuildReportingAggregates(ctx.db);
    expect([await ledgerTotals(ctx.db, { from: null, to: null, by: "day" }), await giftStats(ctx.db, { from: null, to: null, by: "day" })]).toEqual(kept);
    // And the database refuses to change or remove one.
    await expect(ctx.db.update(ledgerEntries).set({ amountOre: 1n })).rejects.toThrow();
    await expect(ctx.db.delete(ledgerEntries)).rejects.toThrow();
    await expect(ctx.db.execute(sql`truncate ${ledgerEntries}`)).rejects.toThrow();
  }, 300_000);
});
