// `npm run bench:dashboards` (issue 14 item 6): seed 10 000 and then 1 000 000 payments on PostgreSQL and
// time the staff dashboard's loader (the /admin index route) and GET /api/transparency at each size:
// p50 and p99 of each, and the ratio 1M ÷ 10k (target ≤ 1.5: the reads use the aggregates, whose size
// depends on goals × channels × days, not on payments). Needs the production build (npm run build).
// Both loaders are called in this process from build/server/index.js with a staff session's cookie, so
// the figures are the loaders' own, without HTTP.
// Env: BENCH_DATABASE_URL (a PostgreSQL server; a fresh database is made on it and dropped after),
//      otherwise a throw-away cluster (scripts/pg-cluster.sh); BENCH_RUNS (timed calls per loader, 200).
//
// Seeding is bulk SQL (generate_series), 20 000 payments a statement, spread over the same three years at
// both sizes: ~70 % designated to one goal, the rest split over the five goals, one in twenty partly
// refunded. Triggers are set aside while seeding (session_replication_role = replica: the per-payment
// sum check would otherwise run for each of a million payments in a few big transactions) and the
// aggregates are then rebuilt from the ledger with the same SQL as rebuildReportingAggregates; the
// script checks the aggregates' sum against the ledger's before it times anything.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { benchDatabase } from "./lib/postgres.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const runs = Number(process.env.BENCH_RUNS ?? 200);
const SIZES = [10_000, 1_000_000];
const CHUNK = 20_000;

