import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailsTo, signIn as signInAs } from "../setup/dev-mailbox";
import { startServer, type RunningServer } from "../setup/server";

/**
 * The donor's way in, over HTTP against the production build with the demo data: a donor who has no
 * person (demo.manadsgivare@example.com gave a monthly gift) asks for a link like anyone else, gets
 * the same answer as a known and an unknown address, signs in, and sees their gifts on /account.
 */
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

function post(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, ...headers },
    redirect: "manual",
  });
}

describe("donor sign-in and /account over HTTP (demo data)", () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    // A first start with demo data is slow on a busy machine (PGlite, migrations, the demo gifts).
    server = await startServer({ DEMO_DATA: "1" }, 280_000);
    base = server.url;
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  const signIn = (email: string) => signInAs(base, email, { "User-Agent": IPHONE });

  it("starts from the run's demo template without running the seeders again (DEMO_DATA_PRELOADED, tests/setup/server.ts)", () => {
    // Its demo people below are the template's: the globalSetup's seedDemoData wrote the marker after them.
    expect(server.output()).toContain("demo data in place");
    expect(server.output()).not.toContain("demo data loaded");
  });

  it("answers a known, a donor-only and an unknown address with the same page; each gets a link", async () => {
    const addresses = { known: "givare@example.com", donor: "demo.manadsgivare@example.com", unknown: "ingen.alls@example.com" };
    const pages: Record<string, { status: number; body: string; ms: number }> = {};
    for (const [kind, email] of Object.entries(addresses)) {
      const started = performance.now();
      const res = await post(base, "/login", { email });
      const body = await res.text();
      // The page echoes the address and carries a fresh CSP nonce; apart from those it must be the same.
      pages[kind] = { status: res.status, body: body.replaceAll(email, "<email>").replace(/nonce="[^"]+"/g, 'nonce=""'), ms: performance.now() - started };
    }
    expect(pages.known.status).toBe(200);
    expect(pages.donor.status).toBe(200);
    expect(pages.unknown.status).toBe(200);
    expect(pages.donor.body).toBe(pages.known.body);
    expect(pages.unknown.body).toBe(pages.known.body);
    expect(pages.known.body).toContain("Kolla din e-post");
    for (const p of Object.values(pages)) expect(p.ms).toBeGreaterThanOrEqual(290);

    // The links were queued before each answer (the dev mailbox lists queued messages too).
    // Every address gets its link (a newcomer's person is made when the link is used: login-newcomer.test.ts).
    for (const email of Object.values(addresses)) expect(await mailsTo(base, email), email).toHaveLength(1);
  });

  it("shows a donor who signed in with their giving address their gifts, receipts, monthly gift and this device", async () => {
    const cookie = await signIn("demo.manadsgivare@example.com");
    const res = await fetch(`${base}/account`, { headers: { Cookie: cookie, "User-Agent": IPHONE } });
    expect(res.status).toBe(200);
    const html = await res.text();
    // Two paid months of 200 kr to "Alla är trygga", each with its receipt; the monthly gift with its manage link.
    expect(html.match(/data-testid="gift"/g)).toHaveLength(2);
    expect(html.match(/data-testid="receipt"/g)).toHaveLength(2);
    expect(html).toContain("Månadsgåva");
    expect(html).toContain("Alla är trygga");
    expect(html).toContain("Betald");
    expect(html).toMatch(/href="\/give\/monthly\/\d+\.[A-Za-z0-9_-]{32}"/);
    expect(html).toContain("200\u00a0kr i månaden");
    expect(html).toContain("Safari på iPhone");
    expect(html).toContain("Den här enheten");
    expect(html).not.toContain("Mozilla/5.0");
    // Other demo donors' gifts (500 kr, 1 000 kr …) are not here.
    expect(html).not.toContain("1\u00a0000 kr");
    expect(html).not.toContain("500\u00a0kr");
  });

  it("tells a person without gifts what to do instead of showing an empty table", async () => {
    const cookie = await signIn("givare@example.com");
    const html = await (await fetch(`${base}/account`, { headers: { Cookie: cookie } })).text();
    // The empty state says what to do, with the link to do it.
    expect(html).toMatch(/data-testid="gifts-empty"[^>]*>Du har inte gett någon gåva ännu —(<!-- -->)? ?<a[^>]*href="\/give">ge en gåva<\/a>/);
    expect(html).toContain("Du har ingen månadsgåva");
    expect(html).not.toContain('data-testid="gift"');
  });
});
