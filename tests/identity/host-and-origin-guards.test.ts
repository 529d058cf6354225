import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbTargets } from "../setup/db";
import type { RunningServer } from "../setup/server";
import { englishCookie, form, formHeaders, mailIds, raw, signIn, startOn } from "./http-client";

/**
 * Issue 8, items 5 and 9, over HTTP against the production build (`npx remix vite:build` first):
 * the Origin check looks at the path Remix routes (dot segments resolved), the server answers only
 * its configured host names (DNS rebinding), and an Origin of this site addressed to another host is
 * a 403 with a log line instead of Remix's 500. On PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */

/** Paths under /webhooks/ that Remix routes to /admin/people (the URL parser resolves them). */
const dotSegmentTargets = [
  "/webhooks/../admin/people",
  "/webhooks/%2e%2e/admin/people",
  "/webhooks/%2E%2E/admin/people",
  "/webhooks/.%2e/admin/people",
  "/webhooks/%2e./admin/people",
  "/webhooks\\..\\admin/people",
  "/webhooks/stripe/../../admin/people",
  "/webhooks/./../admin/people",
];

describe.each(dbTargets)("host and Origin guards (%s)", (target) => {
  let server: RunningServer;
  let base: string;
  let host: string;
  let admin: string;
  beforeAll(async () => {
    server = await startOn(target);
    base = server.url;
    host = new URL(base).host;
    admin = await signIn(base, "admin@example.com");
  }, 200_000);
  afterAll(async () => {
    await server?.stop();
  });

  const people = async () => (await raw(base, { target: "/admin/people", headers: { Cookie: admin } })).body;

  it("item 5: dot segments under /webhooks/ do not skip the Origin check; nothing is written", async () => {
    for (const [i, path] of dotSegmentTargets.entries()) {
      const res = await raw(base, {
        method: "POST",
        target: path,
        headers: { ...formHeaders, Cookie: admin },
        body: form({ intent: "add", email: `dot-segment-${i}@example.com`, role: "admin" }),
      });
      expect(res.status, path).toBe(403);
      expect(res.body, path).toContain("Request refused");
    }
    const list = await people();
    expect(list).toContain("admin@example.com");
    expect(list).not.toMatch(/dot-segment-\d+@example\.com/);

    // The same form from the site's own page is accepted: the refusals above were the Origin check's.
    const ok = await raw(base, {
      method: "POST",
      target: "/admin/people",
      headers: { ...formHeaders, Cookie: admin, Origin: base },
      body: form({ intent: "add", email: "same-origin-add@example.com", role: "fundraiser" }),
    });
    expect(ok.status).toBe(200);
    expect(await people()).toContain("same-origin-add@example.com");
  });

  it("item 5: the Stripe webhook stays exempt (its signature is the check), however the path is spelt", async () => {
    for (const path of ["/webhooks/stripe", "/webhooks/./stripe", "/webhooks/x/../stripe"]) {
      const res = await raw(base, { method: "POST", target: path, headers: { "Content-Type": "application/json" }, body: "{}" });
      expect(res.status, path).toBe(400);
    }
  });

  it("item 5: answers only its configured host names, GET included (DNS rebinding)", async () => {
    const port = new URL(base).port;
    for (const name of [`rebind.example:${port}`, "rebind.example", `localhost:${Number(port) + 1}`, `127.0.0.2:${port}`, `localhost.:${port}`, `user@localhost:${port}`]) {
      const mail = await raw(base, { target: "/dev/mail", headers: { Host: name } });
      expect(mail.status, name).toBe(421);
      expect(mail.body, name).not.toContain("/dev/mail/");
      expect(mail.body, name).toContain("Den här servern svarar inte för det värdnamnet");
      expect((await raw(base, { target: "/", headers: { Host: name } })).status, name).toBe(421);
    }
    // In the reader's language.
    const english = await raw(base, { target: "/dev/mail", headers: { Host: "rebind.example", Cookie: englishCookie } });
    expect(english.body.split("\n")[0]).toBe("This server does not answer for that host name. Open the page at its usual address.");
    // Without TRUST_PROXY an X-Forwarded-Host is anyone's to send: it neither helps nor harms.
    expect((await raw(base, { target: "/dev/mail", headers: { Host: "rebind.example", "X-Forwarded-Host": host } })).status).toBe(421);
    expect((await raw(base, { target: "/dev/mail", headers: { Host: host, "X-Forwarded-Host": "rebind.example" } })).status).toBe(200);
    // A write addressed to a foreign name is refused before the action: no mail is queued.
    const before = await mailIds(base);
    const login = await raw(base, {
      method: "POST",
      target: "/login",
      headers: { ...formHeaders, Host: `rebind.example:${port}`, Origin: `http://rebind.example:${port}` },
      body: form({ email: "admin@example.com" }),
    });
    expect(login.status).toBe(421);
    expect(await mailIds(base)).toEqual(before);

    // The names local mode answers for: loopback in its three spellings on PORT, any letter case.
    for (const name of [host, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
      expect((await raw(base, { target: "/dev/mail", headers: { Host: name } })).status, name).toBe(200);
    }
    // A load balancer's health check may address the instance by any name.
    expect((await raw(base, { target: "/healthz", headers: { Host: "10.0.0.7:3000" } })).status).toBe(200);
  });

  it("item 5: a request without any Host (HTTP/1.0) is refused too", async () => {
    const { port } = new URL(base);
    const status = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.write("GET /dev/mail HTTP/1.0\r\n\r\n"));
      let text = "";
      socket.on("data", (d) => (text += d));
      socket.on("end", () => resolve(text.split("\r\n")[0]));
      socket.on("error", reject);
    });
    expect(status).toMatch(/^HTTP\/1\.[01] 421 /);
  });

  it("item 9: an Origin of this site addressed to another of its hosts is a 403 with a log line, not Remix's 500", async () => {
    const port = new URL(base).port;
    // APP_URL's origin (http://localhost:PORT by default), sent to 127.0.0.1: passed the old check, then Remix answered 500.
    const before = await mailIds(base);
    const res = await raw(base, {
      method: "POST",
      target: "/login",
      headers: { ...formHeaders, Host: `127.0.0.1:${port}`, Origin: `http://localhost:${port}` },
      body: form({ email: "admin@example.com" }),
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain("Request refused");
    await server.waitForOutput!(/\[http\] 403 POST \/login: Origin http:\/\/localhost:\d+ is this site's, but the request was addressed to host 127\.0\.0\.1:\d+.*X-Forwarded-Host/);
    expect(await mailIds(base)).toEqual(before);

    // An untrusted X-Forwarded-Host no longer reaches Remix's own comparison (it answered 500).
    const forwarded = await raw(base, {
      method: "POST",
      target: "/lang",
      headers: { ...formHeaders, Host: `localhost:${port}`, Origin: `http://localhost:${port}`, "X-Forwarded-Host": "proxy.example" },
      body: form({ lang: "en", returnTo: "/" }),
    });
    expect(forwarded.status).toBe(302);
    expect(server.output()).not.toContain("header does not match `origin`");
  });
});

/**
 * The server behind a proxy: APP_URL https://lokala.example and TRUST_PROXY=loopback. Where a PostgreSQL
 * server is given (always in CI) it is the one the last describe starts for APP_ENV=production, where a
 * proxy in front is the usual setup; the proxy checks ran on a PGlite server of their own in local mode
 * before, a start (3.7-4.0 CPU-s) more for the file. Without PostgreSQL: that PGlite server in local mode.
 */
const onPostgres = !!process.env.TEST_DATABASE_URL;
let proxiedServer: RunningServer;
beforeAll(async () => {
  proxiedServer = onPostgres
    ? await startOn("postgres", {
        APP_ENV: "production",
        APP_URL: "https://lokala.example",
        SESSION_SECRET: "host-check-secret-".padEnd(48, "q"),
        ALLOW_LOCAL_STANDINS: "1",
        TRUST_PROXY: "loopback",
        DEMO_DATA: "0",
      })
    : await startOn("pglite", { APP_URL: "https://lokala.example", TRUST_PROXY: "loopback" });
}, 200_000);
afterAll(async () => {
  await proxiedServer?.stop();
});

describe("behind a proxy that passes X-Forwarded-Host (TRUST_PROXY=loopback)", () => {
  let server: RunningServer;
  let base: string;
  beforeAll(() => {
    server = proxiedServer;
    base = server.url;
  });

  it("item 9: forms work with the public host in X-Forwarded-Host; without it the mismatch is a 403 with a log line", async () => {
    const port = new URL(base).port;
    const proxied = { ...formHeaders, Host: `app.internal:${port}`, "X-Forwarded-Host": "lokala.example", "X-Forwarded-Proto": "https", Origin: "https://lokala.example" };
    const ok = await raw(base, { method: "POST", target: "/lang", headers: proxied, body: form({ lang: "en", returnTo: "/about" }) });
    expect(ok.status).toBe(302);
    expect(ok.headers.location).toBe("/about");
    // The first value is the one the proxy set (Express's req.hostname reads it the same way).
    const listed = await raw(base, { target: "/", headers: { ...proxied, "X-Forwarded-Host": "lokala.example, rebind.example" } });
    expect(listed.status).toBe(200);
    // A trusted proxy's X-Forwarded-Host is checked like a Host.
    expect((await raw(base, { target: "/", headers: { "X-Forwarded-Host": "rebind.example" } })).status).toBe(421);

    // A proxy that rewrites Host to a name this server answers for, and does not pass X-Forwarded-Host.
    const rewritten = await raw(base, {
      method: "POST",
      target: "/lang",
      headers: { ...formHeaders, Host: `127.0.0.1:${port}`, Origin: "https://lokala.example" },
      body: form({ lang: "en", returnTo: "/" }),
    });
    expect(rewritten.status).toBe(403);
    expect(rewritten.headers["set-cookie"]).toBeUndefined();
    await server.waitForOutput!(/\[http\] 403 POST \/lang: Origin https:\/\/lokala\.example is this site's, but the request was addressed to host 127\.0\.0\.1:\d+/);
  });
});

describe.runIf(onPostgres)("APP_ENV=production on PostgreSQL", () => {
  let base: string;
  beforeAll(() => {
    base = proxiedServer.url;
  });

  it("item 5: answers only APP_URL's host (and HOST:PORT), not every loopback name", async () => {
    const port = new URL(base).port;
    expect((await raw(base, { target: "/", headers: { "X-Forwarded-Host": "lokala.example" } })).status).toBe(200);
    expect((await raw(base, { target: "/", headers: { Host: "lokala.example" } })).status).toBe(200);
    expect((await raw(base, { target: "/", headers: { Host: `127.0.0.1:${port}` } })).status).toBe(200); // HOST=127.0.0.1 (tests/setup/server.ts)
    expect((await raw(base, { target: "/", headers: { Host: `localhost:${port}` } })).status).toBe(421);
    expect((await raw(base, { target: "/", headers: { Host: "rebind.example" } })).status).toBe(421);
    expect((await raw(base, { target: "/healthz", headers: { Host: "10.0.0.7:3000" } })).status).toBe(200);
  });
});
