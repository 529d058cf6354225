import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { collections, crmTasks, goals, ledgerEntries, monthlyGifts, partnerships, paymentAnomalies, paymentChannels, payments, type PaymentChannel } from "~db/schema";
import { localeCookie } from "~/i18n/locale.server";
import { loader as csvLoader } from "~/routes/admin.dashboard[.]csv";
import { loader } from "~/routes/admin._index";
import { dashboardCsv } from "~/services/dashboard/csv.server";
import { fundraiserDashboard, loadDashboard } from "~/services/dashboard/dashboard.server";
import { setEnvForTests } from "~/utils/env.server";
import { createOrganisation, createPaidGift, createPerson } from "../factories";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

/*
 * Issue 14 item 1, acceptance: the dashboard's figures for a seeded year equal sums computed directly
 * from the ledger here. A year of payments and ledger entries is written with their real dates
 * (entries at Stockholm midnight on both sides of the year, in summer and winter time, a refund, a
 * staff correction, an undesignated split), then every per goal / channel / month figure is compared
 * with SQL over ledger_entries. The parts that are not money (partnerships, renewals, failed
 * payments, anomalies, tasks, top lists, monthly donors) are checked against what was seeded.
 */

const YEAR = { from: "2025-01-01", to: "2025-12-31" };
const url = (path: string) => `http://127.0.0.1:3999${path}`;
type Failure = { init: { status: number }; data: { ok: false; message: string; fieldErrors: Record<string, string> } };

/** A paid payment as production writes it: inserted pending, then marked paid (the read model's triggers see both). */
async function paidPayment(db: Db, p: { goalId: number | null; channel: PaymentChannel; amountOre: bigint; paidAt: Date; set?: Partial<typeof payments.$inferInsert> }) {
  const [row] = await db
    .insert(payments)
    .values({ channel: p.channel, amountOre: p.amountOre, goalId: p.goalId, origin: "demo", donorName: "Testgivare", donorEmail: "givare@example.com", createdAt: p.paidAt, ...p.set })
    .returning();
  await db.update(payments).set({ status: "paid", paidAt: p.paidAt }).where(eq(payments.id, row.id));
  return row.id;
}

let entryKey = 0;
type Entry = { paymentId: bigint | null; goalId: number; channel: PaymentChannel; amountOre: bigint; at: Date; kind?: string };
/** Ledger entries in one statement (a payment's allocations must sum to its amount when the statement ends). */
async function entry(db: Db, ...list: Entry[]) {
  await db.insert(ledgerEntries).values(
    list.map((e) => ({
      paymentId: e.paymentId,
      goalId: e.goalId,
      channel: e.channel,
      amountOre: e.amountOre,
      kind: e.kind ?? (e.amountOre > 0n ? "allocation" : "reversal"),
      entryKey: `dashboard-test:${++entryKey}`,
      author: "test",
      createdAt: e.at,
    })),
  );
}

/** A designated gift with its one allocation entry at the same instant. */
async function gift(db: Db, goalId: number, channel: PaymentChannel, amountOre: bigint, at: Date, set?: Partial<typeof payments.$inferInsert>) {
  const id = await paidPayment(db, { goalId, channel, amountOre, paidAt: at, set });
  await entry(db, { paymentId: id, goalId, channel, amountOre, at });
  return id;
}

