import { describe, expect, it } from "vitest";
import { parseEnv } from "~/utils/env.server";
import { allowedHosts, canonicalHost, contentSecurityPolicy, isCrossSiteWrite, routedPath, writeVerdict } from "~/utils/http-guards.server";

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

  it("exempts only the Stripe webhook, which checks its own signature", () => {
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/webhooks/stripe" })).toBe(false);
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/webhooks/stripe?x=1" })).toBe(false);
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/webhooks/./stripe" })).toBe(false);
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/webhooks-not/really" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/webhooks/other" })).toBe(true);
    expect(isCrossSiteWrite({ ...base, method: "POST", path: "/give" })).toBe(true);
  });

  it("item 5 (issue 8): judges the path Remix routes, so dot segments under /webhooks/ are not exempt", () => {
    const routed: [string, string][] = [
      ["/webhooks/../admin/people", "/admin/people"],
      ["/webhooks/%2e%2e/admin/people", "/admin/people"],
      ["/webhooks/%2E%2e/admin/people", "/admin/people"],
      ["/webhooks/.%2e/admin/people", "/admin/people"],
      ["/webhooks\\..\\admin/people", "/admin/people"],
      ["/webhooks/stripe/../../admin/people?x", "/admin/people"],
      ["//webhooks/stripe", "//webhooks/stripe"],
    ];
    for (const [target, path] of routed) {
      expect(routedPath(target), target).toBe(path);
      expect(isCrossSiteWrite({ ...base, method: "POST", path: target }), target).toBe(true);
    }
    // What @remix-run/express does with the same target: the path Remix matches routes against.
    for (const [target, path] of routed) expect(new URL(`http://127.0.0.1:3000${target}`).pathname, target).toBe(path);
  });

  it("item 9 (issue 8): this site's Origin addressed to another host is a mismatch (403 and a log line), not passed on to Remix", () => {
    const ownHosts = new Set(["lokala.example", "127.0.0.1:3000"]);
    const post = { ...base, method: "POST", ownHosts };
    expect(writeVerdict({ ...post, host: "127.0.0.1:3000", origin: "https://lokala.example" })).toBe("host-mismatch");
    expect(writeVerdict({ ...post, host: "lokala.example", origin: "http://127.0.0.1:3000" })).toBe("host-mismatch");
    expect(writeVerdict({ ...post, host: "127.0.0.1:3000", origin: "https://evil.example" })).toBe("cross-site");
    expect(writeVerdict({ ...post, host: "LOKALA.example", origin: "https://lokala.example" })).toBe("allowed");
  });

  it("item 5 (issue 8): answers only the configured host names", () => {
    const local = allowedHosts(parseEnv({ PORT: "3000", DATA_DIR: "/tmp/guards-unit", SESSION_SECRET: "s".repeat(40) }));
    expect([...local].sort()).toEqual(["127.0.0.1:3000", "[::1]:3000", "localhost:3000"]);
    const proxied = allowedHosts(parseEnv({ PORT: "8080", HOST: "::", APP_URL: "https://lokala.example/", DATA_DIR: "/tmp/guards-unit", SESSION_SECRET: "s".repeat(40) }));
    expect([...proxied].sort()).toEqual(["127.0.0.1:8080", "[::1]:8080", "[::]:8080", "localhost:8080", "lokala.example", "lokala.example:443"]);
    const production = allowedHosts(
      parseEnv({ APP_ENV: "production", DATABASE_URL: "postgres://u@h/db", SESSION_SECRET: "p".repeat(40), APP_URL: "https://gava.example.org", PORT: "3000" }),
    );
    expect([...production].sort()).toEqual(["gava.example.org", "gava.example.org:443"]);
    expect(canonicalHost("LocalHost:3000")).toBe("localhost:3000");
    expect(canonicalHost("example.org:80")).toBe("example.org");
    for (const bad of ["user@localhost:3000", "localhost:3000/x", "a b", "", undefined, "localhost:99999"]) expect(canonicalHost(bad), String(bad)).toBeNull();
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
