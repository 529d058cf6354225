// `npm run bench:payroll` (issue 13): 200 employers and 10,000 pledges on PostgreSQL; one month's run for
// every employer (the list, the PAXml and CSV files, the contact's confirmation with reported per-mille
// amounts, and the invoice), timed as a whole; prints the time, each step's wall time and CPU, the
// statements and round trips to PostgreSQL per employer (bench/lib/postgres.mjs wireCounter), the CPU
// this process and its PostgreSQL backends used, and the process's peak memory (RSS).
// Target: under 3 s and 300 MB. The services are the app's own, bundled with esbuild first (as the
// production build bundles them; importing ~400 TypeScript modules one by one through tsx alone took
// 340 MB), on a fresh database.
// Env: BENCH_EMPLOYERS (default 200), BENCH_PLEDGES (default 10000), BENCH_CONCURRENCY (employers at a
//      time within a step, default 4 = the pool's connections; 1 = one after the other),
//      BENCH_DATABASE_URL (a PostgreSQL server; a fresh database is created on it and dropped after),
//      otherwise a throw-away cluster is started with scripts/pg-cluster.sh (as .ci/run does).
import { mkdirSync, writeFileSync } from "node:fs";
import inspector from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { build } from "esbuild";
import { benchDatabase, processCpuMs, wireCounter } from "./lib/postgres.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const EMPLOYERS = Number(process.env.BENCH_EMPLOYERS ?? 200);
const PLEDGES = Number(process.env.BENCH_PLEDGES ?? 10000);
const MONTH = "2026-11-01";
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 4));

