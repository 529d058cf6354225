import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { bookkeepingAccounts, goals, ledgerEntries, payments, type NewLedgerEntry } from "~db/schema";
import { SignInRequired } from "~/services/context";
import { Forbidden, Invalid } from "~/services/errors";
import { getBookkeepingAccounts, saveBookkeepingAccounts } from "~/services/exports/accounts.server";
import { exportSie } from "~/services/exports/sie-export.server";
import { readAll } from "~/services/exports/stream.server";
import { updateCharityIdentity } from "~/services/settings/charity.server";
import { createPaidGift, createStaff, refundGift } from "../factories";
import { usePaymentEnv } from "../payments/helpers";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { readSie } from "./sie-reader";

/**
 * Issue 14 acceptance: the SIE file for a seeded month parses back, each voucher sums to zero, the
 * total per account (and per goal object) matches the ledger, and the file is CP437 with CRLF.
 *
 * March 2026 is seeded with rows shaped as production writes them (entry keys, kinds, channels),
 * with their times set: the ledger only takes inserts, so a past month cannot come from today's
 * webhooks. Around it: a gift at 00:30 Swedish time on 1 March (23:30 UTC the day before: inside),
 * one at 00:30 on 1 April (outside), one at 23:30 on 28 February (outside), and a demo gift (never money).
 * The last test goes through the real webhook path today.
 */

const accounts = {
  income_one_off_gift: ["3010", "Gåvor engångs"],
  income_monthly_gift: ["3011", "Gåvor månad"],
  income_collection: ["3012", "Gåvor insamlingar"],
  income_competition: ["3013", "Gåvor tävlingar"],
  income_salary_giving: ["3014", "Gåvor löneavdrag"],
  income_partner_fee: ["3020", "Partneravgifter"],
  stripe: ["1581", "Stripe-fordran"],
  bank: ["1930", "Företagskonto"],
  fees: ["6570", "Bankkostnader"],
  corrections: ["1931", "Rättelser"],
} as const;
const accountInput = Object.fromEntries(Object.entries(accounts).flatMap(([p, [a, n]]) => [[p, a], [`${p}_name`, n]]));
const accountOfChannel: Record<string, string> = {
  one_off_gift: "3010",
  monthly_gift: "3011",
  collection: "3012",
  competition: "3013",
  salary_giving: "3014",
  partner_fee: "3020",
};

interface Seeded {
  goalIds: number[];
  numberOf: Map<number, number>;
}

