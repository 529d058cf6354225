// `node bench/test-db-setup.mjs`: what each test file pays for its database, before and after the
// per-run template (tests/setup/global-db.ts). "before" migrates and seeds an empty database, as every
// test file used to; "after" copies the template the globalSetup builds once per run. Runs alternate
// between the two so that load from other processes falls on both alike; prints median and min.
// Env: BENCH_RUNS (default 5), TEST_DATABASE_URL (PostgreSQL too; else PGlite only).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { tsImport } from "tsx/esm/api";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const base = process.env.TEST_DATABASE_URL;
const global = await tsImport("../tests/setup/global-db.ts", import.meta.url);

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

const dir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-db-"));
const [pgliteBuild, pgliteTemplate] = await timed(() => global.buildPgliteTemplate(dir));
const [postgresBuild, postgresTemplate] = base ? await timed(() => global.buildPostgresTemplate(base)) : [0, ""];

const targets = base ? ["pglite", "postgres"] : ["pglite"];
const results = Object.fromEntries(targets.map((t) => [t, { before: [], after: [], beforeTotal: [], afterTotal: [] }]));

async function measure(target, way) {
  const template = target === "pglite" ? pgliteTemplate : postgresTemplate;
  const [created, database] = await timed(() =>
    way === "after" ? global.copyTemplateDatabase(target, template) : global.freshTestDatabase(target),
  );
  // Proof that the copy is usable and has the reference data.
  const goals = await database.db.execute("select count(*)::int as n from goals");
  const n = (goals.rows ?? goals)[0].n;
  if (!(n > 0)) throw new Error(`${target} ${way}: no goals in the database`);
  const [closed] = await timed(() => database.close());
  results[target][way].push(created);
  results[target][`${way}Total`].push(created + closed);
}

try {
  for (let i = 0; i < runs; i++) {
    for (const target of targets) {
      // Alternate which goes first, so neither always gets the warmer process.
      const order = i % 2 ? ["after", "before"] : ["before", "after"];
      for (const way of order) await measure(target, way);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (base && postgresTemplate) await global.dropPostgresTemplate(base, postgresTemplate);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, ${os.cpus().length} cores, ${runs} runs each`);
console.log(`template, once per run: pglite ${ms(pgliteBuild)}${base ? `, postgres ${ms(postgresBuild)}` : ""}`);
console.log("target    way     create median (min)   create+close median (min)");
for (const target of targets) {
  for (const way of ["before", "after"]) {
    const r = results[target];
    console.log(
      `${target.padEnd(9)} ${way.padEnd(7)} ${`${ms(median(r[way]))} (${ms(Math.min(...r[way]))})`.padEnd(21)} ${ms(median(r[`${way}Total`]))} (${ms(Math.min(...r[`${way}Total`]))})`,
    );
  }
  const r = results[target];
  console.log(`${target.padEnd(9)} ratio   after/before create: ${(median(r.after) / median(r.before)).toFixed(2)}`);
}
