import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MemoryFS, PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase, type Database, type Db } from "~db/client.server";
import * as schema from "~db/schema";
import { seedDemoData, seedReferenceData } from "~db/seed";
import { pgliteMarkers } from "./run-order";

export { whenPgliteTemplatesReady } from "./run-order";

/*
 * Test databases, migrated once per run. The default export is Vitest's globalSetup: it migrates and
 * seeds one database per target, and each test file gets a copy (createTestDatabase in ./db.ts). The
 * templates are built fresh every run from the migrations folder, so a migration added during the
 * day is in them with no cache to invalidate. Both are needed in CI, where database tests run on
 * PostgreSQL only (tests/setup/db.ts): PGlite's for the test servers' data directories, the engine-parity
 * test and the few files that ask for PGlite by name. Nothing here imports Vitest at run time: the
 * globalSetup and bench/test-db-setup.mjs run outside a test worker.
 */

export type DbTarget = "pglite" | "postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /**
     * A PGlite data directory (migrated, reference data seeded), closed: each test file's in-memory PGlite
     * starts from its files, and a server's DATA_DIR/pglite can start as a copy of it.
     */
    pgliteTemplateDir: string;
    /** The PGlite data directory with the demo data loaded too: a server's DATA_DIR/pglite starts as a copy of it. */
    pgliteDemoTemplateDir: string;
    /** Name of a template database on TEST_DATABASE_URL's server, or "" without one. */
    postgresTemplate: string;
    /** The same with the demo data loaded too, for servers started with DEMO_DATA=1 on PostgreSQL; "" without a server. */
    postgresDemoTemplate: string;
  }
}

/** Name prefix of the per-run template databases: runs that share one server (CI jobs, a team) each have their own. */
export const templatePrefix = "lokala_template_";
/** A template left behind by a killed run is dropped by a later run once it is this old. */
const staleAfterMs = 12 * 3600_000;

/** The app's Database over a PGlite client opened here (openDatabase takes no loadDataDir). */
function pgliteDatabase(client: PGlite): Database {
  return { db: drizzle(client, { schema }) as unknown as Db, kind: "pglite", close: () => client.close() };
}

/**
 * Migrates and seeds PGlite in `dir`/pglite-data and closes it. Test files start their PGlite from its
 * files in memory (copyTemplateDatabase); startServer copies the directory as the server's DATA_DIR/pglite.
 */
export async function buildPgliteTemplate(dir: string): Promise<string> {
  const dataDir = path.join(dir, "pglite-data");
  const client = new PGlite(dataDir);
  try {
    const database = pgliteDatabase(client);
    await migrateDatabase(database);
    await seedReferenceData(database.db);
    // PostgreSQL zeroes its shared memory at every start, inside WASM: at the default 128MB that was
    // half of a copy's start (about 1.3 of 2.7 CPU-s, measured). A test database is a few MB. It is in
    // the data directory, so copies and the servers started from them (and their demo copy) get it too.
    await client.exec("alter system set shared_buffers = '16MB'");
    // So that copies start without replaying the migrations' WAL.
    await client.exec("checkpoint");
    return dataDir;
  } finally {
    await client.close();
  }
}

/**
 * A copy of the template's data directory (closed) with the demo data loaded, in `dir`/pglite-demo-data.
 * A server in local mode loads the demo data at every start (about 8 s of CPU on PGlite, more than the
 * rest of its start). The seeders run here, so a broken one fails the run before any test; a test server
 * started from a copy (DEMO_DATA_PRELOADED=1, tests/setup/server.ts) finds their marker and skips them
 * (docs/decisions/0013).
 */
export async function buildPgliteDemoTemplate(dir: string, templateDir: string): Promise<string> {
  const dataDir = path.join(dir, "pglite-demo-data");
  cpSync(templateDir, dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  try {
    await seedDemoData(pgliteDatabase(client).db);
    await client.exec("checkpoint");
    return dataDir;
  } finally {
    await client.close();
  }
}

/** The PostgreSQL template with the demo data loaded too, made from `template` (see buildPgliteDemoTemplate). */
export function buildPostgresDemoTemplate(base: string, template: string): Promise<string> {
  return makeTemplate(base, `${template}_demo`, template, (database) => seedDemoData(database.db));
}

/**
 * Creates, migrates and seeds a template database on `base`'s server, and closes every connection to
 * it (PostgreSQL copies a database only while nobody else is connected to it). It then refuses
 * connections, so nothing can hold it open while test files copy it.
 */
export function buildPostgresTemplate(base: string): Promise<string> {
  const name = `${templatePrefix}${Date.now()}_${randomBytes(4).toString("hex")}`;
  return makeTemplate(base, name, undefined, async (database) => {
    await migrateDatabase(database);
    await seedReferenceData(database.db);
  });
}

/** Creates `name` (empty, or a copy of `from`), fills it, and marks it a template; dropped again if any step fails. */
async function makeTemplate(base: string, name: string, from: string | undefined, fill: (database: Database) => Promise<unknown>): Promise<string> {
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    if (!from) await dropStaleTemplates(admin);
    await createDatabase(admin, name, from);
    const database = await openDatabase({ databaseUrl: databaseUrl(base, name).toString(), max: 1 });
    try {
      await fill(database);
    } finally {
      await database.close();
    }
    await admin.unsafe(`alter database ${name} with is_template true allow_connections false`);
    return name;
  } catch (error) {
    await dropTemplate(admin, name).catch(() => undefined);
    throw error;
  } finally {
    await admin.end();
  }
}

