import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthlyGifts, payments } from "~db/schema";
import { seedDemoData } from "~db/seed";
import { loader as apiGoalsLoader } from "~/routes/api.goals";
import { loader as apiLoader } from "~/routes/api.transparency";
import { loader as insynLoader } from "~/routes/insyn";
import { loader as redirectLoader } from "~/routes/transparency";
import { saveAllocationRule } from "~/services/ledger/allocation.server";
import { moveUndesignated, postCorrection } from "~/services/ledger/corrections.server";
import type { TransparencyJson, TransparencyPage } from "~/services/reporting/transparency.server";
import { setEnvForTests } from "~/utils/env.server";
import { createPaidGift, createStaff, goalId } from "../factories";
import { usePaymentEnv } from "../payments/helpers";
import { staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

const base = "http://127.0.0.1:3999";
const get = async (loader: typeof apiLoader, path: string) => (await loader({ request: new Request(`${base}${path}`), params: {}, context: {} })) as Response;

/** Issue 14 item 2: /insyn and GET /api/transparency. */
describe.each(dbTargets)("public transparency (%s)", (target) => {
  const t = useTestDatabase(target);
  beforeAll(async () => {
    usePaymentEnv();
    await seedDemoData(t.db);
    // One more donor, with a greeting, to an undesignated gift (split over the goals).
    await createPaidGift(t.db, { amountOre: 77_700n, goal: null, payment: { donorName: "Greta Hemlig", donorEmail: "greta.hemlig@example.com", greeting: "Hälsningar från Greta" } });
    const staff = await createStaff(t.db, "fundraiser", { email: "kassor.anna@example.org", name: "Anna Kassör" });
    const ctx = staffContext(t.db, staff.id, "fundraiser");
    const ids = await Promise.all(["ingen-hemloshet", "alla-ar-trygga", "ingen-ensamhet", "ingen-psykisk-ohalsa", "alla-kan-arbeta"].map((s) => goalId(t.db, s)));
    await saveAllocationRule(ctx, { shares: Object.fromEntries(ids.map((id, i) => [String(id), i === 0 ? "40" : "15"])), note: "Vintern kräver mer till hemlösheten" });
    await postCorrection(ctx, { goalId: String(ids[1]), direction: "add", amount: "123,45", channel: "partner_fee", reason: "Bankavgift som dragits två gånger" });
    await moveUndesignated(ctx, { fromGoalId: String(ids[0]), toGoalId: String(ids[2]), amount: "10", channel: "one_off_gift", reason: "Flytt efter styrelsebeslut" });
  });
  afterAll(() => setEnvForTests(undefined));

  it("answers DESIGN.md's shape: months oldest first, per channel, adding up to each goal's balance, the same as /api/goals", async () => {
    const res = await get(apiLoader, "/api/transparency");
    expect(res.status).toBe(200);
    const body = (await res.json()) as TransparencyJson;
    expect(body.currency).toBe("sek");
    const raised = (await (await get(apiGoalsLoader, "/api/goals")).json()) as { slug: string; raisedOre: number }[];
    expect(body.goals.map((g) => g.slug)).toEqual(raised.map((g) => g.slug));
    let moneyInSomewhere = false;
    for (const g of body.goals) {
      expect(Object.keys(g).sort()).toEqual(["balanceOre", "months", "slug"]);
      const months = g.months.map((m) => m.month);
      expect(months).toEqual([...months].sort());
      expect(months.every((m) => /^\d{4}-\d{2}$/.test(m))).toBe(true);
      const sum = g.months.reduce((a, m) => a + Object.values(m.byChannel).reduce((x, v) => x + v, 0), 0);
      expect([g.slug, sum]).toEqual([g.slug, g.balanceOre]);
      expect([g.slug, g.balanceOre]).toEqual([g.slug, raised.find((r) => r.slug === g.slug)!.raisedOre]);
      moneyInSomewhere ||= g.balanceOre > 0;
    }
    expect(moneyInSomewhere).toBe(true);
  });

  it("contains no name, email or greeting of any seeded donor, on the API or the page's data", async () => {
    const donors = [
      ...(await t.db.select({ name: payments.donorName, email: payments.donorEmail, greeting: payments.greeting }).from(payments)),
      ...(await t.db.select({ name: monthlyGifts.donorName, email: monthlyGifts.donorEmail, greeting: monthlyGifts.donorName }).from(monthlyGifts)),
    ];
    const words = [...new Set(donors.flatMap((d) => [d.name, d.email, d.greeting]).filter((w): w is string => !!w && w.trim().length > 2))];
    expect(words).toEqual(expect.arrayContaining(["Greta Hemlig", "greta.hemlig@example.com", "Hälsningar från Greta", "Demo Andersson"]));
    const api = (await (await get(apiLoader, "/api/transparency")).text()).toLowerCase();
    const page = JSON.stringify(await insynLoader({ request: new Request(`${base}/insyn`), params: {}, context: {} })).toLowerCase();
    for (const w of words) {
      expect([w, api.includes(w.toLowerCase())]).toEqual([w, false]);
      expect([w, page.includes(w.toLowerCase())]).toEqual([w, false]);
    }
    // Nor the staff member who wrote the corrections.
    expect(page.includes("kassor.anna@example.org")).toBe(false);
  });

  it("shows the allocation rule with its history and the corrections and moves with their reasons", async () => {
    const page = (await insynLoader({ request: new Request(`${base}/insyn`), params: {}, context: {} })) as unknown as { ok: true; page: TransparencyPage };
    expect(page.ok).toBe(true);
    const { allocation, corrections, total, goals } = page.page;
    expect(allocation.current?.shares.map((s) => s.basisPoints)).toEqual([4000, 1500, 1500, 1500, 1500]);
    expect(allocation.history[0].note).toBe("Vintern kräver mer till hemlösheten");
    expect(corrections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "correction", goalNumber: 2, amountOre: "12345", reason: "Bankavgift som dragits två gånger" }),
        expect.objectContaining({ kind: "reallocation", goalNumber: 3, otherGoalNumber: 1, amountOre: "1000", reason: "Flytt efter styrelsebeslut" }),
      ]),
    );
    expect(corrections).toHaveLength(2);
    // The total is the goals' sum, month by month.
    expect(total.balanceOre).toBe(goals.reduce((a, g) => a + BigInt(g.balanceOre), 0n).toString());
    expect(total.months.reduce((a, m) => a + BigInt(m.totalOre), 0n).toString()).toBe(total.periodOre);
  });

  it("narrows to ?from=&to= months, and refuses a bad range with a 400 JSON message, an unknown goal with 404", async () => {
    const all = (await (await get(apiLoader, "/api/transparency")).json()) as TransparencyJson;
    const months = [...new Set(all.goals.flatMap((g) => g.months.map((m) => m.month)))].sort();
    const last = months[months.length - 1];
    const narrowed = (await (await get(apiLoader, `/api/transparency?from=${last}&to=${last}`)).json()) as TransparencyJson;
    expect(narrowed.goals.flatMap((g) => g.months.map((m) => m.month)).every((m) => m === last)).toBe(true);
    expect(narrowed.goals.map((g) => g.balanceOre)).toEqual(all.goals.map((g) => g.balanceOre));
    const empty = (await (await get(apiLoader, "/api/transparency?from=1999-01&to=1999-12")).json()) as TransparencyJson;
    expect(empty.goals.every((g) => g.months.length === 0)).toBe(true);

    for (const [query, field, text] of [
      ["from=2026-05&to=2026-04", "to", "Slutet av perioden ligger före början. Byt plats på dem."],
      ["from=2010-01&to=2026-01", "to", "Perioden får vara högst tio år."],
      ["from=mars", "from", "Skriv en månad som ÅÅÅÅ-MM, till exempel 2026-03."],
      ["to=2026-13", "to", "Skriv ett datum som ÅÅÅÅ-MM-DD eller en månad som ÅÅÅÅ-MM."],
    ] as const) {
      const res = await get(apiLoader, `/api/transparency?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
      const body = (await res.json()) as { message: string; fieldErrors: Record<string, string> };
      expect(body.fieldErrors[field]).toBe(text);
      expect(body.message.length).toBeGreaterThan(0);
    }
    const english = await get(apiLoader, "/api/transparency?from=2026-05&to=2026-04&lang=en");
    expect(((await english.json()) as { fieldErrors: Record<string, string> }).fieldErrors.to).toBe("The end of the period is before its start. Swap them.");
    const unknown = await get(apiLoader, "/api/transparency?goal=finns-inte");
    expect(unknown.status).toBe(404);

    // The page: the same refusal, 400, with the message for the field.
    const page = (await insynLoader({ request: new Request(`${base}/insyn?from=2026-05&to=2026-04`), params: {}, context: {} })) as unknown as { init: { status: number }; data: { fieldErrors: Record<string, string> } };
    expect(page.init.status).toBe(400);
    expect(page.data.fieldErrors.to).toBe("Slutet av perioden ligger före början. Byt plats på dem.");
  });

  it("sends /transparency to /insyn in English, keeping the period", async () => {
    const res = await get(redirectLoader as typeof apiLoader, "/transparency?from=2026-01");
    expect(res.status).toBe(301);
    expect(res.headers.get("Location")).toBe("/insyn?from=2026-01&lang=en");
  });
});
