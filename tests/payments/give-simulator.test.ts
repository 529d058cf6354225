import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatorMessages, simulatorStatusLabel } from "~/i18n/simulator";
import { loader } from "~/routes/dev.checkout.$id";
import { paymentStatuses } from "~db/schema";
import { setEnvForTests } from "~/utils/env.server";
import { usePaymentEnv } from "./helpers";

async function returnFor(value: string, origin = "http://127.0.0.1:3999") {
  const url = `${origin}/dev/checkout/card-update?return=${encodeURIComponent(value)}`;
  const result = (await loader({ request: new Request(url), params: { id: "card-update" }, context: {} })) as { cardUpdate: { returnTo: string } };
  return result.cardUpdate.returnTo;
}

describe("the simulator's card-update page (monthly gift → Uppdatera kort → Tillbaka)", () => {
  beforeAll(() => {
    usePaymentEnv({ APP_URL: "http://localhost:3999" });
  });
  afterAll(() => setEnvForTests(undefined));

  it("goes back to the monthly gift's page when given the full URL the app passes to the gateway", async () => {
    // monthly.server.ts hands the gateway `${APP_URL}/give/monthly/<token>` (Stripe's portal needs a full URL).
    expect(await returnFor("http://localhost:3999/give/monthly/12.abcDEF_-")).toBe("/give/monthly/12.abcDEF_-");
    // The page was reached on another of the app's own addresses.
    expect(await returnFor("http://127.0.0.1:3999/give/monthly/12.abcDEF_-")).toBe("/give/monthly/12.abcDEF_-");
    expect(await returnFor("/give/monthly/12.abcDEF_-")).toBe("/give/monthly/12.abcDEF_-");
  });

  it("never leads to another site or another page", async () => {
    for (const evil of [
      "https://evil.com/give/monthly/1.x",
      "http://localhost:4000/give/monthly/1.x",
      "http://127.0.0.1:3999@evil.com/give/monthly/1.x",
      "//evil.com/give/monthly/1.x",
      "/\\evil.com/give/monthly/1.x",
      "http://a//evil.com/x",
      "/give/monthly/1.x/../../admin",
      "http://localhost:3999/admin/people",
      "http://localhost:3999/give/monthly/1.x?next=https://evil.com",
      "javascript:alert(1)",
      "",
    ]) {
      expect(await returnFor(evil), evil).toBe("/");
    }
  });
});

describe("the simulator's status words", () => {
  it("has a Swedish and an English label for every payment status, never the raw value", () => {
    for (const status of paymentStatuses) {
      const sv = simulatorStatusLabel("sv", status);
      const en = simulatorStatusLabel("en", status);
      expect(sv).not.toBe(status);
      expect(sv).toBe(simulatorMessages("sv")[`status_${status}`]);
      expect(en).toBe(simulatorMessages("en")[`status_${status}`]);
    }
    expect(simulatorStatusLabel("sv", "paid")).toBe("betald");
  });
});
