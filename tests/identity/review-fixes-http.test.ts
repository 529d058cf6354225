import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInToken } from "../setup/dev-mailbox";
import { NO_DEMO_DATA, startServer, type RunningServer } from "../setup/server";

/**
 * The security review's findings, over HTTP against the production build (`npx remix vite:build`
 * first), local mode with the demo people. Sign-in requests per client are limited to 20 per
 * 15 minutes: this file stays well under that.
 */

function post(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, ...headers },
    redirect: "manual",
  });
}

async function signIn(base: string, email: string): Promise<string> {
  const token = await signInToken(base, email);
  const res = await post(base, "/login/verify", { token });
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0];
}

describe("review findings over HTTP (local mode)", () => {
  let server: RunningServer;
  let base: string;
  let admin: string;
  beforeAll(async () => {
    server = await startServer();
    base = server.url;
    admin = await signIn(base, "admin@example.com");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("finding 1: a tab, newline or backslash in returnTo never sends the browser to another site after sign-in", async () => {
    const cases: [string, string][] = [
      ["insamlare@example.com", "/\t/evil.example"],
      ["givare@example.com", "/\n/evil.example"],
      ["kontakt@exempel-ab.example.com", "/\\evil.example"],
      ["kontakt@prov-och-test.example.com", "/.//evil.example"],
    ];
    for (const [email, returnTo] of cases) {
      const token = await signInToken(base, email, returnTo);
      const res = await post(base, "/login/verify", { token });
      expect(res.status, JSON.stringify(returnTo)).toBe(302);
      expect(res.headers.get("location"), JSON.stringify(returnTo)).toBe("/account");
    }
    // The sign-in page does not put such a value into its form either.
    const page = await (await fetch(`${base}/login?returnTo=${encodeURIComponent("/\t/evil.example")}`)).text();
    const returnTos = [...page.matchAll(/name="returnTo" value="([^"]*)"/g)].map((m) => m[1]);
    // Only the language switch's own field (this page's address) is left.
    expect(returnTos.every((v) => v.startsWith("/login?")), JSON.stringify(returnTos)).toBe(true);
    // …while an ordinary path survives the round trip.
    expect(await (await fetch(`${base}/login?returnTo=%2Forg%2F1%3Fa%3D1`)).text()).toContain('name="returnTo" value="/org/1?a=1"');
  });

  it("finding 1: the language switch refuses /\\evil.com and a tab", async () => {
    for (const returnTo of ["/\\evil.com", "/\t/evil.com", "//evil.com"]) {
      const res = await post(base, "/lang", { lang: "en", returnTo });
      expect(res.status).toBe(302);
      expect(res.headers.get("location"), JSON.stringify(returnTo)).toBe("/");
    }
    const ok = await post(base, "/lang", { lang: "sv", returnTo: "/about" });
    expect(ok.headers.get("location")).toBe("/about");
  });

  it("finding 2: a known and an unknown address get the same status and page with a NUL in returnTo", async () => {
    const answer = async (email: string) => {
      const res = await post(base, "/login", { email, returnTo: "/\u0000" });
      const body = (await res.text()).replaceAll(email, "EMAIL").replace(/nonce(=|-)"?[A-Za-z0-9+/=]+/g, "nonce");
      return { status: res.status, body };
    };
    const known = await answer("admin@example.com");
    const unknown = await answer("ingen-alls@example.com");
    // A NUL in any field is refused before the action (readForm, issue 8 item 7): alike for both.
    expect(known.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(known.body).toBe(unknown.body);
  });

  it("finding 4: ids beyond PostgreSQL's integer range and malformed person ids are 404/400, never 500", async () => {
    const big = "2147483648";
    const get = (path: string) => fetch(`${base}${path}`, { headers: { Cookie: admin }, redirect: "manual" });
    expect((await get(`/org/${big}`)).status).toBe(404);
    expect((await get(`/admin/organisations/${big}`)).status).toBe(404);
    expect((await post(base, `/admin/organisations/${big}`, { intent: "add", email: "x@example.com" }, { Cookie: admin })).status).toBe(404);
    expect((await get(`/dev/mail/${big}`)).status).toBe(404);

    const list = await (await get("/admin/organisations")).text();
    const orgId = /href="\/admin\/organisations\/(\d+)"/.exec(list)![1];
    for (const personId of ["abc", "1.5", big]) {
      for (const intent of ["remove", "admin"]) {
        const res = await post(base, `/admin/organisations/${orgId}`, { intent, personId, isAdmin: "true" }, { Cookie: admin });
        expect(res.status, `${intent} ${personId}`).toBe(400);
        // The form-level message of a refused service call (app/i18n/service-errors.ts), since the panels of issue 11.
        expect(await res.text()).toContain("Något av det du fyllde i behöver rättas.");
      }
    }
    for (const intent of ["grant", "revoke", "revoke-sessions"]) {
      const res = await post(base, "/admin/people", { intent, personId: "99999999999", role: "fundraiser" }, { Cookie: admin });
      expect(res.status, intent).toBe(400);
    }
    expect((await post(base, "/admin/email", { id: big }, { Cookie: admin })).status).toBe(400);
  });

  it("finding 5: a NUL byte in a name is a 400 with a message, in Swedish and English", async () => {
    const org = await post(base, "/admin/organisations", { name: "\u0000" }, { Cookie: admin });
    expect(org.status).toBe(400);
    expect(await org.text()).toContain("otillåtet tecken");
    const settings = await post(base, "/admin/settings", { name: "x\u0000", organisationNumber: "", address: "", email: "", phone: "", website: "" }, { Cookie: admin });
    expect(settings.status).toBe(400);
    expect(await settings.text()).toContain("otillåtet tecken");
    const english = await post(base, "/admin/settings?lang=en", { name: "x\u0000" }, { Cookie: admin });
    expect(english.status).toBe(400);
    expect(await english.text()).toContain("not allowed");
    // Nothing was saved.
    expect(await (await fetch(`${base}/admin/settings`, { headers: { Cookie: admin } })).text()).toContain('value="Västerås stadsmission"');
  });
});

describe("finding 3: the dev mailbox with real mail configured", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // A key that goes nowhere: nothing is queued in this test, so the worker never calls Resend.
    server = await startServer({ ...NO_DEMO_DATA, RESEND_API_KEY: "re_not_a_real_key", MAIL_FROM: "Lokala mål <noreply@example.org>" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is a 404 at every /dev/mail address, and the sign-in page does not mention it", async () => {
    for (const path of ["/dev/mail", "/dev/mail/1", "/dev/mail/1/html"]) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
    expect(await (await fetch(`${server.url}/login`)).text()).not.toContain("/dev/mail");
  });
});
