import { describe, expect, it } from "vitest";
import { loader } from "~/routes/dev.checkout.$id";

async function returnFor(value: string) {
  const url = `http://127.0.0.1:3999/dev/checkout/card-update?return=${encodeURIComponent(value)}`;
  const result = (await loader({ request: new Request(url), params: { id: "card-update" }, context: {} })) as {
    cardUpdate: { returnTo: string };
  };
  return result.cardUpdate.returnTo;
}

describe("the simulator's card-update page", () => {
  it("returns only to a monthly gift's page in this app, never to another site", async () => {
    expect(await returnFor("/give/monthly/12.abcDEF_-")).toBe("/give/monthly/12.abcDEF_-");
    for (const evil of ["http://a//evil.com/x", "/\\evil.com", "//evil.com", "https://evil.com/give/monthly/1.x", "/give/monthly/1.x/../../x", "/\t/evil.com"]) {
      expect(await returnFor(evil), evil).toBe("/");
    }
  });
});
