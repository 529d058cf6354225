import { createCookie } from "@remix-run/node";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashToken, newToken } from "~/services/auth/tokens.server";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../setup/db";
import { startServer, type RunningServer } from "../setup/server";

/**
 * Two app instances on one PostgreSQL database (as behind a load balancer): the sign-in rate limit
 * is shared, the two outbox workers send every message exactly once, a sign-out on one ends the
 * session on the other although each keeps the sessions it looked up, and a goal's new text shows on both
 * although each keeps the public facts it read. Needs TEST_DATABASE_URL
 * (CI sets it) and the production build.
 */
const SESSION_SECRET = "two-instances-".padEnd(40, "z");

describe.runIf(!!process.env.TEST_DATABASE_URL)("two app instances on one PostgreSQL", () => {
  let url: URL;
  let one: RunningServer;
  let two: RunningServer;
  beforeAll(async () => {
    url = await createScratchPostgresDatabase();
    // Sessions and public facts kept a minute: only the notifications of migrations 0036 and 0037 can make the
    // other instance forget them.
    const env = { DATABASE_URL: url.toString(), DEMO_DATA: "1", SESSION_SECRET, SESSION_CACHE_MS: "60000", PUBLIC_READS_MS: "60000" };
    [one, two] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    if (url) await dropScratchPostgresDatabase(url);
  });

  it("shares the per-client limit across instances and sends each queued email once", async () => {
    const addresses = ["admin@example.com", "insamlare@example.com", "kontakt@exempel-ab.example.com", "kontakt@prov-och-test.example.com", "givare@example.com"];
    const send = (server: RunningServer, email: string) =>
      fetch(`${server.url}/login`, {
        method: "POST",
        body: new URLSearchParams({ email }),
        headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      });
    // 20 requests from this client, alternating instances, 4 per address.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await send(i % 2 ? two : one, addresses[i % 5])).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The 21st, on either instance, is over the shared limit.
    expect((await send(one, "admin@example.com")).status).toBe(429);
    expect((await send(two, "givare@example.com")).status).toBe(429);

    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      let rows: { status: string; attempts: number; to: string }[] = [];
      for (let i = 0; i < 100; i++) {
        rows = await sql<{ status: string; attempts: number; to: string }[]>`select status, attempts, "to" from email_outbox`;
        if (rows.length === 20 && rows.every((r) => r.status === "sent")) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
      // On PostgreSQL each instance's email worker runs in a worker thread (worker-thread.server.ts).
      for (const server of [one, two]) expect(server.output()).toContain("email worker: worker thread");
      // The demo data was loaded once although both instances started at once: no demo organisation twice.
      const orgs = await sql<{ n: number; names: number }[]>`select count(*)::int as n, count(distinct name)::int as names from organisations where demo`;
      expect(orgs[0].n).toBeGreaterThan(0);
      expect(orgs[0].n).toBe(orgs[0].names);
    } finally {
      await sql.end();
    }
  });

  it("ends a session on both instances when the person signs out on one, though the other had kept it", async () => {
    // A session made in the database, as a sign-in would (the sign-in limit is the first test's to count).
    const token = newToken();
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql`insert into sessions (id, person_id, created_at, last_seen_at, expires_at)
        select ${hashToken(token)}, id, now(), now(), now() + interval '1 hour' from people where email = 'givare@example.com'`;
    } finally {
      await sql.end();
    }
    const cookie = (await createCookie("lm_session", { secrets: [SESSION_SECRET] }).serialize(token)).split(";")[0];
    const account = (server: RunningServer) => fetch(`${server.url}/account`, { headers: { cookie }, redirect: "manual" });
    // Both instances look it up, and keep it.
    expect((await account(one)).status).toBe(200);
    expect((await account(two)).status).toBe(200);
    expect((await account(two)).status).toBe(200);

    const out = await fetch(`${one.url}/logout`, { method: "POST", headers: { cookie, Origin: one.url }, redirect: "manual" });
    expect(out.status).toBe(302);
    expect((await account(one)).headers.get("location")).toMatch(/^\/login/);
    // The other instance forgets within moments of the sign-out, not a minute later.
    await vi.waitFor(async () => expect((await account(two)).headers.get("location")).toMatch(/^\/login/), { timeout: 2000, interval: 25 });
  });

  it("shows a goal's new title on both instances within moments, though each had kept the goals it read", async () => {
    // /give is rendered for every visitor (no page cache), from the goals each instance keeps.
    const give = async (server: RunningServer) => (await fetch(`${server.url}/give`)).text();
    expect(await give(one)).toContain("Alla är trygga");
    expect(await give(two)).toContain("Alla är trygga");
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql`update goals set title_sv = 'Alla är trygga i Västerås' where slug = 'alla-ar-trygga'`;
      for (const server of [one, two]) {
        await vi.waitFor(async () => expect(await give(server)).toContain("Alla är trygga i Västerås"), { timeout: 2000, interval: 25 });
      }
    } finally {
      await sql`update goals set title_sv = 'Alla är trygga' where slug = 'alla-ar-trygga'`;
      await sql.end();
    }
  });

  it("runs the partnership renewals once although both instances work the jobs: one notice, one email per recipient (issue 11)", async () => {
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      // An active partnership of a demo company that ends within the notice period (10 days from today, whatever today is).
      const [p] = await sql<{ id: number }[]>`
        insert into partnerships (organisation_id, goal_id, tier, status, agreed_yearly_ore, starts_on, ends_on, demo)
        select o.id, g.id, 'partner', 'active', 1000000, current_date - 300, current_date + 10, true
        from organisations o, goals g where o.demo order by o.id, g.number limit 1
        returning id`;
      // Two runs due now under two keys, so each instance's worker can claim one at the same moment.
      await sql`insert into jobs (kind, dedupe_key, run_at) values ('partnership_renewals', 'two-instances-a', now()), ('partnership_renewals', 'two-instances-b', now())`;
      let done = 0;
      for (let i = 0; i < 300 && done < 2; i++) {
        [{ done }] = await sql<{ done: number }[]>`select count(*)::int as done from jobs where dedupe_key like 'two-instances-%' and status = 'done'`;
        if (done < 2) await new Promise((r) => setTimeout(r, 200));
      }
      expect(done).toBe(2);
      const notices = await sql<{ recipients: number }[]>`select recipients from partnership_renewal_notices where partnership_id = ${p.id}`;
      expect(notices).toHaveLength(1);
      const mails = await sql<{ to: string }[]>`select "to" from email_outbox where dedupe_key like ${`partnership-renewal:${p.id}:%`}`;
      expect(mails.length).toBeGreaterThan(0);
      expect(mails).toHaveLength(notices[0].recipients);
      expect(new Set(mails.map((m) => m.to)).size).toBe(mails.length);
      const [{ status }] = await sql<{ status: string }[]>`select status from partnerships where id = ${p.id}`;
      expect(status).toBe("renewal_due");
    } finally {
      await sql.end();
    }
  });
});
