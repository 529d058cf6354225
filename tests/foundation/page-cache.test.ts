import { createServer, type IncomingMessage, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPageCache, invalidatePageCache } from "~/utils/page-cache.server";

type Req = IncomingMessage & { cspNonce?: string };

describe("page micro-cache", () => {
  let renders = 0;
  let status = 200;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const cache = createPageCache<Req>({
      ttlMs: 60_000,
      nonceFor: (req) => req.cspNonce,
      handle: async (request, req) => {
        renders++;
        const lang = request.headers.get("cookie")?.includes("lang=en") ? "en" : "sv";
        return new Response(`<html lang="${lang}"><script nonce="${req.cspNonce}"></script>render ${renders} ${new URL(request.url).pathname}</html>`, {
          status,
          headers: { "content-type": "text/html; charset=utf-8" },
        });
      },
    });
    server = createServer((req: Req, res) => {
      req.cspNonce = randomBytes(16).toString("base64");
      res.setHeader("x-nonce", req.cspNonce);
      void cache(req, res, () => {
        res.statusCode = 299;
        res.end("passed through");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("renders a public page once and serves it again, each time with the request's own nonce", async () => {
    const before = renders;
    const a = await fetch(`${base}/goals/alla-ar-trygga`);
    const b = await fetch(`${base}/goals/alla-ar-trygga`);
    const bodyA = await a.text();
    const bodyB = await b.text();
    expect(renders - before).toBe(1);
    expect(bodyA.replace(/nonce="[^"]+"/, "")).toBe(bodyB.replace(/nonce="[^"]+"/, ""));
    expect(bodyA).toContain(`nonce="${a.headers.get("x-nonce")}"`);
    expect(bodyB).toContain(`nonce="${b.headers.get("x-nonce")}"`);
    expect(a.headers.get("x-nonce")).not.toBe(b.headers.get("x-nonce"));
  });

  it("renders again after a ledger write invalidates it", async () => {
    await fetch(`${base}/`);
    const before = renders;
    await fetch(`${base}/`);
    expect(renders).toBe(before);
    invalidatePageCache();
    await fetch(`${base}/`);
    expect(renders).toBe(before + 1);
  });

  it("keeps languages apart and never caches for a signed-in visitor, a POST or another path", async () => {
    const sv = await (await fetch(`${base}/about`)).text();
    const en = await (await fetch(`${base}/about`, { headers: { cookie: "lang=en" } })).text();
    expect(sv).toContain('lang="sv"');
    expect(en).toContain('lang="en"');
    expect((await fetch(`${base}/about`, { headers: { cookie: "lang=en; __session=abc" } })).status).toBe(299);
    expect((await fetch(`${base}/about`, { method: "POST" })).status).toBe(299);
    expect((await fetch(`${base}/admin`)).status).toBe(299);
    expect((await fetch(`${base}/goals/x?y=1`)).status).toBe(299);
  });

  it("passes a non-200 answer through uncached", async () => {
    status = 404;
    const before = renders;
    expect((await fetch(`${base}/goals/finns-inte`)).status).toBe(404);
    expect((await fetch(`${base}/goals/finns-inte`)).status).toBe(404);
    expect(renders - before).toBe(2);
    status = 200;
  });
});
