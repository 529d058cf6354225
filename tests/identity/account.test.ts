import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { goals, monthlyGifts, payments, people, sessions } from "~db/schema";
import { action as accountAction, loader as accountLoader } from "~/routes/account";
import { giftsOf, monthlyGiftsOf } from "~/services/account/account.server";
import { accountOverview } from "~/services/account/overview.server";
import { deviceName } from "~/services/account/devices";
import { createSession } from "~/services/auth/sessions.server";
import { giftIdFromToken } from "~/services/payments/manage-link.server";
import { getCurrentUser } from "~/utils/auth.server";
import { serializeSessionToken } from "~/utils/session-cookie.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { useIdentityEnv } from "./helpers";

const UA = {
  androidChrome: "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
  iphoneSafari: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  windowsFirefox: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
  macSafari: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
};

describe("device names from user-agent strings", () => {
  it("names browser and device the way people say it, in both languages", () => {
    expect(deviceName(UA.androidChrome, "sv")).toBe("Chrome på Android");
    expect(deviceName(UA.androidChrome, "en")).toBe("Chrome on Android");
    expect(deviceName(UA.iphoneSafari, "sv")).toBe("Safari på iPhone");
    expect(deviceName(UA.windowsFirefox, "sv")).toBe("Firefox på Windows");
    expect(deviceName(UA.macSafari, "en")).toBe("Safari on macOS");
    expect(deviceName(null, "sv")).toBe("Okänd enhet");
    expect(deviceName("", "en")).toBe("Unknown device");
    expect(deviceName("curl/8.0", "sv")).toBe("Okänd enhet");
  });
});