if (!existsSync(path.join(root, "build/server/index.js"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}

// --- PostgreSQL: a fresh database on BENCH_DATABASE_URL, or a throw-away cluster (bench/lib/postgres.mjs).
const database = await benchDatabase("bench_dash");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-dash-"));
const secret = "d".repeat(48);

async function cleanup() {
  await sql?.end({ timeout: 1 }).catch(() => {});
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

// The app's configuration, then its build: opening its database migrates it and loads the goals.
Object.assign(process.env, {
  TZ: "UTC", NODE_ENV: "production", DATA_DIR: dataDir, DATABASE_URL: database.url, SESSION_SECRET: secret,
  APP_URL: "http://127.0.0.1:3999", DEMO_DATA: "0",
});
let sql;
try {
  const build = await import(pathToFileURL(path.join(root, "build/server/index.js")).href);
  const dashboard = build.routes["routes/admin._index"]?.module?.loader;
  const transparency = build.routes["routes/api.transparency"]?.module?.loader;
  if (!dashboard || !transparency) throw new Error("the build has no admin._index or api.transparency loader");
  // The first call opens (and migrates) the database; the staff person needs the tables.
  await transparency({ request: new Request("http://127.0.0.1:3999/api/transparency"), params: {}, context: {} });

  sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const cookie = await staffCookie(sql);
  const call = {
    dashboard: () => dashboard({ request: new Request("http://127.0.0.1:3999/admin", { headers: { Cookie: cookie } }), params: {}, context: {} }),
    transparency: async () => {
      const res = await transparency({ request: new Request("http://127.0.0.1:3999/api/transparency"), params: {}, context: {} });
      await res.text();
      if (res.status !== 200) throw new Error(`/api/transparency answered ${res.status}`);
    },
  };

  console.log(`\nDashboards benchmark: ${runs} timed calls per loader (after 20 warm-up), ${os.cpus().length} cores, PostgreSQL, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const results = {};
  let seeded = 0;
  for (const size of SIZES) {
    const t0 = Date.now();
    await seed(sql, seeded, size);
    seeded = size;
    const [{ n, entries, agg, src }] = await sql`
      select (select count(*) from payments)::int as n, (select count(*) from ledger_entries)::int as entries,
             (select coalesce(sum(amount_ore), 0) from ledger_daily)::text as agg, (select coalesce(sum(amount_ore), 0) from ledger_entries)::text as src`;
    if (agg !== src) throw new Error(`aggregates ${agg} ≠ ledger ${src}`);
    const [{ rows }] = await sql`select count(*)::int as rows from ledger_daily`;
    console.log(`\n${n.toLocaleString("en")} payments, ${entries.toLocaleString("en")} ledger entries, ${rows.toLocaleString("en")} ledger_daily rows (seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s; aggregates = ledger: ${agg} öre)`);
    results[size] = {};
    for (const [name, fn] of Object.entries(call)) {
      const r = await time(fn);
      results[size][name] = r;
      console.log(`  ${name.padEnd(13)} p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`);
    }
  }
  console.log(`\nratio 1M ÷ 10k (target ≤ 1.5):`);
  let ok = true;
  for (const name of Object.keys(call)) {
    const [small, large] = SIZES.map((s) => results[s][name]);
    const p50 = large.p50 / small.p50;
    const p99 = large.p99 / small.p99;
    ok &&= p50 <= 1.5;
    console.log(`  ${name.padEnd(13)} p50 ${p50.toFixed(2)}   p99 ${p99.toFixed(2)}`);
  }
  console.log(ok ? "target met (p50)" : "TARGET MISSED (p50)");
  await cleanup();
  process.exit(ok ? 0 : 1);
} catch (error) {
  console.error(error);
  await cleanup();
  process.exit(2);
}

async function time(fn) {
  for (let i = 0; i < 20; i++) await fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** A staff person (admin) with a session, and the cookie the app would set for it. */
async function staffCookie(sql) {
  const { createCookie } = await import("@remix-run/node");
  const [person] = await sql`insert into people (email, name) values ('bench.staff@example.org', 'Bench Staff') returning id`;
  await sql`insert into staff_roles (person_id, role) values (${person.id}, 'admin')`;
  const token = randomBytes(32).toString("base64url");
  const id = createHash("sha256").update(token).digest("hex");
  await sql`insert into sessions (id, person_id, expires_at) values (${id}, ${person.id}, now() + interval '30 days')`;
  const cookie = createCookie("lm_session", { path: "/", httpOnly: true, sameSite: "lax", secure: false, secrets: [secret] });
  return (await cookie.serialize(token)).split(";")[0];
}

/** Payments from..to (ids after the ones already seeded), their allocations and some refunds, then the aggregates. */
async function seed(sql, from, to) {
  const goals = (await sql`select id from goals order by number`).map((g) => g.id);
  const channels = ["one_off_gift", "monthly_gift", "partner_fee", "salary_giving", "collection", "competition"];
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    for (let start = from + 1; start <= to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK - 1);
      // i → a paid payment: amount a multiple of 5 kr (an undesignated one splits evenly), paid at a
      // moment in 2024-01-01 … 2026-11-29 (Stockholm), goal by i, channel by i.
      await tx.unsafe(
        `insert into payments (channel, status, method, amount_ore, currency, goal_id, origin, paid_at, created_at, updated_at, checkout_session_id, refunded_ore)
         select ($1::text[])[(1 + (i * 7) % 6)::int], 'paid', 'card', (5 + (i * 37) % 2000) * 500, 'sek',
                case when i % 10 < 7 then ($2::int[])[(1 + i % 5)::int] end, 'demo',
                t, t, t, 'cs_bench_' || i, case when i % 20 = 0 then ((5 + (i * 37) % 2000) * 500) / 2 else 0 end
           from generate_series($3::bigint, $4::bigint) i,
                lateral (select timestamptz '2024-01-01 00:00 Europe/Stockholm' + ((i * 7919) % 1060) * interval '1 day' + ((i * 104729) % 86400) * interval '1 second' as t) p`,
        [channels, goals, start, end],
      );
    }
    // Allocations: the goal's whole amount, or a fifth to each goal; refunds: half back, the same way.
    await tx.unsafe(
      `insert into ledger_entries (goal_id, amount_ore, channel, kind, payment_id, entry_key, author, created_at)
       select g.goal_id, g.part, p.channel, 'allocation', p.id, 'alloc:' || p.id || ':' || g.goal_id, 'bench', p.paid_at
         from payments p
         cross join lateral (
           select p.goal_id as goal_id, p.amount_ore as part where p.goal_id is not null
           union all select x, p.amount_ore / 5 from unnest($1::int[]) x where p.goal_id is null
         ) g
        where p.checkout_session_id like 'cs_bench_%' and p.id > $2::bigint`,
      [goals, await maxSeededId(tx, from)],
    );
    await tx.unsafe(
      `insert into ledger_entries (goal_id, amount_ore, channel, kind, payment_id, entry_key, reason, author, created_at)
       select e.goal_id, -(e.amount_ore / 2), e.channel, 'reversal', e.payment_id, 'rev:' || e.payment_id || ':' || p.refunded_ore || ':' || e.goal_id, 'refund', 'bench', p.paid_at + interval '3 days'
         from ledger_entries e join payments p on p.id = e.payment_id
        where e.kind = 'allocation' and p.refunded_ore > 0 and p.id > $1::bigint and p.checkout_session_id like 'cs_bench_%'`,
      [await maxSeededId(tx, from)],
    );
  });
  // The same SQL as rebuildReportingAggregates (app/services/reporting/totals.server.ts).
  await sql.begin(async (tx) => {
    await tx`delete from ledger_daily`;
    await tx`delete from gift_daily`;
    await tx`insert into ledger_daily (goal_id, channel, day, slot, amount_ore, entries)
             select goal_id, channel, (created_at at time zone 'Europe/Stockholm')::date, 0, sum(amount_ore), count(*) from ledger_entries group by 1, 2, 3`;
    await tx`insert into gift_daily (goal_id, channel, day, slot, gifts, amount_ore)
             select goal_id, channel, (coalesce(paid_at, created_at) at time zone 'Europe/Stockholm')::date, 0, count(*), sum(amount_ore)
               from payments where status = 'paid' and currency = 'sek' group by 1, 2, 3`;
  });
  await sql`analyze`;
}

/** The id of the last payment seeded before this round (0 before the first). */
async function maxSeededId(tx, seededBefore) {
  if (seededBefore === 0) return 0;
  const [row] = await tx.unsafe(`select id from payments where checkout_session_id = $1`, [`cs_bench_${seededBefore}`]);
  return row.id;
}