async function seedMarch(db: Db): Promise<Seeded> {
  const goalRows = await db.select({ id: goals.id, number: goals.number }).from(goals).orderBy(asc(goals.number));
  const [g1, g2, g3, g4, g5] = goalRows.map((g) => g.id);
  const pay = async (values: Partial<typeof payments.$inferInsert> & { at: string }) => {
    const { at, ...rest } = values;
    const [p] = await db
      .insert(payments)
      .values({ channel: "one_off_gift", status: "paid", method: "card", amountOre: 0n, donorName: "Åsa Öberg", donorEmail: "asa@example.com", createdAt: new Date(at), paidAt: new Date(at), ...rest })
      .returning();
    return p.id;
  };
  // A posting's entries in one statement, as production writes them (a trigger checks a payment's sums per statement).
  const entry = (...rows: (NewLedgerEntry & { at: string })[]) => db.insert(ledgerEntries).values(rows.map(({ at, ...rest }) => ({ ...rest, createdAt: new Date(at) })));
  // A 300 kr card gift to "where the need is greatest", split 150/150.
  const p1 = await pay({ amountOre: 30_000n, at: "2026-03-05T10:00:00Z" });
  await entry({ goalId: g1, amountOre: 15_000n, channel: "one_off_gift", kind: "allocation", paymentId: p1, entryKey: `alloc:${p1}:${g1}`, at: "2026-03-05T10:00:00Z" }, { goalId: g2, amountOre: 15_000n, channel: "one_off_gift", kind: "allocation", paymentId: p1, entryKey: `alloc:${p1}:${g2}`, at: "2026-03-05T10:00:00Z" });
  // Monthly gift by Swish at 00:30 Swedish time on 1 March.
  const p2 = await pay({ channel: "monthly_gift", method: "swish", amountOre: 10_000n, goalId: g3, at: "2026-02-28T23:30:00Z" });
  await entry({ goalId: g3, amountOre: 10_000n, channel: "monthly_gift", kind: "allocation", paymentId: p2, entryKey: `alloc:${p2}:${g3}`, at: "2026-02-28T23:30:00Z" });
  // A partner fee paid by bankgiro.
  const p3 = await pay({ channel: "partner_fee", method: "bankgiro", origin: "bank", amountOre: 500_000n, goalId: g1, at: "2026-03-10T09:00:00Z" });
  await entry({ goalId: g1, amountOre: 500_000n, channel: "partner_fee", kind: "allocation", paymentId: p3, entryKey: `alloc:${p3}:${g1}`, at: "2026-03-10T09:00:00Z" });
  // Salary giving by bank transfer (the voucher text has an ö).
  const p7 = await pay({ channel: "salary_giving", method: "bank_transfer", origin: "bank", amountOre: 12_345n, goalId: g4, at: "2026-03-12T09:00:00Z" });
  await entry({ goalId: g4, amountOre: 12_345n, channel: "salary_giving", kind: "allocation", paymentId: p7, entryKey: `alloc:${p7}:${g4}`, at: "2026-03-12T09:00:00Z" });
  // 100 kr of the first gift refunded.
  await entry({ goalId: g1, amountOre: -5_000n, channel: "one_off_gift", kind: "reversal", paymentId: p1, entryKey: `rev:${p1}:10000:${g1}`, at: "2026-03-20T12:00:00Z" }, { goalId: g2, amountOre: -5_000n, channel: "one_off_gift", kind: "reversal", paymentId: p1, entryKey: `rev:${p1}:10000:${g2}`, at: "2026-03-20T12:00:00Z" });
  // A staff correction (no payment) and a move between goals (two entries summing to zero).
  await entry({ goalId: g4, amountOre: 2_500n, channel: "one_off_gift", kind: "correction", reason: "Misslyckad återbetalning, \"åter\"", author: "staff:a@example.com", entryKey: `corr:${randomUUID()}:${g4}`, at: "2026-03-21T12:00:00Z" });
  const move = randomUUID();
  await entry({ goalId: g1, amountOre: -3_000n, channel: "one_off_gift", kind: "reallocation", reason: "Omfördelning till mål 2", entryKey: `realloc:${move}:${g1}`, at: "2026-03-22T12:00:00Z" }, { goalId: g2, amountOre: 3_000n, channel: "one_off_gift", kind: "reallocation", reason: "Omfördelning till mål 2", entryKey: `realloc:${move}:${g2}`, at: "2026-03-22T12:00:00Z" });
  // Demo money, and gifts just outside the month in Swedish time.
  const p4 = await pay({ origin: "demo", amountOre: 20_000n, goalId: g5, at: "2026-03-15T10:00:00Z" });
  await entry({ goalId: g5, amountOre: 20_000n, channel: "one_off_gift", kind: "allocation", paymentId: p4, entryKey: `alloc:${p4}:${g5}`, at: "2026-03-15T10:00:00Z" });
  const p5 = await pay({ channel: "collection", amountOre: 7_000n, goalId: g2, at: "2026-03-31T22:30:00Z" });
  await entry({ goalId: g2, amountOre: 7_000n, channel: "collection", kind: "allocation", paymentId: p5, entryKey: `alloc:${p5}:${g2}`, at: "2026-03-31T22:30:00Z" });
  const p6 = await pay({ channel: "collection", amountOre: 6_000n, goalId: g2, at: "2026-02-28T22:30:00Z" });
  await entry({ goalId: g2, amountOre: 6_000n, channel: "collection", kind: "allocation", paymentId: p6, entryKey: `alloc:${p6}:${g2}`, at: "2026-02-28T22:30:00Z" });
  return { goalIds: [g1, g2, g3, g4, g5], numberOf: new Map(goalRows.map((g) => [g.id, g.number])) };
}

/** What the ledger says, computed here without SQL dates: per (account, goal number) and per counter account. */
async function ledgerTotals(db: Db, seeded: Seeded, from: string, to: string) {
  const rows = await db
    .select({ e: ledgerEntries, method: payments.method, origin: payments.origin })
    .from(ledgerEntries)
    .leftJoin(payments, eq(payments.id, ledgerEntries.paymentId));
  const day = (d: Date) => new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(d);
  const income = new Map<string, bigint>();
  const counter = new Map<string, bigint>();
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  for (const { e, method, origin } of rows) {
    const d = day(e.createdAt);
    if (d < from || d > to || origin === "demo") continue;
    add(income, `${accountOfChannel[e.channel]} ${seeded.numberOf.get(e.goalId)}`, -e.amountOre);
    const account = e.paymentId === null ? "1931" : method === "bankgiro" || method === "bank_transfer" ? "1930" : "1581";
    add(counter, account, e.amountOre);
  }
  for (const [k, v] of counter) if (v === 0n) counter.delete(k);
  return { income, counter };
}

