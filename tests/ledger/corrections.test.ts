import { asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { auditLog, goals, ledgerEntries, paymentAnomalies, paymentAnomalyResolutions } from "~db/schema";
import { anonymousActor, SignInRequired, systemContext, type Actor, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden, Invalid } from "~/services/errors";
import { correctionsOverview, goalLedgerCsv, goalLedgerPage } from "~/services/ledger/corrections-read.server";
import { moveUndesignated, postCorrection, resolveRefundFailed, undesignatedByGoal } from "~/services/ledger/corrections.server";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";
import { createPerson, createStaff } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";

const personActor = (p: { id: number; email: string }, roles: ("admin" | "fundraiser")[]): Actor => ({
  kind: "person",
  personId: p.id,
  email: p.email,
  name: null,
  roles,
  organisations: [],
});

/** Everything a refusal must leave untouched. */
async function writes(db: Db) {
  const [row] = await db
    .select({
      entries: sql<number>`(select count(*)::int from ${ledgerEntries})`,
      audit: sql<number>`(select count(*)::int from ${auditLog})`,
      resolutions: sql<number>`(select count(*)::int from ${paymentAnomalyResolutions})`,
    })
    .from(sql`(select 1) as one`);
  return row;
}

async function balance(db: Db, goalId: number): Promise<bigint> {
  const [row] = await db.select({ t: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` }).from(ledgerEntries).where(eq(ledgerEntries.goalId, goalId));
  return BigInt(row.t);
}

async function expectRefused(db: Db, work: () => Promise<unknown>, type: new (...args: never[]) => Error, fields?: Record<string, string>) {
  const before = await writes(db);
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  if (fields) expect((error as Invalid).fieldErrors).toEqual(fields);
  expect(await writes(db)).toEqual(before);
}

describe.each(dbTargets)("staff corrections and re-allocation on %s", (target) => {
  const ctx = useTestDatabase(target);
  let staff: ServiceContext;
  let staffEmail: string;
  let staffId: number;
  let a: number;
  let b: number;
  let c: number;

  const pay = async (opts: { amountOre: bigint; goalId: number | null; channel: "one_off_gift" | "collection" }) =>
    ctx.db.transaction(async (tx) => {
      const p = await recordPayment(tx, { channel: opts.channel, amountOre: opts.amountOre, goalId: opts.goalId, origin: "bank", method: "bank_transfer" });
      return markPaymentPaid(tx, p, { paidAt: new Date(), author: "test" });
    });

  beforeAll(async () => {
    const person = await createStaff(ctx.db, "fundraiser");
    staffEmail = person.email;
    staffId = person.id;
    staff = { db: ctx.db, actor: personActor(person, ["fundraiser"]), locale: "sv" };
    const list = await ctx.db.select({ id: goals.id }).from(goals).orderBy(asc(goals.number));
    [a, b, c] = list.map((g) => g.id);
    // Goal a: 1 000 kr given to it (designated, one-off). Undesignated: 100 kr per goal of the
    // collection, split equally (no allocation rule saved).
    await pay({ amountOre: 100_000n, goalId: a, channel: "one_off_gift" });
    await pay({ amountOre: 10_000n * BigInt(list.length), goalId: null, channel: "collection" });
  });

  it("refuses the wrong actor at the service, before reading or writing anything", async () => {
    const donor = await createPerson(ctx.db);
    const actors: [ServiceContext, new (...args: never[]) => Error][] = [
      [{ db: ctx.db, actor: anonymousActor, locale: "sv" }, SignInRequired],
      [{ db: ctx.db, actor: personActor(donor, []), locale: "sv" }, Forbidden],
      [systemContext(ctx.db, "job:test"), SignInRequired],
    ];
    for (const [who, error] of actors) {
      await expectRefused(ctx.db, () => postCorrection(who, { goalId: a, direction: "add", amount: "10", channel: "one_off_gift", reason: "test" }), error);
      await expectRefused(ctx.db, () => moveUndesignated(who, { fromGoalId: a, toGoalId: b, amount: "1", channel: "collection", reason: "test" }), error);
      await expectRefused(ctx.db, () => resolveRefundFailed(who, { anomalyId: 1, note: "test" }), error);
      await expect(correctionsOverview(who)).rejects.toBeInstanceOf(error);
      await expect(goalLedgerPage(who, { slug: "alla-ar-trygga" })).rejects.toBeInstanceOf(error);
      await expect(goalLedgerCsv(who, { slug: "alla-ar-trygga" })).rejects.toBeInstanceOf(error);
    }
  });

  it("posts a correction with reason and author, and audits it", async () => {
    const before = await balance(ctx.db, b);
    const { group, amountOre } = await postCorrection(staff, { goalId: String(b), direction: "add", amount: "150,50", channel: "one_off_gift", reason: "Återbetalning misslyckades" });
    expect(amountOre).toBe(15_050n);
    expect(await balance(ctx.db, b)).toBe(before + 15_050n);
    const [entry] = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.entryKey, `${group}:${b}`));
    expect(entry).toMatchObject({ goalId: b, amountOre: 15_050n, kind: "correction", channel: "one_off_gift", reason: "Återbetalning misslyckades", author: `staff:${staffEmail}`, paymentId: null });
    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "ledger_correction"));
    expect(audit.at(-1)).toMatchObject({ actorPersonId: staffId, details: { group, goalId: b, amountOre: "15050", channel: "one_off_gift", reason: "Återbetalning misslyckades" } });
    // Taking money off works down to zero, not past it.
    await postCorrection(staff, { goalId: b, direction: "remove", amount: "50,50", channel: "one_off_gift", reason: "Delvis fel" });
    expect(await balance(ctx.db, b)).toBe(before + 10_000n);
  });

  it("refuses a correction that would make the goal's balance negative, writing nothing", async () => {
    const now = await balance(ctx.db, c);
    const kronor = `${(now + 1n) / 100n},${String((now + 1n) % 100n).padStart(2, "0")}`;
    await expectRefused(ctx.db, () => postCorrection(staff, { goalId: c, direction: "remove", amount: kronor, channel: "collection", reason: "För mycket" }), Invalid, { amount: "balance_negative" });
    expect(await balance(ctx.db, c)).toBe(now);
  });

  it("moves undesignated money as a pair of entries that sum to zero", async () => {
    const undesignatedBefore = await undesignatedByGoal(ctx.db, [a, c]);
    const [ba, bc] = [await balance(ctx.db, a), await balance(ctx.db, c)];
    const { group } = await moveUndesignated(staff, { fromGoalId: a, toGoalId: c, amount: "40", channel: "collection", reason: "Behovet är störst hos c" });
    const pair = await ctx.db.select().from(ledgerEntries).where(sql`${ledgerEntries.entryKey} like ${`${group}:%`}`);
    expect(pair.map((e) => [e.goalId, e.amountOre, e.kind, e.channel, e.author]).sort((x, y) => Number(x[1]) - Number(y[1]))).toEqual([
      [a, -4_000n, "reallocation", "collection", `staff:${staffEmail}`],
      [c, 4_000n, "reallocation", "collection", `staff:${staffEmail}`],
    ]);
    expect(pair.reduce((s, e) => s + e.amountOre, 0n)).toBe(0n);
    expect([await balance(ctx.db, a), await balance(ctx.db, c)]).toEqual([ba - 4_000n, bc + 4_000n]);
    const after = await undesignatedByGoal(ctx.db, [a, c]);
    expect(after.get(a)!.get("collection")).toBe(undesignatedBefore.get(a)!.get("collection")! - 4_000n);
    expect(after.get(c)!.get("collection")).toBe(undesignatedBefore.get(c)!.get("collection")! + 4_000n);
    expect((await ctx.db.select().from(auditLog).where(eq(auditLog.action, "ledger_reallocation"))).at(-1)?.details).toMatchObject({ group, fromGoalId: a, toGoalId: c, amountOre: "4000" });
  });

  it("never moves designated money: only what undesignated gifts brought the goal in that channel", async () => {
    // Goal a holds 1 000 kr given to it and 60 kr of undesignated collection money (100 − 40 moved).
    expect((await undesignatedByGoal(ctx.db, [a])).get(a)!.get("one_off_gift")).toBeUndefined();
    await expectRefused(ctx.db, () => moveUndesignated(staff, { fromGoalId: a, toGoalId: b, amount: "1", channel: "one_off_gift", reason: "Flytta gåva" }), Invalid, { amount: "designated_money" });
    await expectRefused(ctx.db, () => moveUndesignated(staff, { fromGoalId: a, toGoalId: b, amount: "60,01", channel: "collection", reason: "För mycket" }), Invalid, { amount: "designated_money" });
    await moveUndesignated(staff, { fromGoalId: a, toGoalId: b, amount: "60", channel: "collection", reason: "Resten" });
    expect((await undesignatedByGoal(ctx.db, [a])).get(a)!.get("collection")).toBe(0n);
  });

  it("refuses a move that would make the source goal's balance negative, even with undesignated money on it", async () => {
    // Goal c: 100 + 40 kr undesignated; a correction takes its balance down to 10 kr.
    const now = await balance(ctx.db, c);
    const down = now - 1_000n;
    await postCorrection(staff, { goalId: c, direction: "remove", amount: `${down / 100n},${String(down % 100n).padStart(2, "0")}`, channel: "collection", reason: "Felbokat" });
    expect(await balance(ctx.db, c)).toBe(1_000n);
    await expectRefused(ctx.db, () => moveUndesignated(staff, { fromGoalId: c, toGoalId: b, amount: "11", channel: "collection", reason: "Flytta" }), Invalid, { amount: "balance_negative" });
    await moveUndesignated(staff, { fromGoalId: c, toGoalId: b, amount: "10", channel: "collection", reason: "Flytta" });
    expect(await balance(ctx.db, c)).toBe(0n);
  });

  it("answers bad input with a code per field and writes nothing", async () => {
    await expectRefused(ctx.db, () => postCorrection(staff, { goalId: "", direction: "sideways", amount: "tio", channel: "lottery", reason: " " }), Invalid, {
      goalId: "goal_required",
      direction: "direction_invalid",
      amount: "amount_invalid",
      channel: "channel_invalid",
      reason: "reason_required",
    });
    await expectRefused(ctx.db, () => postCorrection(staff, { goalId: a, direction: "add", amount: "0", channel: "collection", reason: "x".repeat(501) }), Invalid, {
      amount: "amount_invalid",
      reason: "reason_long",
    });
    await expectRefused(ctx.db, () => postCorrection(staff, { goalId: 999_999, direction: "add", amount: "1", channel: "collection", reason: "Okänt mål" }), Invalid, { goalId: "goal_unknown" });
    await expectRefused(ctx.db, () => moveUndesignated(staff, { fromGoalId: a, toGoalId: a, amount: "1", channel: "collection", reason: "Samma" }), Invalid, { toGoalId: "same_goal" });
    await expectRefused(ctx.db, () => moveUndesignated(staff, {}), Invalid, {
      fromGoalId: "from_required",
      toGoalId: "to_required",
      amount: "amount_invalid",
      channel: "channel_invalid",
      reason: "reason_required",
    });
  });

  it("resolves a failed refund with a note, once; a correction can settle it in the same transaction", async () => {
    const [plain, settled, other] = await ctx.db
      .insert(paymentAnomalies)
      .values([
        { kind: "refund_failed", objectId: `re_${target}_1`, details: {} },
        { kind: "refund_failed", objectId: `re_${target}_2`, details: {} },
        { kind: "amount_mismatch", objectId: `pi_${target}_3`, details: {} },
      ])
      .returning();
    await resolveRefundFailed(staff, { anomalyId: String(plain.id), note: "Pengarna kom tillbaka, redan rättat" });
    await expectRefused(ctx.db, () => resolveRefundFailed(staff, { anomalyId: String(plain.id), note: "Igen" }), Conflict);
    await expectRefused(ctx.db, () => resolveRefundFailed(staff, { anomalyId: String(other.id), note: "Fel sort" }), Invalid, { anomalyId: "anomaly_not_refund_failed" });
    await expectRefused(ctx.db, () => resolveRefundFailed(staff, { anomalyId: "", note: "" }), Invalid, { anomalyId: "anomaly_required", note: "reason_required" });
    // A correction naming an already resolved anomaly is refused whole: no entry either.
    await expectRefused(ctx.db, () => postCorrection(staff, { goalId: b, direction: "add", amount: "5", channel: "one_off_gift", reason: "Igen", anomalyId: String(plain.id) }), Conflict);
    const { group } = await postCorrection(staff, { goalId: b, direction: "add", amount: "5", channel: "one_off_gift", reason: "Återbetalningen misslyckades", anomalyId: String(settled.id) });
    const resolutions = await ctx.db.select().from(paymentAnomalyResolutions).where(inArray(paymentAnomalyResolutions.anomalyId, [plain.id, settled.id])).orderBy(paymentAnomalyResolutions.id);
    expect(resolutions.map((r) => [r.note, r.author, r.personId, r.correctionGroup])).toEqual([
      ["Pengarna kom tillbaka, redan rättat", `staff:${staffEmail}`, staffId, null],
      ["Återbetalningen misslyckades", `staff:${staffEmail}`, staffId, group],
    ]);
    const overview = await correctionsOverview(staff);
    const shown = overview.refundsFailed.filter((r) => [plain.id, settled.id].map(String).includes(r.id));
    expect(shown.every((r) => r.resolved?.by === `staff:${staffEmail}`)).toBe(true);
    expect(overview.recent[0]).toMatchObject({ kind: "correction", amountOre: "500", reason: "Återbetalningen misslyckades" });
  });

  it("lists a goal's ledger with source, channel, reason and author, page by page, and as CSV", async () => {
    const [goal] = await ctx.db.select().from(goals).where(eq(goals.id, b));
    // 60 more entries, so the history has two pages.
    await ctx.db.insert(ledgerEntries).values(
      Array.from({ length: 60 }, (_, i) => ({ goalId: b, amountOre: 100n, channel: "collection", kind: "correction", entryKey: `corr:bulk-${target}-${i}:${b}`, reason: `bulk ${i}`, author: "staff:bulk@example.org" })),
    );
    const first = await goalLedgerPage(staff, { slug: goal.slug, page: "1" });
    const second = await goalLedgerPage(staff, { slug: goal.slug, page: "2" });
    expect(first.pages).toBe(2);
    expect(first.entries).toHaveLength(50);
    expect(first.count).toBe(first.entries.length + second.entries.length);
    expect(first.entries[0]).toMatchObject({ kind: "correction", reason: "bulk 59", author: "staff:bulk@example.org", source: { type: "correction", group: `corr:bulk-${target}-59` } });
    const payment = second.entries.find((e) => e.source.type === "payment")!;
    expect(payment).toMatchObject({ kind: "allocation", channel: "collection", source: { origin: "bank", method: "bank_transfer", designated: false } });
    expect(second.entries.some((e) => e.kind === "reallocation" && e.author === `staff:${staffEmail}`)).toBe(true);
    expect(BigInt(first.balanceOre)).toBe(await balance(ctx.db, b));
    // A page past the end shows the last one; a nonsense page the first.
    expect((await goalLedgerPage(staff, { slug: goal.slug, page: "99" })).page).toBe(2);
    expect((await goalLedgerPage(staff, { slug: goal.slug, page: "x" })).page).toBe(1);

    const { csv, filename } = await goalLedgerCsv(staff, { slug: goal.slug });
    expect(filename).toBe(`ledger-${goal.slug}.csv`);
    const lines = csv.replace(/^\ufeff/, "").trim().split("\n");
    expect(lines[0]).toBe("post,datum,typ,kanal,belopp_kr,källa,betalning,öronmärkt,orsak,av");
    expect(lines).toHaveLength(first.count + 1);
    expect(lines.at(-1)).toMatch(/,correction,collection,1\.00,corr:bulk-\w+-59,,,bulk 59,staff:bulk@example\.org$/);
    expect(lines.some((l) => l.includes(",reallocation,collection,60.00,realloc:"))).toBe(true);
  });
});