// The modules the bench calls, as one file; node_modules stay outside it (Node loads them as the server does).
const bundle = path.join(root, "node_modules/.cache/lokala-bench/payroll.mjs");
mkdirSync(path.dirname(bundle), { recursive: true });
await build({
  stdin: {
    contents: ["client:~db/client.server", "seed:~db/seed", "schema:~db/schema", "run:~/services/workplace/payroll-run.server", "read:~/services/workplace/payroll-read.server", "charity:~/services/settings/charity.server", "bankgiro:~/services/settings/charity-bankgiro.server"]
      .map((m) => `export * as ${m.split(":")[0]} from "${m.split(":")[1]}";`)
      .join("\n"),
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: bundle,
  tsconfig: path.join(root, "tsconfig.json"),
  logLevel: "warning",
  plugins: [{ name: "packages-outside", setup: (b) => b.onResolve({ filter: /^[^./~]/ }, (a) => ({ path: a.path, external: true })) }],
});
const { client, seed, schema, run, read, charity, bankgiro } = await import(bundle);
const pg = await benchDatabase("bench");
// Statements and round trips to PostgreSQL per step (the wait a round trip costs is what a loaded
// machine or a remote database multiplies).
const wire = await wireCounter(Number(new URL(pg.url).port || 5432));

let database;
try {
  database = await client.openDatabase({ databaseUrl: pg.url, max: 4 });
  await client.migrateDatabase(database);
  const db = database.db;
  await seed.seedReferenceData(db);
  const goalIds = (await db.select({ id: schema.goals.id }).from(schema.goals)).map((g) => g.id);

  // --- Setup (not timed): staff with invoice settings (made-up seller), employers, contacts, pledges.
  const [staffPerson] = await db.insert(schema.people).values({ email: "bench-staff@example.com", name: "Bench Staff" }).returning();
  const staff = { db, actor: { kind: "person", personId: staffPerson.id, email: staffPerson.email, name: "Bench Staff", roles: ["admin"], organisations: [] }, locale: "sv" };
  await charity.updateCharityIdentity(staff, { name: "Stödföreningen Hjälpen", organisationNumber: "802005-1952", address: "Storgatan 1, 722 11 Västerås", email: "faktura@example.se", phone: "", website: "" });
  await bankgiro.updateCharityBankgiro(staff, { bankgiro: "900-1231" });
  const orgs = await db
    .insert(schema.organisations)
    .values(Array.from({ length: EMPLOYERS }, (_, i) => ({ name: `Bench Arbetsgivare ${i + 1} AB`, invoiceEmail: `lon${i + 1}@example.com`, address: "Benchgatan 1", postalCode: "722 11", city: "Västerås" })))
    .returning();
  const contacts = await db
    .insert(schema.people)
    .values(orgs.map((o, i) => ({ email: `kontakt${i + 1}@example.com`, name: `Kontakt ${i + 1}` })))
    .returning();
  await db.insert(schema.organisationMembers).values(orgs.map((o, i) => ({ organisationId: o.id, personId: contacts[i].id, isAdmin: true })));
  const programmes = await db
    .insert(schema.workplaceProgrammes)
    .values(orgs.map((o, i) => ({ organisationId: o.id, payCode: "9810", payrollDay: 25, perMilleOffered: true, matchMode: i % 2 ? "percent" : "none", matchPercent: i % 2 ? 50 : null, matchCapOre: i % 2 ? 20000n : null, goalIds })))
    .returning();
  const employees = [];
  for (let i = 0; i < PLEDGES; i += 2000) {
    employees.push(...(await db.insert(schema.people).values(Array.from({ length: Math.min(2000, PLEDGES - i) }, (_, j) => ({ email: `anstalld${i + j + 1}@example.com`, name: `Anställd ${i + j + 1}` }))).returning({ id: schema.people.id })));
  }
  const pledges = [];
  for (let i = 0; i < PLEDGES; i += 2000) {
    const chunk = employees.slice(i, i + 2000).map((e, j) => ({ programmeId: programmes[(i + j) % EMPLOYERS].id, personId: e.id, employeeNumber: String(i + j + 1), consentAt: new Date(), consentVersion: "bench" }));
    pledges.push(...(await db.insert(schema.workplacePledges).values(chunk).returning({ id: schema.workplacePledges.id, programmeId: schema.workplacePledges.programmeId })));
  }
  const perMille = new Set();
  for (let i = 0; i < pledges.length; i += 2000) {
    const rows = pledges.slice(i, i + 2000).flatMap((p, j) => {
      const n = i + j;
      const g = n % 3 === 0 ? [{ goalId: goalIds[n % goalIds.length], percent: 60 }, { goalId: goalIds[(n + 1) % goalIds.length], percent: 40 }] : [{ goalId: goalIds[n % goalIds.length], percent: 100 }];
      if (n % 5 === 4) {
        perMille.add(p.id);
        return [{ pledgeId: p.id, fromMonth: "2026-10-01", state: "active", kind: "per_mille", rateTenths: 10 + (n % 20), goals: g }];
      }
      const first = { pledgeId: p.id, fromMonth: "2026-10-01", state: "active", kind: "fixed", amountOre: BigInt(10000 + (n % 10) * 5000), goals: g };
      // Some change, some pause this month.
      if (n % 7 === 0) return [first, { ...first, fromMonth: MONTH, amountOre: 20000n }];
      if (n % 11 === 0) return [first, { ...first, fromMonth: MONTH, state: "paused" }];
      return [first];
    });
    await db.insert(schema.workplacePledgeTerms).values(rows);
  }
  const byProgramme = new Map(programmes.map((p, i) => [p.id, { programme: p, contact: contacts[i], org: orgs[i] }]));
  global.gc?.();
  const rssAtStart = process.memoryUsage().rss;

  // --- Timed: the month for every employer — list, both files, confirmation with reported amounts, invoice.
  const system = { db, actor: { kind: "system", name: "bench" }, locale: "sv" };
  // The PostgreSQL backends serving this bench's connections (when the server runs on this machine):
  // their CPU, with this process's, says what the run costs whatever else the machine is doing.
  const backends = async () => (await db.execute(sql`select pid from pg_stat_activity where datname = current_database()`)).map((r) => r.pid);
  await Promise.all(Array.from({ length: 4 }, () => db.execute(sql`select pg_sleep(0.01)`)));
  const pgPids = await backends();
  const pgCpuStart = pgPids.reduce((s, pid) => s + processCpuMs(pid), 0);
  // BENCH_PROFILE=file.cpuprofile: a CPU profile of the timed part only (open it in Chrome's DevTools).
  const profiler = process.env.BENCH_PROFILE ? new inspector.Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let bytes = 0;
  let invoices = 0;
  let lines = 0;
  const steps = Object.fromEntries(["run", "paxml", "csv", "list", "confirm"].map((k) => [k, { ms: 0, cpuMs: 0, pgCpuMs: 0, statements: 0, roundTrips: 0 }]));
  // PostgreSQL's CPU per step too (BENCH_PG_STEPS=0: not). Read from /proc around each step (five
  // times in all, now that a step covers every employer); the CPU that costs is kept out of the figures.
  const perStepPg = process.env.BENCH_PG_STEPS !== "0";
  let probeCpuMs = 0;
  const pgCpuNow = () => {
    if (!perStepPg) return 0;
    const c = process.cpuUsage();
    const ms = pgPids.reduce((s, pid) => s + processCpuMs(pid), 0);
    const used = process.cpuUsage(c);
    probeCpuMs += (used.user + used.system) / 1000;
    return ms;
  };
  wire.on = true;
  // Each step for every employer, BENCH_CONCURRENCY (default: the pool's 4 connections) at a time, as
  // the job queue lists the programmes and their contacts download and confirm at the same time; then
  // the next step. Step by step, so each step's wall time and CPU are its own. BENCH_CONCURRENCY=1 runs
  // the employers one after the other (what this bench measured before).
  const employers = [...byProgramme.values()].map(({ programme, contact, org }) => ({
    programme,
    ctx: { db, actor: { kind: "person", personId: contact.id, email: contact.email, name: contact.name, roles: [], organisations: [{ organisationId: org.id, isAdmin: true }] }, locale: "sv" },
  }));
  const step = async (name, fn) => {
    const pg0 = pgCpuNow();
    const [s0, r0] = [wire.statements, wire.roundTrips];
    const t = performance.now();
    const c = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, employers.length) }, async () => {
        while (next < employers.length) await fn(employers[next++]);
      }),
    );
    const used = process.cpuUsage(c);
    steps[name].ms += performance.now() - t;
    steps[name].cpuMs += (used.user + used.system) / 1000;
    steps[name].statements += wire.statements - s0;
    steps[name].roundTrips += wire.roundTrips - r0;
    steps[name].pgCpuMs += pgCpuNow() - pg0;
  };
  await step("run", async (e) => {
    e.run = (await run.runPayrollMonth(system, e.programme.id, MONTH)).run;
  });
  await step("paxml", async (e) => {
    const file = await read.payrollFile(e.ctx, e.run.id, "paxml");
    bytes += file.body.length;
  });
  await step("csv", async (e) => {
    const file = await read.payrollFile(e.ctx, e.run.id, "csv");
    bytes += file.body.length;
  });
  await step("list", async (e) => {
    e.listed = await run.listedPledges(db, e.run.id);
    lines += e.listed.length;
  });
  await step("confirm", async (e) => {
    const reported = Object.fromEntries(e.listed.filter((p) => p.kind === "per_mille" && p.change !== "paused" && p.change !== "stopped").map((p) => [String(p.pledgeId), "187,50"]));
    e.listed = null;
    const { invoice } = await run.confirmRun(e.ctx, e.run.id, { confirm: "yes", reported });
    if (invoice) invoices++;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  wire.on = false;
  if (profiler) writeFileSync(process.env.BENCH_PROFILE, JSON.stringify((await profiler.post("Profiler.stop")).profile));
  const pgCpuMs = pgPids.reduce((s, pid) => s + processCpuMs(pid), 0) - pgCpuStart;
  // The kernel's high-water mark of this process's resident memory (kB), setup included.
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(`bench:payroll — ${EMPLOYERS} employers, ${PLEDGES} pledges (${perMille.size} per-mille) on PostgreSQL`);
  console.log(`  month ${MONTH.slice(0, 7)}: ${lines} listed pledges, ${invoices} invoices, ${(bytes / 1024).toFixed(0)} KiB of PAXml + CSV`);
  console.log(`  time: ${seconds.toFixed(2)} s (target < 3 s), ${CONCURRENCY} employer(s) at a time (BENCH_CONCURRENCY), step by step`);
  console.log(`  CPU: this process ${((cpu.user + cpu.system - probeCpuMs * 1000) / 1e6).toFixed(2)} s, its ${pgPids.length} PostgreSQL backends ${(pgCpuMs / 1000).toFixed(2)} s`);
  console.log(`  per step: wall s / CPU s this process / CPU s PostgreSQL / statements per employer / round trips per employer`);
  for (const [k, v] of Object.entries(steps)) {
    console.log(`    ${k.padEnd(8)} ${(v.ms / 1000).toFixed(2).padStart(6)} ${(v.cpuMs / 1000).toFixed(2).padStart(6)} ${perStepPg ? (v.pgCpuMs / 1000).toFixed(2).padStart(6) : "     -"} ${(v.statements / EMPLOYERS).toFixed(1).padStart(6)} ${(v.roundTrips / EMPLOYERS).toFixed(1).padStart(6)}`);
  }
  console.log(`  per employer: ${(wire.statements / EMPLOYERS).toFixed(1)} statements in ${(wire.roundTrips / EMPLOYERS).toFixed(1)} round trips`);
  console.log(`  load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
  console.log(`  peak memory (RSS): ${(peakRss / 1024 / 1024).toFixed(0)} MB (target < 300 MB); ${(rssAtStart / 1024 / 1024).toFixed(0)} MB when the timed part began`);
} finally {
  await database?.close();
  await pg.drop();
}
