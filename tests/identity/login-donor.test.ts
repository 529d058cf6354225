import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emailOutbox, payments, people, rateLimits } from "~db/schema";
import { action as loginAction } from "~/routes/login";
import { consumeSignInLink, SIGN_IN_MIN_RESPONSE_MS } from "~/services/auth/login.server";
import { giftsOf } from "~/services/account/account.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { useIdentityEnv } from "./helpers";

/**
 * A donor signs in with the address they gave with, even though no person had that address: like any
 * newcomer, the link is sent and the person is made when it is used; /account then shows the gift.
 * Known, donor-only and unknown addresses get the same answer.
 */
const appUrl = "http://127.0.0.1:3999";

function loginRequest(email: string) {
  return new Request(`${appUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ email }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

describe.each(dbTargets)("sign-in for donors on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(async () => {
    useIdentityEnv();
    await ctx.db.insert(people).values({ email: "known@example.com" });
    await ctx.db.insert(payments).values([
      // Stripe keeps the address as the donor typed it.
      { channel: "one_off_gift", status: "paid", amountOre: 25_000n, donorEmail: "Donor@Example.com", paidAt: new Date() },
      // A checkout that was never paid does not make anyone a donor.
      { channel: "one_off_gift", status: "expired", amountOre: 25_000n, donorEmail: "started@example.com" },
    ]);
  });
  beforeEach(async () => {
    await ctx.db.delete(rateLimits);
  });

  const outboxTo = async (email: string) => ctx.db.select().from(emailOutbox).where(eq(emailOutbox.to, email));

  it("answers known, donor-only and unknown addresses alike, and sends each a link", async () => {
    const answers: { status: number; ok: unknown; ms: number }[] = [];
    for (const email of ["known@example.com", "donor@example.com", "nobody@example.com", "started@example.com"]) {
      const started = performance.now();
      const res = (await loginAction({ request: loginRequest(email), params: {}, context: { clientIp: "10.0.0.9" } })) as {
        data: { ok: boolean; email: string };
        init: { status?: number } | null;
      };
      answers.push({ status: res.init?.status ?? 200, ok: { ...res.data, email: res.data.email === email ? "<same>" : res.data.email }, ms: performance.now() - started });
    }
    // Same status, same data (the address is echoed back as typed), none sooner than the floor.
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.ok).toEqual({ ok: true, email: "<same>" });
      expect(a.ms).toBeGreaterThanOrEqual(SIGN_IN_MIN_RESPONSE_MS - 5);
    }
    for (const email of ["known@example.com", "donor@example.com", "nobody@example.com", "started@example.com"]) expect(await outboxTo(email)).toHaveLength(1);
    // Asking for a link makes nobody a person: that waits until the link is used.
    for (const email of ["donor@example.com", "nobody@example.com", "started@example.com"]) {
      expect(await ctx.db.select().from(people).where(eq(people.email, email))).toHaveLength(0);
    }
  });

  it("makes the donor a person when the link is used; they are signed in and their account shows the gift", async () => {
    const [mail] = await outboxTo("donor@example.com");
    const token = new URL((mail.props as { url: string }).url).searchParams.get("token")!;
    const signedIn = await consumeSignInLink(ctx.db, { token });
    const [donor] = await ctx.db.select().from(people).where(eq(people.email, "donor@example.com"));
    expect(signedIn?.personId).toBe(donor.id);
    expect((await giftsOf(ctx.db, donor.id, "sv")).map((g) => g.amountOre)).toEqual(["25000"]);

    // Asking again reuses the person: one row per address.
    await loginAction({ request: loginRequest("DONOR@example.com"), params: {}, context: { clientIp: "10.0.0.9" } });
    expect(await ctx.db.select().from(people).where(eq(people.email, "donor@example.com"))).toHaveLength(1);
    expect(await outboxTo("donor@example.com")).toHaveLength(2);
  });
});
