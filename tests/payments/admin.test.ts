import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocationRules, ledgerEntries, paymentAnomalies, paymentChannels } from "~db/schema";
import { action as allocationAction, loader as allocationLoader } from "~/routes/admin.allocation";
import { loader as paymentsLoader } from "~/routes/admin.payments";
import { resolveRefundFailed } from "~/services/ledger/corrections.server";
import { dispatchStripeEvent } from "~/services/payments/events.server";
import { checkoutSessionObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { setEnvForTests } from "~/utils/env.server";
import { staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";
import { goalIdsBySlug } from "./helpers";

const url = (path: string) => `http://127.0.0.1:3999${path}`;

describe.each(dbTargets)("staff pages for payments (%s)", (target) => {
  const ctx = useTestDatabase(target);
  let p: Personas;
  beforeAll(async () => {
    useIdentityEnv({ STRIPE_WEBHOOK_SECRET: "whsec_x" });
    p = await createPersonas(ctx.db);
  });
  afterAll(() => setEnvForTests(undefined));

  const get = (path: string, cookie: string) => new Request(url(path), { headers: cookie ? { Cookie: cookie } : {} });
  const post = (path: string, cookie: string, body: Record<string, string>) =>
    new Request(url(path), { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body) });

  it("shows a fundraiser payments, flags and balances; refuses a donor and a partner contact", async () => {
    const cs = stripeId("cs");
    const session = checkoutSessionObject({ id: cs, mode: "payment", amountTotal: 12_300, status: "complete", paymentStatus: "paid", paymentIntent: stripeId("pi"), metadata: { goal: "alla-kan-arbeta" } });
    await dispatchStripeEvent(ctx.db, stripeEvent("checkout.session.completed", session));
    const page = await paymentsLoader({ request: get("/admin/payments", p.cookie.fundraiser), params: {}, context: {} });
    expect(page.rows.some((r) => r.amountOre === "12300" && r.flags.includes("external_payment") && r.channel === "one_off_gift")).toBe(true);
    expect(page.summary.goals.find((g) => g.slug === "alla-kan-arbeta")!.balanceOre).toBe("12300");
    expect(page.anomalies.some((a) => a.kind === "external_payment")).toBe(true);
    for (const who of ["donor", "contactA"] as const) {
      await expect(paymentsLoader({ request: get("/admin/payments", p.cookie[who]), params: {}, context: {} })).rejects.toMatchObject({ status: 403 });
      await expect(allocationLoader({ request: get("/admin/allocation", p.cookie[who]), params: {}, context: {} })).rejects.toMatchObject({ status: 403 });
    }
  });

  it("lists each goal's money per channel in the one channel order, whatever order the database groups them in", async () => {
    const goal = (await goalIdsBySlug(ctx.db)).get("ingen-ensamhet")!;
    // Entries in the reverse of the channel order (a hash aggregate may hand the groups back in any order).
    const channels = [...paymentChannels].reverse();
    await ctx.db.insert(ledgerEntries).values(
      channels.map((channel, i) => ({ goalId: goal.id, amountOre: BigInt(100 * (i + 1)), channel, kind: "correction", entryKey: `corr:order-${target}-${channel}`, reason: "order", author: "staff:order@example.org" })),
    );
    const page = await paymentsLoader({ request: get("/admin/payments", p.cookie.fundraiser), params: {}, context: {} });
    const shown = page.summary.goals.find((g) => g.slug === "ingen-ensamhet")!.byChannel.map((c) => c.channel);
    expect(shown).toEqual([...paymentChannels]);
  });

  it("says which flags staff resolved (when, by whom, why) and links an open failed refund to where it is resolved", async () => {
    const [open, done, info] = await ctx.db
      .insert(paymentAnomalies)
      .values([
        { kind: "refund_failed", objectId: `re_open_${target}`, details: {} },
        { kind: "refund_failed", objectId: `re_done_${target}`, details: {} },
        { kind: "amount_mismatch", objectId: `pi_info_${target}`, details: {} },
      ])
      .returning();
    await resolveRefundFailed(staffContext(ctx.db, p.ids.fundraiser, "fundraiser"), { anomalyId: String(done.id), note: "Pengarna kom tillbaka" });
    const page = await paymentsLoader({ request: get("/admin/payments", p.cookie.fundraiser), params: {}, context: {} });
    const byId = new Map(page.anomalies.map((a) => [a.id, a]));
    expect(byId.get(String(open.id))).toMatchObject({ resolvable: true, resolved: null });
    expect(byId.get(String(done.id))).toMatchObject({ resolvable: true, resolved: { by: `staff:person-${p.ids.fundraiser}@example.com`, note: "Pengarna kom tillbaka" } });
    expect(byId.get(String(info.id))).toMatchObject({ resolvable: false, resolved: null });
  });

  it("saves a new allocation version from the form, and answers a bad sum next to the form without writing", async () => {
    const goals = [...(await goalIdsBySlug(ctx.db)).values()].sort((a, b) => a.number - b.number);
    const fields = (pct: string[]) => Object.fromEntries(goals.map((g, i) => [`share-${g.id}`, pct[i]]));
    const bad = (await allocationAction({ request: post("/admin/allocation", p.cookie.fundraiser, fields(["50", "50", "10", "0", "0"])), params: {}, context: {} })) as {
      init: { status: number };
      data: { fieldErrors: Record<string, string> };
    };
    expect(bad.init.status).toBe(400);
    expect(bad.data.fieldErrors._form).toBe("Andelarna måste tillsammans bli exakt 100 %.");
    const badField = (await allocationAction({ request: post("/admin/allocation", p.cookie.fundraiser, fields(["abc", "50", "50", "0", "0"])), params: {}, context: {} })) as {
      data: { fieldErrors: Record<string, string> };
    };
    expect(badField.data.fieldErrors[`share-${goals[0].id}`]).toMatch(/procentsats/);
    const longNote = (await allocationAction({
      request: post("/admin/allocation", p.cookie.fundraiser, { ...fields(["20", "20", "20", "20", "20"]), note: "x".repeat(501) }),
      params: {},
      context: {},
    })) as { init: { status: number }; data: { fieldErrors: Record<string, string> } };
    expect(longNote.init.status).toBe(400);
    expect(longNote.data.fieldErrors.note).toBe("Anteckningen får vara högst 500 tecken.");
    expect(await ctx.db.select({ n: count() }).from(allocationRules)).toEqual([{ n: 0 }]);
    await expect(allocationAction({ request: post("/admin/allocation", p.cookie.donor, fields(["20", "20", "20", "20", "20"])), params: {}, context: {} })).rejects.toMatchObject({ status: 403 });

    const ok = (await allocationAction({ request: post("/admin/allocation", p.cookie.fundraiser, fields(["40", "12,5", "12,5", "25", "10"])), params: {}, context: {} })) as Response;
    expect(ok.status).toBe(302);
    const view = await allocationLoader({ request: get("/admin/allocation", p.cookie.fundraiser), params: {}, context: {} });
    expect(view.overview.current.shares.map((s) => s.basisPoints)).toEqual([4000, 1250, 1250, 2500, 1000]);
    expect(view.overview.history).toHaveLength(1);
    expect(view.overview.current.createdBy).toBe("fundraiser@example.com");
  });
});