/**
 * How PostgreSQL copies a database (each test file's copy of the template, the templates, a server's empty
 * database from template1): FILE_COPY copies its files after a checkpoint, where PostgreSQL 15's default,
 * WAL_LOG, reads and writes it block by block through the WAL. The test cluster runs with fsync off
 * (scripts/pg-cluster.sh), so the checkpoint costs little. PostgreSQL's own CPU, measured on the test cluster
 * with the 11 MB template: 20 copies and drops each way, interleaved (load 13-17), a copy 0.29-0.31 CPU-s with
 * WAL_LOG, 0.09-0.10 with FILE_COPY, a drop 0.09-0.17 against 0.06 (a connection alone is 0.06). Over 22 database
 * test files on a fresh cluster (copies, tests and the checkpoints the copies force, 2 workers): PostgreSQL's CPU
 * 38.9, 41.1 CPU-s with WAL_LOG, 31.5, 36.8 with FILE_COPY (interleaved, load 16-30). The option is PostgreSQL
 * 15's; an older server gets its only way. Asked once per process.
 */
let fileCopyClause: Promise<string> | undefined;
/** Creates database `name` on `admin`'s server: empty, or a copy of `template`, by file copy where the server has it. */
async function createDatabase(admin: postgres.Sql, name: string, template: string | undefined): Promise<void> {
  fileCopyClause ??= admin`show server_version_num`.then(([row]) => (Number(row.server_version_num) >= 150000 ? " strategy file_copy" : ""));
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ""}${await fileCopyClause}`);
}

async function dropTemplate(admin: postgres.Sql, name: string) {
  const [row] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!row) return;
  await admin.unsafe(`alter database ${name} with is_template false`);
  await admin.unsafe(`drop database ${name} with (force)`);
}

async function dropStaleTemplates(admin: postgres.Sql) {
  const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${templatePrefix + "%"}`;
  for (const { datname } of rows) {
    const createdAt = Number(datname.slice(templatePrefix.length).split("_")[0]);
    if (Number.isFinite(createdAt) && Date.now() - createdAt > staleAfterMs) await dropTemplate(admin, datname).catch(() => undefined);
  }
}

export async function dropPostgresTemplate(base: string, name: string): Promise<void> {
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await dropTemplate(admin, name);
  } finally {
    await admin.end();
  }
}

type TemplateFile = { path: string; data?: Uint8Array };
// Read once per process: files share worker processes, and a file may open several databases.
const templateFiles = new Map<string, TemplateFile[]>();
function pgliteTemplateFiles(dir: string): TemplateFile[] {
  let files = templateFiles.get(dir);
  if (files) return files;
  files = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name));
    // A plain Uint8Array: MEMFS copies what it is given with slice(), which on a Node Buffer is a view
    // and would let one copy's writes reach the next.
    files.push(entry.isDirectory() ? { path: relative } : { path: relative, data: new Uint8Array(readFileSync(path.join(dir, relative))) });
  }
  // Parents before children.
  files.sort((a, b) => a.path.split(path.sep).length - b.path.split(path.sep).length);
  templateFiles.set(dir, files);
  return files;
}

/**
 * An in-memory file system that starts with a copy of a closed data directory's files. PGlite's
 * loadDataDir unpacks a tarball in JavaScript (tinytar), byte by byte: with PostgreSQL's start that was
 * 2.3–3.8 CPU-s per test file; writing the files straight into MEMFS costs a few milliseconds. (PGlite's
 * clone() is dumpDataDir plus loadDataDir: the same tarball both ways.)
 */
class TemplateCopyFs extends MemoryFS {
  constructor(private readonly files: TemplateFile[]) {
    super();
  }

  async initialSyncFs() {
    const fs = this.pg!.Module.FS;
    const root = PGlite.paths.PGDATA;
    fs.mkdirTree(root);
    for (const file of this.files) {
      const target = `${root}/${file.path.split(path.sep).join("/")}`;
      if (file.data) fs.writeFile(target, file.data, { mode: 0o600 });
      else fs.mkdir(target, 0o700);
    }
  }
}