describe.each(dbTargets)("/account: a person's own gifts, receipts, monthly gifts and sign-ins on %s", (target) => {
  const ctx = useTestDatabase(target);
  let ann: number;
  let bo: number;
  let cleo: number;
  let goalId: number;
  let annMonthly: bigint;
  const paymentIds: Record<string, bigint> = {};

  const cookieWith = async (personId: number, userAgent: string, lastSeenAt = new Date()) => {
    const { token } = await createSession(ctx.db, personId, { userAgent, now: lastSeenAt });
    return (await serializeSessionToken(token)).split(";")[0];
  };
  const load = async (cookie: string, lang = "sv") =>
    (await accountLoader({ request: new Request(`http://127.0.0.1:3999/account?lang=${lang}`, { headers: { Cookie: cookie } }), params: {}, context: {} })) as Awaited<
      ReturnType<typeof accountOverview>
    > & { locale: string };

  beforeAll(async () => {
    useIdentityEnv();
    const ids = await ctx.db
      .insert(people)
      .values([{ email: "ann@example.com", name: "Ann" }, { email: "bo@example.com" }, { email: "cleo@example.com" }])
      .returning({ id: people.id });
    [ann, bo, cleo] = ids.map((r) => r.id);
    [{ id: goalId }] = await ctx.db.select({ id: goals.id }).from(goals).where(eq(goals.slug, "alla-ar-trygga"));
    const [gift] = await ctx.db
      .insert(monthlyGifts)
      .values({ status: "active", amountOre: 30_000n, goalId, donorName: "Ann", donorEmail: "Ann@Example.com", subscriptionId: "sub_ann" })
      .returning({ id: monthlyGifts.id });
    annMonthly = gift.id;
    // An unfinished monthly checkout and Bo's monthly gift: neither is Ann's to see.
    await ctx.db.insert(monthlyGifts).values([
      { status: "pending", amountOre: 10_000n, donorName: "Ann", donorEmail: "ann@example.com" },
      { status: "active", amountOre: 50_000n, donorName: "Bo", donorEmail: "bo@example.com", subscriptionId: "sub_bo" },
    ]);
    const pay = async (key: string, values: Partial<typeof payments.$inferInsert>) => {
      const [row] = await ctx.db
        .insert(payments)
        .values({ channel: "one_off_gift", amountOre: 10_000n, status: "paid", ...values })
        .returning({ id: payments.id });
      paymentIds[key] = row.id;
    };
    // Ann's: an address typed with capitals (Stripe keeps it as typed), a Swish gift, a month of her monthly gift, a failed try.
    await pay("annCard", { donorEmail: "ANN@example.com", amountOre: 25_000n, method: "card", goalId, paidAt: new Date("2026-03-02T10:00:00Z") });
    await pay("annSwish", { donorEmail: "ann@example.com", amountOre: 12_300n, method: "swish", paidAt: new Date("2026-04-02T10:00:00Z"), refundedOre: 2_300n });
    await pay("annMonth", { donorEmail: "ann@example.com", amountOre: 30_000n, channel: "monthly_gift", monthlyGiftId: annMonthly, goalId, paidAt: new Date("2026-05-02T10:00:00Z") });
    await pay("annFailed", { donorEmail: "ann@example.com", amountOre: 40_000n, status: "failed" });
    // Others: Bo, an address that merely contains Ann's, one with no address at all.
    await pay("bo", { donorEmail: "bo@example.com", amountOre: 77_700n });
    await pay("lookalike", { donorEmail: "xann@example.com", amountOre: 88_800n });
    await pay("lookalike2", { donorEmail: "ann@example.com.evil.example", amountOre: 99_900n });
    await pay("noEmail", { donorEmail: null, amountOre: 11_100n });
  });

  it("shows a person the gifts made with their own address, newest first, and never another person's", async () => {
    const gifts = await giftsOf(ctx.db, ann, "sv");
    expect(gifts.map((g) => g.id).sort()).toEqual([paymentIds.annCard, paymentIds.annSwish, paymentIds.annMonth, paymentIds.annFailed].map(String).sort());
    // Paid gifts by date, newest first; the gift that was never paid is dated when it was started (now).
    expect(gifts.map((g) => g.id)).toEqual([paymentIds.annFailed, paymentIds.annMonth, paymentIds.annSwish, paymentIds.annCard].map(String));
    expect(gifts.find((g) => g.id === String(paymentIds.annCard))).toMatchObject({ amountOre: "25000", channel: "one_off_gift", status: "paid", method: "card", goalTitle: "Alla är trygga", hasReceipt: true });
    expect(gifts.find((g) => g.id === String(paymentIds.annFailed))).toMatchObject({ status: "failed", hasReceipt: false });

    expect((await giftsOf(ctx.db, bo, "sv")).map((g) => g.id)).toEqual([String(paymentIds.bo)]);
    expect(await giftsOf(ctx.db, cleo, "sv")).toEqual([]);

    // Through the page: Ann's loader data holds none of the other payments' amounts or ids.
    const data = await load(await cookieWith(ann, UA.androidChrome));
    const json = JSON.stringify(data);
    for (const key of ["bo", "lookalike", "lookalike2", "noEmail"]) {
      expect(data.gifts.some((g) => g.id === String(paymentIds[key]))).toBe(false);
    }
    for (const amount of ["77700", "88800", "99900", "11100", "50000"]) expect(json).not.toContain(amount);
    expect(json).not.toContain("bo@example.com");
  });

  it("lists the person's monthly gifts with the signed link to change or stop them", async () => {
    const monthly = await monthlyGiftsOf(ctx.db, ann, "en");
    expect(monthly).toHaveLength(1);
    expect(monthly[0]).toMatchObject({ id: String(annMonthly), status: "active", amountOre: "30000", goalTitle: "Everyone is safe" });
    const token = monthly[0].managePath!.replace("/give/monthly/", "");
    expect(giftIdFromToken(token)).toBe(annMonthly);
    expect((await monthlyGiftsOf(ctx.db, bo, "sv")).map((m) => m.amountOre)).toEqual(["50000"]);
    expect(await monthlyGiftsOf(ctx.db, cleo, "sv")).toEqual([]);
  });

  it("names each sign-in's device, marks and lists the current one first, and shows no one else's", async () => {
    await ctx.db.delete(sessions);
    const old = new Date(Date.now() - 60 * 60_000);
    await cookieWith(ann, UA.iphoneSafari, old);
    await cookieWith(bo, UA.windowsFirefox);
    const cookie = await cookieWith(ann, UA.androidChrome, new Date(Date.now() - 30 * 60_000));
    const sv = await load(cookie);
    expect(sv.sessions.map((s) => [s.device, s.current])).toEqual([
      ["Chrome på Android", true],
      ["Safari på iPhone", false],
    ]);
    expect(JSON.stringify(sv.sessions)).not.toContain("Mozilla");
    const en = await load(cookie, "en");
    expect(en.sessions[0].device).toBe("Chrome on Android");
  });

  it("signs out the other devices and keeps this one; an unknown intent is a 400 that changes nothing", async () => {
    await ctx.db.delete(sessions);
    const other = await cookieWith(ann, UA.iphoneSafari);
    const bosCookie = await cookieWith(bo, UA.windowsFirefox);
    const cookie = await cookieWith(ann, UA.androidChrome);
    const post = (intent: string) =>
      accountAction({
        request: new Request("http://127.0.0.1:3999/account", {
          method: "POST",
          body: new URLSearchParams({ intent }),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
        }),
        params: {},
        context: {},
      });
    const bad = (await post("nothing")) as { init: { status: number } };
    expect(bad.init.status).toBe(400);
    expect(await ctx.db.select().from(sessions)).toHaveLength(3);

    expect(await post("sign-out-others")).toEqual({ signedOutOthers: 1 });
    const asUser = (c: string) => getCurrentUser(new Request("http://127.0.0.1:3999/", { headers: { Cookie: c } }));
    expect(await asUser(other)).toBeNull();
    expect((await asUser(cookie))?.personId).toBe(ann);
    // Someone else's session is not touched.
    expect((await asUser(bosCookie))?.personId).toBe(bo);
  });

  it("gives the receipt's facts for a paid gift: reference, amount, method and the charity as recipient", async () => {
    const data = await load(await cookieWith(ann, UA.androidChrome));
    expect(data.recipient.name).toBe("Västerås stadsmission");
    const swish = data.gifts.find((g) => g.id === String(paymentIds.annSwish))!;
    expect(swish).toMatchObject({ method: "swish", hasReceipt: true, refundedOre: "2300", goalTitle: null, date: "2026-04-02T10:00:00.000Z" });
    const none = await load(await cookieWith(cleo, UA.macSafari));
    expect(none.gifts).toEqual([]);
    expect(none.monthlyGifts).toEqual([]);
  });
});
