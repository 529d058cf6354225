import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The patched file itself (patches/@remix-run+server-runtime+2.17.5.patch, docs/decisions/0010).
const { callRouteLoader } = createRequire(import.meta.url)("@remix-run/server-runtime/dist/data.js") as {
  callRouteLoader: (args: { loadContext: object; loader: (a: { request: Request }) => unknown; params: object; request: Request; routeId: string; singleFetch: boolean }) => Promise<unknown>;
};

/** The Request a loader is handed for `request`, as Remix calls it on a single-fetch page render. */
async function seenBy(request: Request): Promise<Request> {
  let seen: Request | undefined;
  await callRouteLoader({ loadContext: {}, loader: ({ request: r }) => ((seen = r), null), params: {}, request, routeId: "root", singleFetch: true });
  return seen!;
}

describe("the Request each loader is handed (patched @remix-run/server-runtime)", () => {
  it("is the page's own request when its query holds nothing Remix strips: no copies per loader", async () => {
    for (const url of ["http://localhost/goals/alla-ar-trygga", "http://localhost/give?goal=alla-ar-trygga&amount=250"]) {
      const request = new Request(url, { headers: { cookie: "lang=en" } });
      expect(await seenBy(request)).toBe(request);
    }
  });

  it("is still a copy without ?index and ?_routes where the query has them, however they are spelled", async () => {
    const cases: Array<[string, string]> = [
      ["http://localhost/give?index&goal=x", "http://localhost/give?goal=x"],
      ["http://localhost/give?_routes=root&goal=x", "http://localhost/give?goal=x"],
      ["http://localhost/give?%69ndex=&goal=x", "http://localhost/give?goal=x"],
      ["http://localhost/give?index=keep", "http://localhost/give?index=keep"],
    ];
    for (const [url, expected] of cases) {
      const request = new Request(url, { headers: { cookie: "lang=en" } });
      const seen = await seenBy(request);
      expect(seen.url).toBe(expected);
      expect(seen.headers.get("cookie")).toBe("lang=en");
    }
  });
});