/**
 * A test file's PGlite starts with less shared memory than the template's 16MB of buffers (which the
 * servers started from its directory keep): PostgreSQL zeroes all of it at every start, and a test
 * file's database is a few MB. Single-user mode has one connection, so 3 is plenty and shrinks the
 * per-connection arrays too. Measured at load 25 on 2 cores, 9 opens each interleaved: median CPU of
 * an open and its first query 0.51 s as before, 0.41 s with these (0.37 with 2MB of buffers, which
 * risks evicting the catalog in the larger files; not measurable per file at that load).
 */
const copyStartParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=8MB", "-c", "max_connections=3"];

/** A copy of a template: PGlite in memory from the data directory `template`, or a database copied from `template` on the test server. */
export async function copyTemplateDatabase(target: DbTarget, template: string): Promise<Database> {
  if (target === "pglite") {
    const client = new PGlite({ fs: new TemplateCopyFs(pgliteTemplateFiles(template)), startParams: copyStartParams });
    await client.waitReady;
    return pgliteDatabase(client);
  }
  const url = await createScratchPostgresDatabase(template);
  return dropOnClose(await openDatabase({ databaseUrl: url.toString() }), url);
}

/** Migrates and seeds an empty database: what every test file did before the templates (the fallback, and the bench's "before"). */
export async function freshTestDatabase(target: DbTarget): Promise<Database> {
  if (target === "pglite") {
    const database = await openDatabase({ pgliteDir: "memory://" });
    await migrateDatabase(database);
    await seedReferenceData(database.db);
    return database;
  }
  const url = await createScratchPostgresDatabase();
  const database = dropOnClose(await openDatabase({ databaseUrl: url.toString() }), url);
  await migrateDatabase(database);
  await seedReferenceData(database.db);
  return database;
}

function dropOnClose(database: Database, url: URL): Database {
  return {
    ...database,
    close: async () => {
      await database.close();
      await dropScratchPostgresDatabase(url);
    },
  };
}

/** A URL on TEST_DATABASE_URL's server with another database name. */
export function databaseUrl(base: string, name: string): URL {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url;
}

/**
 * Creates a database on TEST_DATABASE_URL's server and returns its URL: empty, or a copy of
 * `template` (which must have no other connections while it is copied; the globalSetup's refuses them).
 */
export async function createScratchPostgresDatabase(template?: string): Promise<URL> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await createDatabase(admin, name, template);
  } finally {
    await admin.end();
  }
  return databaseUrl(base, name);
}

export async function dropScratchPostgresDatabase(url: URL): Promise<void> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${url.pathname.slice(1)} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Removes a directory without waiting for it: the templates' 2,800 files took 2-3 s of wall to delete at load
 * 10 (0.3 CPU-s; the rest waits on the disk), at the end of every run when nothing else is left to do. A
 * detached `rm` outlives this process; where there is none (Windows) it is deleted here.
 */
function removeInBackground(dir: string) {
  if (process.platform === "win32") return rmSync(dir, { recursive: true, force: true });
  const child = spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" });
  child.on("error", () => rmSync(dir, { recursive: true, force: true }));
  child.unref();
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lokala-test-db-"));
  const base = process.env.TEST_DATABASE_URL;
  const templates: string[] = [];
  // The PGlite templates (about 12 CPU-s of this process, 6-9 s of wall) are built after this function has
  // returned, while the first test files run: on PostgreSQL (CI) only the test servers, the engine-parity test
  // and the few files that ask for PGlite by name use them, and those wait for them (createTestDatabase in
  // ./db.ts, and per-file-state.ts for files that start a server). The PostgreSQL templates take about 1.7 s.
  const dataDir = path.join(dir, "pglite-data");
  const markers = pgliteMarkers(dataDir);
  const pglite = (async () => {
    const built = await buildPgliteTemplate(dir);
    await buildPgliteDemoTemplate(dir, built);
  })().then(
    () => writeFileSync(markers.ready, ""),
    (error: unknown) => {
      writeFileSync(markers.failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
      return error;
    },
  );
  const teardown = async () => {
    // Not while the background build still writes into the directory.
    const failed = await pglite;
    removeInBackground(dir);
    if (base) for (const name of templates.reverse()) await dropPostgresTemplate(base, name);
    // A broken seeder fails the run even when no file needed the templates (before, it failed the globalSetup).
    if (failed) {
      console.error("The run's PGlite templates could not be built:", failed);
      process.exitCode = 1;
    }
  };
  // Each database's demo copy right after its plain template.
  try {
    if (base) {
      const plain = await buildPostgresTemplate(base);
      templates.push(plain);
      templates.push(await buildPostgresDemoTemplate(base, plain));
    }
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("pgliteTemplateDir", dataDir);
  project.provide("pgliteDemoTemplateDir", path.join(dir, "pglite-demo-data"));
  project.provide("postgresTemplate", templates[0] ?? "");
  project.provide("postgresDemoTemplate", templates[1] ?? "");
  return teardown;
}