describe.each(dbTargets)("the fundraiser dashboard (%s)", (target) => {
  const ctx = useTestDatabase(target);
  let p: Personas;
  let goalIds: number[];
  let staff: ReturnType<typeof staffContext>;
  let partnerOrg: number;

  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(ctx.db, "-dash");
    staff = staffContext(ctx.db, p.ids.fundraiser, "fundraiser");
    goalIds = (await ctx.db.select({ id: goals.id }).from(goals).orderBy(asc(goals.number))).map((g) => g.id);
    await ctx.db.update(goals).set({ targetOre: 100_000_00n }).where(eq(goals.id, goalIds[0]));
    // A spread over the year: every goal, every channel, every month, at all hours (UTC).
    for (let i = 0; i < 60; i++) {
      const month = ((i * 7) % 12) + 1;
      const at = new Date(Date.UTC(2025, month - 1, ((i * 3) % 28) + 1, (i * 5) % 24, 10));
      await gift(ctx.db, goalIds[i % 5], paymentChannels[i % paymentChannels.length], BigInt(1_000 + i * 137), at);
    }
    // Stockholm midnight: 23:30 UTC on 31 December is already the new year in Västerås (winter, +1).
    await gift(ctx.db, goalIds[0], "one_off_gift", 10_000n, new Date("2024-12-31T23:30:00Z")); // 2025-01-01: in
    await gift(ctx.db, goalIds[0], "one_off_gift", 20_000n, new Date("2025-12-31T23:30:00Z")); // 2026-01-01: out
    // Summer time (+2): 22:30 UTC on 30 June is 1 July.
    await gift(ctx.db, goalIds[1], "monthly_gift", 5_000n, new Date("2025-06-30T22:30:00Z"));
    // A refund in March of a February gift, a staff correction without payment, an undesignated split.
    const refunded = await gift(ctx.db, goalIds[0], "one_off_gift", 9_000n, new Date("2025-02-10T12:00:00Z"));
    await entry(ctx.db, { paymentId: refunded, goalId: goalIds[0], channel: "one_off_gift", amountOre: -3_000n, at: new Date("2025-03-15T12:00:00Z") });
    await entry(ctx.db, { paymentId: null, goalId: goalIds[2], channel: "collection", amountOre: 777n, at: new Date("2025-05-05T08:00:00Z"), kind: "correction" });
    const split = await paidPayment(ctx.db, { goalId: null, channel: "one_off_gift", amountOre: 1_001n, paidAt: new Date("2025-08-08T08:00:00Z") });
    await entry(
      ctx.db,
      { paymentId: split, goalId: goalIds[3], channel: "one_off_gift", amountOre: 501n, at: new Date("2025-08-08T08:00:00Z") },
      { paymentId: split, goalId: goalIds[4], channel: "one_off_gift", amountOre: 500n, at: new Date("2025-08-08T08:00:00Z") },
    );
    partnerOrg = (await createOrganisation(ctx.db, { name: "Dashboardpartner AB" })).id;
  });
  afterAll(() => setEnvForTests(undefined));

  /** The ledger's own sums per goal × channel × Stockholm month in the period. */
  async function ledgerSums(period: { from: string; to: string }) {
    const day = sql`(${ledgerEntries.createdAt} at time zone 'Europe/Stockholm')::date`;
    return ctx.db
      .select({
        goalId: ledgerEntries.goalId,
        channel: ledgerEntries.channel,
        month: sql<string>`to_char(${day}, 'YYYY-MM')`,
        amountOre: sql<string>`sum(${ledgerEntries.amountOre})::text`,
      })
      .from(ledgerEntries)
      .where(sql`${day} between ${period.from}::date and ${period.to}::date`)
      .groupBy(ledgerEntries.goalId, ledgerEntries.channel, sql`3`);
  }

  function expectSameAsLedger(data: Awaited<ReturnType<typeof fundraiserDashboard>>, sums: Awaited<ReturnType<typeof ledgerSums>>) {
    const sum = (rows: typeof sums) => rows.reduce((a, r) => a + BigInt(r.amountOre), 0n).toString();
    expect(data.total.raisedOre).toBe(sum(sums));
    for (const g of data.goals) {
      const mine = sums.filter((s) => s.goalId === g.id);
      expect(g.raisedOre, `goal ${g.number}`).toBe(sum(mine));
      for (const channel of paymentChannels) {
        const expected = sum(mine.filter((s) => s.channel === channel));
        expect(g.byChannel.find((b) => b.channel === channel)?.amountOre ?? "0", `goal ${g.number} ${channel}`).toBe(expected);
        for (const month of data.period.months) {
          const cell = sum(mine.filter((s) => s.channel === channel && s.month === month));
          expect(g.byMonth[month]?.[channel] ?? "0", `goal ${g.number} ${channel} ${month}`).toBe(cell);
        }
      }
    }
  }

  it("shows for the seeded year exactly what the ledger sums to, per goal, channel and month", async () => {
    const data = await fundraiserDashboard(staff, YEAR);
    const sums = await ledgerSums(YEAR);
    expect(sums.length).toBeGreaterThan(30);
    expectSameAsLedger(data, sums);
    expect(data.period.months).toHaveLength(12);
    expect(data.period.calendarYear).toBe(true);
    // The boundary gifts: 1 January (Stockholm) counted in January, 31 Dec 23:30 UTC not at all, 30 June 22:30 UTC in July.
    expect(BigInt(data.goals[0].byMonth["2025-01"]?.one_off_gift ?? "0")).toBeGreaterThanOrEqual(10_000n);
    expect(data.goals[1].byMonth["2025-07"]?.monthly_gift).toBeDefined();
    // Goal 1 has a target; the others have none (null, not 0).
    expect(data.goals[0].targetOre).toBe("10000000");
    expect(data.goals.slice(1).map((g) => g.targetOre)).toEqual([null, null, null, null]);
  });

  it("counts the year's gifts, their average and the recurring share from the paid payments", async () => {
    const data = await fundraiserDashboard(staff, YEAR);
    const [row] = await ctx.db
      .select({
        n: sql<number>`count(*)::int`,
        sum: sql<string>`sum(${payments.amountOre})::text`,
        recurring: sql<string>`coalesce(sum(${payments.amountOre}) filter (where ${payments.channel} in ('monthly_gift', 'salary_giving')), 0)::text`,
      })
      .from(payments)
      .where(sql`${payments.status} = 'paid' and (${payments.paidAt} at time zone 'Europe/Stockholm')::date between '2025-01-01' and '2025-12-31'`);
    expect(data.gifts.count).toBe(row.n);
    expect(data.gifts.sumOre).toBe(row.sum);
    const n = BigInt(row.n);
    expect(data.gifts.averageOre).toBe(((2n * BigInt(row.sum) + n) / (2n * n)).toString());
    expect(data.gifts.recurringPercent).toBe(Number((BigInt(row.recurring) * 1000n) / BigInt(row.sum)) / 10);
  });

  it("defaults to this year and includes a gift paid now through the webhook path", async () => {
    await createPaidGift(ctx.db, { goal: "alla-ar-trygga", amountOre: 12_300n });
    const data = await loadDashboard(staff, {});
    const year = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric" }).format(new Date());
    expect(data.period).toMatchObject({ from: `${year}-01-01`, to: `${year}-12-31` });
    const sums = await ledgerSums(data.period);
    expect(sums.some((s) => s.amountOre === "12300")).toBe(true);
    expectSameAsLedger(data, sums);
  });

  it("lists partnerships, renewals, failed payments, anomalies, tasks, monthly donors and the top lists", async () => {
    const db = ctx.db;
    const now = new Date("2025-06-15T10:00:00Z");
    const [soon, later] = await db
      .insert(partnerships)
      .values([
        { organisationId: partnerOrg, goalId: goalIds[0], tier: "partner", status: "active", agreedYearlyOre: 50_000_00n, startsOn: "2024-07-10", endsOn: "2025-07-10" },
        { organisationId: partnerOrg, goalId: goalIds[1], tier: "partner", status: "active", agreedYearlyOre: 20_000_00n, startsOn: "2024-10-01", endsOn: "2025-09-30" },
        { organisationId: partnerOrg, goalId: goalIds[2], tier: "vanforetag", status: "prospect" },
      ])
      .returning();
    await gift(db, goalIds[0], "partner_fee", 50_000_00n, new Date("2025-03-01T09:00:00Z"), { partnershipId: soon.id, organisationId: partnerOrg });
    const owner = await createPerson(db);
    const [team] = await db.insert(collections).values({ slug: "dash-team", title: "Lagets insamling", goalId: goalIds[2], ownerPersonId: owner.id, kind: "team" }).returning();
    const [member] = await db.insert(collections).values({ slug: "dash-member", title: "Medlemssida", goalId: goalIds[2], ownerPersonId: owner.id, parentCollectionId: team.id }).returning();
    await gift(db, goalIds[2], "collection", 4_000n, new Date("2025-04-01T09:00:00Z"), { collectionId: member.id });
    await gift(db, goalIds[2], "collection", 2_500n, new Date("2025-04-02T09:00:00Z"), { collectionId: team.id });
    await db.insert(payments).values([
      { channel: "one_off_gift", amountOre: 5_000n, status: "failed", createdAt: new Date("2025-03-01T10:00:00Z") },
      { channel: "one_off_gift", amountOre: 5_000n, status: "failed", createdAt: new Date("2024-03-01T10:00:00Z") },
    ]);
    await db.insert(paymentAnomalies).values([
      { kind: "amount_mismatch", objectId: "dash-in", createdAt: new Date("2025-04-04T10:00:00Z") },
      { kind: "amount_mismatch", objectId: "dash-out", createdAt: new Date("2024-04-04T10:00:00Z") },
    ]);
    await db.insert(monthlyGifts).values([
      { status: "active", amountOre: 10_000n, donorName: "Ny", donorEmail: "ny@example.com", createdAt: new Date("2025-02-01T10:00:00Z") },
      { status: "canceled", amountOre: 10_000n, donorName: "Slutat", donorEmail: "slut@example.com", createdAt: new Date("2023-02-01T10:00:00Z"), canceledAt: new Date("2025-05-01T10:00:00Z") },
      { status: "past_due", amountOre: 15_000n, donorName: "Kort gick ut", donorEmail: "kort@example.com", createdAt: new Date("2023-02-01T10:00:00Z") },
      { status: "pending", amountOre: 10_000n, donorName: "Avbröt", donorEmail: "avbrot@example.com", createdAt: new Date("2025-02-01T10:00:00Z") },
    ]);
    await db.insert(crmTasks).values([
      { title: "Ring partnern", dueOn: "2025-06-01", assigneePersonId: p.ids.fundraiser },
      { title: "Skicka avtal", dueOn: "2025-07-01", assigneePersonId: p.ids.fundraiser },
      { title: "Klar sedan länge", dueOn: "2025-05-01", assigneePersonId: p.ids.fundraiser, doneAt: new Date("2025-05-02T10:00:00Z") },
    ]);

    const data = await fundraiserDashboard(staff, YEAR, { now });
    expect(data.renewals.map((r) => [r.id, r.endsOn, r.agreedOre])).toEqual([[soon.id, "2025-07-10", "5000000"]]);
    expect(later.endsOn).toBe("2025-09-30");
    const byStatus = Object.fromEntries(data.partnerships.map((s) => [s.status, [s.count, s.agreedOre]]));
    expect(byStatus.active).toEqual([2, "7000000"]);
    expect(byStatus.prospect).toEqual([1, "0"]);
    expect(data.failed.count).toBe(1);
    expect(data.anomalies).toMatchObject({ count: 1, rows: [{ kind: "amount_mismatch" }] });
    expect(data.pastDue).toMatchObject({ count: 1, rows: [{ donor: "Kort gick ut", amountOre: "15000" }] });
    expect(data.tasks.open).toBe(2);
    expect(data.tasks.overdue).toMatchObject({ count: 1, rows: [{ title: "Ring partnern", dueOn: "2025-06-01" }] });
    expect(data.gifts).toMatchObject({ newMonthlyDonors: 1, lapsedMonthlyDonors: 1, activeMonthlyDonors: 1 });
    expect(data.top.partners).toEqual([{ id: partnerOrg, name: "Dashboardpartner AB", href: `/admin/organisations/${partnerOrg}`, amountOre: "5000000" }]);
    // The member page's gift counts for its team: one row with both gifts.
    expect(data.top.collections).toEqual([{ id: team.id, name: "Lagets insamling", href: `/admin/collections/${team.id}`, amountOre: "6500" }]);
    expect(data.top.competitions).toEqual([]);
  });

  it("writes each table as a CSV file for Excel with the page's figures", async () => {
    const file = await dashboardCsv(staff, { table: "channels", ...YEAR });
    expect(file.filename).toBe("channels-2025-01-01-2025-12-31.csv");
    expect(file.body.startsWith("\ufeff")).toBe(true);
    const lines = file.body.slice(1).split("\r\n");
    expect(lines[0]).toBe("Mål;Engångsgåva;Månadsgåva;Partneravgift;Löneavdrag;Insamling;Tävling;Summa");
    const data = await fundraiserDashboard(staff, YEAR);
    const kronor = (ore: string) => `${BigInt(ore) / 100n},${(BigInt(ore) % 100n).toString().padStart(2, "0")}`;
    const g1 = data.goals[0];
    expect(lines[1].split(";")).toEqual([g1.title, ...paymentChannels.map((c) => kronor(g1.byChannel.find((b) => b.channel === c)?.amountOre ?? "0")), kronor(g1.raisedOre)]);
    const months = await dashboardCsv(staff, { table: "months", ...YEAR });
    // Header + 12 months for each of the 5 goals and the total, and the closing line end.
    expect(months.body.split("\r\n")).toHaveLength(1 + 12 * 6 + 1);
    await expect(dashboardCsv(staff, { table: "passwords", ...YEAR })).rejects.toMatchObject({ status: 400, fieldErrors: { table: "unknown_table" } });
  });

  it("refuses a period that is not a date, reversed or over 10 years, with the field's code", async () => {
    await expect(loadDashboard(staff, { from: "2025-13-01", to: "" })).rejects.toMatchObject({ status: 400, fieldErrors: { from: "period_not_a_date" } });
    await expect(loadDashboard(staff, { from: "igår" })).rejects.toMatchObject({ status: 400, fieldErrors: { from: "period_not_a_date" } });
    await expect(loadDashboard(staff, { from: "2025-06-01", to: "2025-05-31" })).rejects.toMatchObject({ status: 400, fieldErrors: { to: "period_reversed" } });
    await expect(loadDashboard(staff, { from: "2010-01-01", to: "2025-01-01" })).rejects.toMatchObject({ status: 400, fieldErrors: { to: "period_too_long" } });
    // A month is a period too: 2025-03 to 2025-04 is 1 March to 30 April.
    expect((await loadDashboard(staff, { from: "2025-03", to: "2025-04" })).period).toMatchObject({ from: "2025-03-01", to: "2025-04-30", months: ["2025-03", "2025-04"] });
  });

  it("is for staff only: anonymous visitors must sign in, other people are refused", async () => {
    const donor = personContext(ctx.db, { id: p.ids.donor });
    const contact = personContext(ctx.db, { id: p.ids.contactA, organisations: [{ organisationId: p.orgA, isAdmin: true }] });
    for (const who of [anonymousContext(ctx.db), donor, contact]) {
      const status = who.actor.kind === "anonymous" ? 401 : 403;
      await expect(fundraiserDashboard(who, YEAR)).rejects.toMatchObject({ status });
      await expect(loadDashboard(who, {})).rejects.toMatchObject({ status });
      await expect(dashboardCsv(who, { table: "goals" })).rejects.toMatchObject({ status });
    }
  });

  describe("the routes", () => {
    const get = (path: string, cookie: string) => new Request(url(path), { headers: { Cookie: cookie } });

    it("answers a bad period with 400 and the message next to the field, in the reader's language", async () => {
      const sv = (await loader({ request: get("/admin?from=2025-02-30&to=2025-03-01", p.cookie.fundraiser), params: {}, context: {} })) as unknown as Failure;
      expect(sv.init.status).toBe(400);
      expect(sv.data.fieldErrors).toEqual({ from: "Skriv ett datum som ÅÅÅÅ-MM-DD (eller en månad som ÅÅÅÅ-MM)." });
      const english = `${p.cookie.fundraiser}; ${await localeCookie.serialize("en")}`;
      const en = (await loader({ request: get("/admin?from=2025-06-01&to=2025-01-01", english), params: {}, context: {} })) as unknown as Failure;
      expect([en.init.status, en.data.fieldErrors]).toEqual([400, { to: "The end date is before the start date." }]);
      const ok = (await loader({ request: get("/admin?from=2025-01&to=2025-12", p.cookie.fundraiser), params: {}, context: {} })) as { ok: true; dashboard: { period: { from: string } } };
      expect(ok.ok && ok.dashboard.period.from).toBe("2025-01-01");
    });

    it("serves a table as a CSV download; an unknown table is a 400", async () => {
      const res = await csvLoader({ request: get("/admin/dashboard.csv?table=goals&from=2025-01-01&to=2025-12-31", p.cookie.admin), params: {}, context: {} });
      expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="goals-2025-01-01-2025-12-31.csv"');
      const bytes = Buffer.from(await res.arrayBuffer());
      // The byte order mark first (Response.text() would drop it), so Excel reads UTF-8.
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.subarray(3).toString("utf8").split("\r\n")[0]).toBe("Mål;Årsmål;Insamlat i perioden;%");
      const bad = await csvLoader({ request: get("/admin/dashboard.csv?table=nope", p.cookie.admin), params: {}, context: {} }).catch((r: Response) => r);
      expect(bad.status).toBe(400);
    });
  });
});
