import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, donorConsents, giftConsents, payments, people } from "~db/schema";
import { action as giveAction } from "~/routes/give._index";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { exportConsentingDonors } from "~/services/exports/csv-export.server";
import { readAll } from "~/services/exports/stream.server";
import { checkoutSessionObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { createStaff } from "../factories";
import { staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { signedWebhookRequest, useFakeStripe } from "../payments/helpers";

/**
 * Donor consent on the give page (issue 14 item 5): the box, unticked by default, is recorded with the
 * gift and becomes the donor's donor_consents row only when the gift is paid (through the real Stripe
 * webhook path and its batched writes), so the donor CSV lists exactly the donors who ticked it and paid.
 */
type Failed = { init: { status: number }; data: { fieldErrors: Record<string, string>; values: { consent?: boolean } } };

let ip = 10;
/** The give form as a browser posts it (a checkbox is sent as "on" only when ticked). */
async function give(fields: Record<string, string>, lang?: "en") {
  const url = `http://127.0.0.1:3999/give${lang ? `?lang=${lang}` : ""}`;
  const request = new Request(url, { method: "POST", body: new URLSearchParams(fields), headers: { Origin: "http://127.0.0.1:3999" } });
  return (await giveAction({ request, params: {}, context: { clientIp: `198.51.100.${ip++}` } })) as unknown;
}

/** Stripe says the gift's Checkout Session is paid, as a signed webhook. */
async function paid(sessionId: string, amountOre: number) {
  const session = checkoutSessionObject({ id: sessionId, mode: "payment", amountTotal: amountOre, status: "complete", paymentStatus: "paid", paymentIntent: stripeId("pi") });
  const res = (await webhookAction({ request: signedWebhookRequest(stripeEvent("checkout.session.completed", session)), params: {}, context: {} })) as Response;
  expect(res.status).toBe(200);
}

const rowsOf = (bytes: Buffer) => bytes.toString("utf8").slice(1, -2).split("\r\n").map((line) => line.split(";"));

describe.each(dbTargets)("donor consent from the give page (%s)", (target) => {
  const ctx = useTestDatabase(target);
  useFakeStripe();

  const started = async (fields: Record<string, string>, lang?: "en") => {
    const res = (await give({ frequency: "one_off", amount: "250", method: "card", ...fields }, lang)) as Response;
    expect(res.status).toBe(302);
    const sessionId = res.headers.get("Location")!.split("/pay/")[1];
    const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutSessionId, sessionId));
    return { sessionId, paymentId: p.id };
  };
  const donorList = async () => {
    const staff = staffContext(ctx.db, (await createStaff(ctx.db)).id, "fundraiser");
    return rowsOf(await readAll((await exportConsentingDonors(staff)).stream)).slice(1);
  };
  const consentOf = async (email: string) => {
    const [row] = await ctx.db.select({ c: donorConsents, p: people }).from(donorConsents).innerJoin(people, eq(people.id, donorConsents.personId)).where(eq(people.email, email));
    return row ?? null;
  };

  it("records a ticked box with the gift, and the consent once the gift is paid: the donor CSV then lists the donor", async () => {
    const ticked = await started({ name: "Samtyckande Givare", email: "Samtycke@Example.com", consent: "on" });
    const [asked] = await ctx.db.select().from(giftConsents).where(eq(giftConsents.paymentId, ticked.paymentId));
    expect(asked.purpose).toBe("contact");
    expect(asked.wording).toBe("Ja, Västerås stadsmission får kontakta mig med tack, nyheter och förfrågningar om stöd.");
    // Not paid yet: no person, no consent, nobody in the list.
    expect(await consentOf("samtycke@example.com")).toBeNull();
    expect(await donorList()).toEqual([]);

    await paid(ticked.sessionId, 25_000);
    const row = await consentOf("samtycke@example.com");
    expect(row).not.toBeNull();
    expect(row!.c).toMatchObject({ purpose: "contact", source: "give_page", withdrawnAt: null });
    expect(row!.c.givenAt.toISOString()).toBe(asked.askedAt.toISOString());
    expect(row!.p).toMatchObject({ name: "Samtyckande Givare", locale: "sv" });
    const created = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectPersonId, row!.p.id));
    expect(created.map((a) => a.action)).toEqual(["person_created"]);

    const list = await donorList();
    expect(list.map((r) => [r[0], r[1], r[4], r[5]])).toEqual([["Samtyckande Givare", "samtycke@example.com", "1", "250,00"]]);
  });

  it("records nothing for a box left unticked, nor for a ticked gift that is never paid", async () => {
    const unticked = await started({ name: "Utan Kryss", email: "utan@example.com" });
    await paid(unticked.sessionId, 25_000);
    expect(await ctx.db.select().from(giftConsents).where(eq(giftConsents.paymentId, unticked.paymentId))).toEqual([]);
    await started({ name: "Aldrig Betald", email: "aldrig@example.com", consent: "on" });
    expect(await consentOf("utan@example.com")).toBeNull();
    expect(await consentOf("aldrig@example.com")).toBeNull();
    expect((await ctx.db.select().from(people).where(eq(people.email, "utan@example.com"))).length).toBe(0);
    const listed = (await donorList()).map((r) => r[1]);
    expect(listed).not.toContain("utan@example.com");
    expect(listed).not.toContain("aldrig@example.com");
  });

  it("keeps the box as the donor left it on a refused form, records the English wording, and a newer consent renews a withdrawn one", async () => {
    const asks = (await ctx.db.select().from(giftConsents)).length;
    const refused = (await give({ frequency: "one_off", amount: "250", method: "card", name: "", email: "ny@example.com", consent: "on" })) as Failed;
    expect(refused.init.status).toBe(400);
    expect(refused.data.values.consent).toBe(true);
    const plain = (await give({ frequency: "one_off", amount: "250", method: "card", name: "", email: "ny@example.com" })) as Failed;
    expect(plain.data.values.consent).toBe(false);
    expect((await ctx.db.select().from(giftConsents)).length).toBe(asks);

    const first = await started({ name: "Ny Givare", email: "ny@example.com", consent: "on" }, "en");
    const [asked] = await ctx.db.select().from(giftConsents).where(eq(giftConsents.paymentId, first.paymentId));
    expect(asked.wording).toBe("Yes, Västerås stadsmission may contact me with thanks, news and requests for support.");
    await paid(first.sessionId, 25_000);
    const given = await consentOf("ny@example.com");
    expect(given!.p.locale).toBe("en");
    // Withdrawn after that gift: paying an older ticked gift later does not bring it back; a newer one does.
    const older = await started({ name: "Ny Givare", email: "ny@example.com", consent: "on" });
    await ctx.db.update(donorConsents).set({ withdrawnAt: new Date(Date.now() + 1000) }).where(eq(donorConsents.id, given!.c.id));
    await paid(older.sessionId, 25_000);
    expect((await consentOf("ny@example.com"))!.c.withdrawnAt).not.toBeNull();
    expect((await donorList()).map((r) => r[1])).not.toContain("ny@example.com");
    const newer = await started({ name: "Ny Givare", email: "ny@example.com", consent: "on" });
    await ctx.db.update(giftConsents).set({ askedAt: new Date(Date.now() + 2000) }).where(eq(giftConsents.paymentId, newer.paymentId));
    await paid(newer.sessionId, 25_000);
    expect((await consentOf("ny@example.com"))!.c.withdrawnAt).toBeNull();
    expect((await donorList()).map((r) => r[1])).toContain("ny@example.com");
    // One person, however many gifts.
    expect((await ctx.db.select().from(people).where(eq(people.email, "ny@example.com"))).length).toBe(1);
  });
});
