import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linksInMail, mailIds } from "../setup/dev-mailbox";
import { NO_DEMO_DATA, startServer, type RunningServer } from "../setup/server";

/**
 * The guards that live in server.mjs (Origin check, security headers) and the cookie as a browser
 * sees it, tested over HTTP against the production build (`npm run build` first).
 */

function post(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    redirect: "manual",
  });
}

describe("security over HTTP (local mode)", () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    server = await startServer();
    base = server.url;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("sends a CSP with a fresh nonce that every script carries, frame-ancestors 'none', nosniff and a Referrer-Policy", async () => {
    const nonces = new Set<string>();
    for (const path of ["/", "/login", "/about"]) {
      const res = await fetch(`${base}${path}`);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      // Plain http here: no HSTS (it is tested with an https APP_URL below).
      expect(res.headers.get("strict-transport-security")).toBeNull();
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      nonces.add(nonce);
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
    for (const path of ["/api/goals", "/healthz", "/favicon.svg"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });

  it("refuses a POST without a same-site Origin (403) and writes nothing; a same-origin POST works", async () => {
    const before = await mailIds(base);
    const attempts: Record<string, string>[] = [
      {},
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { Origin: "null", "Sec-Fetch-Site": "cross-site" },
      { Origin: base.replace("127.0.0.1", "127.0.0.2") },
      { "Sec-Fetch-Site": "cross-site" },
    ];
    for (const headers of attempts) {
      const res = await post(base, "/login", { email: "admin@example.com" }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toMatch(/Request refused/);
    }
    // Another mutating form, the language switch: refused, and no cookie set.
    const lang = await post(base, "/lang", { lang: "en", returnTo: "/" }, { Origin: "https://evil.example" });
    expect(lang.status).toBe(403);
    expect(lang.headers.get("set-cookie")).toBeNull();
    // A queued message would be in the dev mailbox already (written before the answer): none is.
    expect(await mailIds(base)).toEqual(before);

    const ok = await post(base, "/login", { email: "admin@example.com" }, { Origin: base });
    expect(ok.status).toBe(200);
    expect((await mailIds(base)).length).toBe(before.length + 1);
    // A browser that sends only Sec-Fetch-Site: same-origin also passes.
    const fetchMeta = await post(base, "/login", { email: "nobody@example.com" }, { "Sec-Fetch-Site": "same-origin" });
    expect(fetchMeta.status).toBe(200);
    // …and so does an opaque Origin from a no-referrer page, when the browser says same-origin.
    const opaque = await post(base, "/login", { email: "nobody@example.com" }, { Origin: "null", "Sec-Fetch-Site": "same-origin" });
    expect(opaque.status).toBe(200);
  });

  it("leaves the Stripe webhook to its signature check (exempt from the Origin check)", async () => {
    const res = await fetch(`${base}/webhooks/stripe`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
    expect(res.status).not.toBe(403);
    expect(res.status).toBe(400);
  });

  it("treats the honeypot like a real request in its answer, but sends nothing", async () => {
    const before = await mailIds(base);
    const res = await post(base, "/login", { email: "admin@example.com", website: "http://spam.example" }, { Origin: base });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Kolla din e-post");
    expect(await mailIds(base)).toEqual(before);
  });

  it("signs in from the emailed link, sets a signed httpOnly SameSite=Lax cookie, and sign-out ends the session on the server", async () => {
    const res = await post(base, "/login", { email: "kontakt@exempel-ab.example.com", returnTo: "/account" }, { Origin: base });
    expect(res.status).toBe(200);
    const id = Math.max(...(await mailIds(base)));
    const [link] = (await linksInMail(base, id)).filter((l) => l.includes("/login/verify"));
    expect(link).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/login\/verify\?token=[A-Za-z0-9_-]{43}$/);
    const token = new URL(link).searchParams.get("token")!;

    // Opening the link does not use it up (mail scanners fetch links); the button does.
    const page = await fetch(`${base}/login/verify?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    expect(await page.text()).toContain(`value="${token}"`);

    const signIn = await post(base, "/login/verify", { token }, { Origin: base });
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get("location")).toBe("/account");
    const setCookie = signIn.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^lm_session=[^;]+\.[^;]+;/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Lax/i);
    expect(setCookie).not.toMatch(/; Secure/i);
    const cookie = setCookie.split(";")[0];

    const account = await fetch(`${base}/account`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(account.status).toBe(200);
    expect(account.headers.get("cache-control")).toBe("private, no-store");
    const html = await account.text();
    expect(html).toContain("kontakt@exempel-ab.example.com");
    expect(html).toContain("Demoföretaget Exempel AB");
    expect(html).not.toContain("Demobolaget Prov");

    // The same link again: refused.
    const again = await post(base, "/login/verify", { token }, { Origin: base });
    expect(again.status).toBe(400);
    expect(again.headers.get("set-cookie")).toBeNull();

    // A forged cookie is not a session.
    const forged = cookie.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const anon = await fetch(`${base}/account`, { headers: { Cookie: forged }, redirect: "manual" });
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toBe("/login?returnTo=%2Faccount");

    const out = await post(base, "/logout", {}, { Origin: base, Cookie: cookie });
    expect(out.status).toBe(302);
    expect(out.headers.get("set-cookie")).toMatch(/lm_session=;/);
    // The browser may forget the cookie; a copy kept elsewhere is now worthless too.
    const replay = await fetch(`${base}/account`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toMatch(/^\/login\?returnTo=/);
  });
});

describe("rate limits over HTTP", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(NO_DEMO_DATA);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 429 with a clear message after 5 requests for one address and after 20 from one client", async () => {
    const base = server.url;
    const send = (email: string) => post(base, "/login", { email }, { Origin: base });
    for (let i = 1; i <= 5; i++) expect((await send("admin@example.com")).status, `request ${i}`).toBe(200);
    const limited = await send("admin@example.com");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("För många inloggningsförsök");
    // The same client, other addresses: 6 requests so far, the 20th still passes, the 21st does not.
    for (let i = 7; i <= 20; i++) expect((await send(`other-${i}@example.com`)).status, `request ${i}`).toBe(200);
    const english = await post(base, "/login?lang=en", { email: "yet-another@example.com" }, { Origin: base });
    expect(english.status).toBe(429);
    expect(await english.text()).toContain("Too many sign-in attempts");
  });
});

describe("served over https (APP_URL https://…)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // TRUST_PROXY: the proxy's X-Forwarded-Host is believed only from a trusted peer (decision 0003).
    server = await startServer({ ...NO_DEMO_DATA, APP_URL: "https://lokala.example", ADMIN_EMAILS: "Chef@Lokala.example", TRUST_PROXY: "loopback" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("sends HSTS and a Secure, __Host- prefixed session cookie; ADMIN_EMAILS made the first admin at start", async () => {
    const base = server.url;
    const home = await fetch(`${base}/`);
    expect(home.headers.get("strict-transport-security")).toMatch(/max-age=31536000; includeSubDomains/);
    // The public origin is the one in APP_URL (a TLS proxy in front of this process).
    // As behind a TLS proxy: the browser's Origin is the public one, the proxy passes the public host on.
    const proxied = { Origin: "https://lokala.example", "X-Forwarded-Host": "lokala.example" };
    const res = await post(base, "/login", { email: "chef@lokala.example" }, proxied);
    expect(res.status).toBe(200);
    const id = Math.max(...(await mailIds(base)));
    const [link] = (await linksInMail(base, id)).filter((l) => l.includes("/login/verify"));
    expect(link.startsWith("https://lokala.example/login/verify?token=")).toBe(true);
    const token = new URL(link).searchParams.get("token")!;
    const signIn = await post(base, "/login/verify", { token }, proxied);
    expect(signIn.status).toBe(302);
    const setCookie = signIn.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^__Host-lm_session=/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\//i);
    expect(setCookie).not.toMatch(/Domain=/i);
    const admin = await fetch(`${base}/admin/people`, { headers: { Cookie: setCookie.split(";")[0] }, redirect: "manual" });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain("chef@lokala.example");
    expect(server.output()).toContain("admin from ADMIN_EMAILS: chef@lokala.example");
  });
});
