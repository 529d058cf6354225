// `npm run bench:payroll` (issue 13): 200 employers and 10,000 pledges on PostgreSQL; one month's run for
// every employer (the list, the PAXml and CSV files, the contact's confirmation with reported per-mille
// amounts, and the invoice), timed as a whole; prints the time and the process's peak memory (RSS).
// Target: under 3 s and 300 MB. The services are the app's own (imported with tsx), on a fresh database.
// Env: BENCH_EMPLOYERS (default 200), BENCH_PLEDGES (default 10000),
//      BENCH_DATABASE_URL (a PostgreSQL server; a fresh database is created on it and dropped after),
//      otherwise a throw-away cluster is started with scripts/pg-cluster.sh (as .ci/run does).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { tsImport } from "tsx/esm/api";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const EMPLOYERS = Number(process.env.BENCH_EMPLOYERS ?? 200);
const PLEDGES = Number(process.env.BENCH_PLEDGES ?? 10000);
const MONTH = "2026-11-01";

let clusterDir;
let serverUrl = process.env.BENCH_DATABASE_URL;
if (!serverUrl) {
  clusterDir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-pg-"));
  chmodSync(clusterDir, 0o755);
  serverUrl = execFileSync(path.join(root, "scripts/pg-cluster.sh"), ["start", path.join(clusterDir, "cluster")], { encoding: "utf8" }).trim();
}
const dbName = `bench_${randomBytes(5).toString("hex")}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;

const client = await tsImport("../db/client.server.ts", import.meta.url);
const seed = await tsImport("../db/seed.ts", import.meta.url);
const schema = await tsImport("../db/schema/index.ts", import.meta.url);
const run = await tsImport("../app/services/workplace/payroll-run.server.ts", import.meta.url);
const read = await tsImport("../app/services/workplace/payroll-read.server.ts", import.meta.url);
const charity = await tsImport("../app/services/settings/charity.server.ts", import.meta.url);
const bankgiro = await tsImport("../app/services/settings/charity-bankgiro.server.ts", import.meta.url);

let database;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
try {
  database = await client.openDatabase({ databaseUrl: dbUrl.toString(), max: 4 });
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

  // --- Timed: the month for every employer — list, both files, confirmation with reported amounts, invoice.
  const system = { db, actor: { kind: "system", name: "bench" }, locale: "sv" };
  const started = performance.now();
  let bytes = 0;
  let invoices = 0;
  let lines = 0;
  for (const { programme, contact, org } of byProgramme.values()) {
    const ctx = { db, actor: { kind: "person", personId: contact.id, email: contact.email, name: contact.name, roles: [], organisations: [{ organisationId: org.id, isAdmin: true }] }, locale: "sv" };
    const { run: r } = await run.runPayrollMonth(system, programme.id, MONTH);
    bytes += (await read.payrollFile(ctx, r.id, "paxml")).body.length;
    bytes += (await read.payrollFile(ctx, r.id, "csv")).body.length;
    const listed = await run.listedPledges(db, r.id);
    lines += listed.length;
    const reported = Object.fromEntries(listed.filter((p) => p.kind === "per_mille" && p.change !== "paused" && p.change !== "stopped").map((p) => [String(p.pledgeId), "187,50"]));
    const { invoice } = await run.confirmRun(ctx, r.id, { confirm: "yes", reported });
    if (invoice) invoices++;
  }
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(`bench:payroll — ${EMPLOYERS} employers, ${PLEDGES} pledges (${perMille.size} per-mille) on PostgreSQL`);
  console.log(`  month ${MONTH.slice(0, 7)}: ${lines} listed pledges, ${invoices} invoices, ${(bytes / 1024).toFixed(0)} KiB of PAXml + CSV`);
  console.log(`  time: ${seconds.toFixed(2)} s (target < 3 s)`);
  console.log(`  peak memory (RSS): ${(peakRss / 1024 / 1024).toFixed(0)} MB (target < 300 MB)`);
} finally {
  clearInterval(sampler);
  await database?.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  if (clusterDir) {
    execFileSync(path.join(root, "scripts/pg-cluster.sh"), ["stop", path.join(clusterDir, "cluster")]);
    rmSync(clusterDir, { recursive: true, force: true });
  }
}