function totalsOf(file: ReturnType<typeof readSie>) {
  const income = new Map<string, bigint>();
  const counter = new Map<string, bigint>();
  for (const v of file.vouchers) {
    for (const t of v.trans) {
      if (t.objects.length > 0) {
        expect(t.objects[0][0]).toBe(6);
        income.set(`${t.account} ${t.objects[0][1]}`, (income.get(`${t.account} ${t.objects[0][1]}`) ?? 0n) + t.amountOre);
      } else counter.set(t.account, (counter.get(t.account) ?? 0n) + t.amountOre);
    }
  }
  return { income, counter };
}

describe.each(dbTargets)("SIE 4I export (%s)", (target) => {
  usePaymentEnv();
  const ctx = useTestDatabase(target);
  let staff: ReturnType<typeof staffContext>;
  let seeded: Seeded;

  it("a seeded month parses back: balanced vouchers, per-account totals equal to the ledger, CP437 with CRLF", async () => {
    const person = await createStaff(ctx.db, "fundraiser");
    staff = staffContext(ctx.db, person.id, "fundraiser");
    seeded = await seedMarch(ctx.db);
    await saveBookkeepingAccounts(staff, accountInput);
    const file = await exportSie(staff, { from: "2026-03-01", to: "2026-03-31" }, { now: new Date("2026-04-02T08:00:00Z") });
    expect(file.filename).toBe("lokala-mal-2026-03-01-2026-03-31.si");
    const bytes = await readAll(file.stream);

    // Bytes: CP437 and CRLF. "Västerås" is V 0x84 s t e r 0x86 s; no UTF-8 (0xC3 …) and no LF without CR.
    expect(bytes.includes(Buffer.from([0x56, 0x84, 0x73, 0x74, 0x65, 0x72, 0x86, 0x73]))).toBe(true);
    expect(bytes.includes(0xc3)).toBe(false);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) expect(bytes[i - 1]).toBe(0x0d);
    expect(bytes.subarray(0, 11).toString("latin1")).toBe("#FLAGGA 0\r\n");

    const sie = readSie(bytes);
    expect(sie.first("#FORMAT")).toEqual(["PC8"]);
    expect(sie.first("#SIETYP")).toEqual(["4"]);
    expect(sie.first("#PROGRAM")?.[0]).toBe("Lokala mål");
    expect(sie.first("#GEN")).toEqual(["20260402"]);
    expect(sie.first("#FNAMN")).toEqual(["Västerås stadsmission"]);
    // No organisationsnummer in the settings: no #ORGNR line rather than a made-up one.
    expect(sie.first("#ORGNR")).toBeUndefined();
    expect(sie.all("#RAR")).toEqual([["0", "20260101", "20261231"]]);
    expect(sie.first("#KPTYP")).toEqual(["EUBAS97"]);
    expect(sie.first("#DIM")).toEqual(["6", "Projekt"]);
    expect(sie.all("#OBJEKT").map((f) => f[1])).toEqual([...seeded.numberOf.values()].map(String));
    expect(sie.all("#KONTO")).toEqual(
      [...new Map(Object.values(accounts).map(([a, n]) => [a, n]))].sort(([a], [b]) => a.localeCompare(b)).map(([a, n]) => [a, n]),
    );

    // Six postings: two gifts' allocations and the partner fee and salary gift, the refund, the correction, the move.
    expect(sie.vouchers).toHaveLength(7);
    for (const v of sie.vouchers) {
      expect(v.series).toBe("");
      expect(v.number).toBe("");
      expect(v.date >= "20260301" && v.date <= "20260331").toBe(true);
      expect(v.trans.reduce((s, t) => s + t.amountOre, 0n)).toBe(0n);
    }
    expect(sie.vouchers[0].date).toBe("20260301");
    expect(sie.vouchers.map((v) => v.text)).toContain("Löneavdrag, betalning " + String((await ctx.db.select({ id: payments.id }).from(payments).where(eq(payments.channel, "salary_giving")))[0].id));
    expect(sie.vouchers.some((v) => v.text === 'Rättelse: Misslyckad återbetalning, "åter"')).toBe(true);

    const expected = await ledgerTotals(ctx.db, seeded, "2026-03-01", "2026-03-31");
    const actual = totalsOf(sie);
    expect(actual.income).toEqual(expected.income);
    expect(actual.counter).toEqual(expected.counter);
    // The figures themselves, so the test cannot agree with a wrong export by sharing its mistake.
    expect(actual.counter).toEqual(new Map([["1581", 30_000n - 10_000n + 10_000n], ["1930", 512_345n], ["1931", 2_500n]]));
  });

  it("gives the same bytes when every row is fetched on its own (postings across batch boundaries)", async () => {
    const period = { from: "2026-03-01", to: "2026-03-31" };
    const now = new Date("2026-04-02T08:00:00Z");
    const whole = await readAll((await exportSie(staff, period, { now })).stream);
    const oneByOne = await readAll((await exportSie(staff, period, { now, batchSize: 1 })).stream);
    expect(oneByOne.equals(whole)).toBe(true);
  });

  it("writes #ORGNR with a hyphen once staff have saved the number, and the years of a period over New Year", async () => {
    const person = await createStaff(ctx.db, "admin");
    await updateCharityIdentity(staffContext(ctx.db, person.id), { name: "Västerås stadsmission", organisationNumber: "8020051952", address: "", email: "", phone: "", website: "" });
    const sie = readSie(await readAll((await exportSie(staff, { from: "2025-12-01", to: "2026-03-31" })).stream));
    expect(sie.first("#ORGNR")).toEqual(["802005-1952"]);
    expect(sie.all("#RAR")).toEqual([
      ["0", "20260101", "20261231"],
      ["-1", "20250101", "20251231"],
    ]);
  });

  it("refuses a reversed period, one over 10 years and a date that is not one, next to the field", async () => {
    const refusal = (input: unknown) => exportSie(staff, input).then(() => null, (e: unknown) => e);
    const cases: [unknown, Record<string, string>][] = [
      [{ from: "2026-03-31", to: "2026-03-01" }, { to: "period_reversed" }],
      [{ from: "2016-03-01", to: "2026-03-01" }, { to: "period_too_long" }],
      [{ from: "2026-02-30", to: "2026-03-01" }, { from: "date" }],
      [{ from: "1 mars", to: "2026-03-01" }, { from: "date" }],
      [{}, { from: "date", to: "date" }],
    ];
    for (const [input, fieldErrors] of cases) {
      const error = await refusal(input);
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).status).toBe(400);
      expect((error as Invalid).fieldErrors).toEqual(fieldErrors);
    }
    // Ten years to the day before is still a period.
    await expect(exportSie(staff, { from: "2016-03-02", to: "2026-03-01" })).resolves.toBeTruthy();
  });

  it("refuses an account that is not four digits and writes nothing", async () => {
    const before = await ctx.db.select().from(bookkeepingAccounts).orderBy(asc(bookkeepingAccounts.purpose));
    for (const bad of ["193", "19300", "19a0", ""]) {
      const error = await saveBookkeepingAccounts(staff, { ...accountInput, bank: bad }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(Invalid);
      expect((error as Invalid).fieldErrors).toEqual({ bank: "account_digits" });
    }
    expect(await ctx.db.select().from(bookkeepingAccounts).orderBy(asc(bookkeepingAccounts.purpose))).toEqual(before);
  });

  it("is staff only: anonymous must sign in, a donor or partner contact is refused", async () => {
    const outsider = personContext(ctx.db, { id: 999_999, roles: [], organisations: [{ organisationId: 1, isAdmin: true }] });
    const period = { from: "2026-03-01", to: "2026-03-31" };
    const calls = [
      (c: typeof outsider) => exportSie(c, period),
      (c: typeof outsider) => getBookkeepingAccounts(c),
      (c: typeof outsider) => saveBookkeepingAccounts(c, accountInput),
    ];
    for (const call of calls) {
      await expect(call(anonymousContext(ctx.db))).rejects.toBeInstanceOf(SignInRequired);
      await expect(call(outsider)).rejects.toBeInstanceOf(Forbidden);
    }
  });

  it("books today's gift and refund as the webhooks record them", async () => {
    const { payment } = await createPaidGift(ctx.db, { amountOre: 40_000n, goal: null, method: "card" });
    await refundGift(ctx.db, payment, 10_000n);
    const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(new Date());
    // A day either side: the test must not fail when it runs across midnight.
    const shift = (d: string, days: number) => new Date(Date.parse(`${d}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const sie = readSie(await readAll((await exportSie(staff, { from: shift(today, -1), to: shift(today, 1) })).stream));
    const mine = sie.vouchers.filter((v) => v.text.endsWith(`betalning ${payment.id}`));
    expect(mine.map((v) => v.text)).toEqual([`Engångsgåva, betalning ${payment.id}`, `Återföring engångsgåva, betalning ${payment.id}`]);
    expect(mine[0].trans.at(-1)).toEqual({ account: "1581", objects: [], amountOre: 40_000n });
    expect(mine[1].trans.at(-1)).toEqual({ account: "1581", objects: [], amountOre: -10_000n });
    for (const v of mine) expect(v.trans.reduce((s, t) => s + t.amountOre, 0n)).toBe(0n);
  });
});
