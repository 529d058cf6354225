import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthlyGifts } from "~db/schema";
import { action as monthlyAction, loader as monthlyLoader } from "~/routes/give.monthly.$token";
import { renderEmail } from "~/services/email/render.server";
import { startGift } from "~/services/payments/give.server";
import { manageToken } from "~/services/payments/manage-link.server";
import { simulateCheckout } from "~/services/payments/simulator.server";
import { defaultCharityIdentity } from "~/services/settings/charity";
import { setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { usePaymentEnv } from "./helpers";

const url = (path: string) => `http://127.0.0.1:3999${path}`;

describe("receipt email", () => {
  it("shows amount, goal, date, method and the charity's name and organisation number from the settings", async () => {
    const identity = { ...defaultCharityIdentity, organisationNumber: "000000-0000" };
    const mail = await renderEmail(
      "gift-receipt",
      "sv",
      { paymentId: "42", amountOre: "25000", goalTitle: "Alla är trygga", paidAt: "2026-11-24T12:00:00.000Z", method: "swish", monthly: false, donorName: "<b>Kim</b>" },
      identity,
    );
    expect(mail.subject).toBe("Tack för din gåva på 250\u00a0kr");
    for (const text of ["250\u00a0kr", "Alla är trygga", "24 november 2026", "Swish", "Engångsgåva", "Västerås stadsmission, org.nr 000000-0000"]) {
      expect(mail.text).toContain(text);
    }
    // The donor's name is text, never HTML.
    expect(mail.html).not.toContain("<b>Kim</b>");
    expect(mail.html).toContain("&lt;b&gt;Kim&lt;/b&gt;");
    const en = await renderEmail(
      "gift-receipt",
      "en",
      { paymentId: "43", amountOre: "20000", goalTitle: null, paidAt: "2026-11-24T12:00:00.000Z", method: "card", monthly: true, donorName: null, manageUrl: "http://x/give/monthly/1.abc" },
      defaultCharityIdentity,
    );
    for (const text of ["Where the need is greatest", "Monthly gift", "Card", "http://x/give/monthly/1.abc"]) expect(en.text).toContain(text);
    // No organisation number is invented when staff have not set one.
    expect(en.text).not.toMatch(/reg\. no\./);
  });
});

describe.each(dbTargets)("monthly gift page from the signed link (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => void usePaymentEnv());
  afterAll(() => setEnvForTests(undefined));

  it("shows the gift, answers a bad amount next to the field, changes it, and stops it", async () => {
    const started = await startGift(ctx.db, { input: { frequency: "monthly", goal: "ingen-ensamhet", amount: "200", name: "Kim", email: "kim@example.com" }, locale: "sv" });
    await simulateCheckout(ctx.db, started.redirectUrl.split("/").pop()!, "pay");
    const token = manageToken(started.monthlyGiftId!);
    const page = await monthlyLoader({ request: new Request(url(`/give/monthly/${token}`)), params: { token }, context: {} });
    expect(page.gift).toMatchObject({ status: "active", amountOre: "20000", goalTitle: "Ingen ensamhet", canChange: true });
    await expect(monthlyLoader({ request: new Request(url("/give/monthly/1.x")), params: { token: "1.x" }, context: {} })).rejects.toMatchObject({ status: 404 });

    const post = (body: Record<string, string>) =>
      monthlyAction({ request: new Request(url(`/give/monthly/${token}`), { method: "POST", body: new URLSearchParams(body) }), params: { token }, context: {} });
    const bad = (await post({ intent: "change", amount: "5", requestId: "a" })) as { init: { status: number }; data: { fieldErrors: Record<string, string> } };
    expect(bad.init.status).toBe(400);
    expect(bad.data.fieldErrors.amount.replace(/\u00a0/g, " ")).toBe("Det minsta beloppet är 20 kr.");
    const changed = (await post({ intent: "change", amount: "275", requestId: "b" })) as Response;
    expect(changed.status).toBe(302);
    expect((await ctx.db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId!)))[0].amountOre).toBe(27_500n);
    const card = (await post({ intent: "card", requestId: "c" })) as Response;
    expect(card.headers.get("Location")).toMatch(/^\/dev\/checkout\/card-update/);
    const stopped = (await post({ intent: "stop" })) as Response;
    expect(stopped.headers.get("Location")).toBe(`/give/monthly/${token}?done=stopped`);
    const after = await monthlyLoader({ request: new Request(url(`/give/monthly/${token}`)), params: { token }, context: {} });
    expect(after.gift).toMatchObject({ status: "canceled", canChange: false });
    const again = (await post({ intent: "change", amount: "300", requestId: "d" })) as { init: { status: number } };
    expect(again.init.status).toBe(409);
  });
});
