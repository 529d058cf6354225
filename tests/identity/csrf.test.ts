import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossSiteWrite } from "~/utils/http-guards.server";

const base = { path: "/login", host: "lokala.example", appOrigin: "https://lokala.example" };

describe("the Origin check (CSRF)", () => {
  it("lets reads through and refuses writes from other sites", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(isCrossSiteWrite({ ...base, method, origin: "https://evil.example" })).toBe(false);
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(isCrossSiteWrite({ ...base, method, origin: "https://evil.example" }), method).toBe(true);
      expect(isCrossSiteWrite({ ...base, method, origin: "https://lokala.example" }), method).toBe(false);
    }
  });

  it("accepts the request's own host, and nothing that merely looks like it", () => {
    expect(isCrossSiteWrite({ ...base, method: "POST", host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).toBe(false);
    expect(isCrossSiteWrite({ ...base, method: "POST", origin: "https://lokala.example.evil.example" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", origin: "https://evil.example/lokala.example" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", origin: "not a url" })).toBe(true);
  });

  it("without an Origin (or with the opaque null) trusts only the browser's Sec-Fetch-Site: same-origin", () => {
    expect(isCrossSiteWrite({ ...base, method: "POST" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", secFetchSite: "same-site" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", secFetchSite: "cross-site" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", secFetchSite: "same-origin" })).toBe(false);
    expect(isCrossSiteWrite({ ...base, method: "POST", origin: "null" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", origin: "null", secFetchSite: "same-origin" })).toBe(false);
  });

  it("exempts only the webhooks, which check their own signatures", () => {
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/webhooks/stripe" })).toBe(false);
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/webhooks-not/really" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/give" })).toBe(true);
  });

  it("builds a CSP with the nonce, no inline scripts, no framing, no plugins", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
