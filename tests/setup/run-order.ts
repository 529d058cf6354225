import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/*
 * What a test file waits for before it runs, and the order files start in. `npm test` (scripts/test.mjs) starts
 * the suite together with the production build, and the globalSetup builds PGlite's templates after the first
 * files have started (tests/setup/global-db.ts). A file that starts a server (`node server.mjs` runs the build,
 * on a copy of a PGlite template) or drives Chromium (which loads the server's pages) must wait for both; the
 * others need neither and run meanwhile (./sequencer.ts starts some of them first). Nothing here imports Vitest.
 */

const setupDir = path.dirname(fileURLToPath(import.meta.url));
/** The modules that start a server: a file that imports one of them (directly or through a helper) needs the build. */
const serverModules = new Set(["server.ts", "browser.ts"].map((name) => path.join(setupDir, name)));
const testsDir = path.dirname(setupDir);

const relativeImport = /(?:^|[\s;])(?:import|export)\b[^"';]*?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

function resolveImport(from: string, specifier: string): string | undefined {
  const target = path.resolve(path.dirname(from), specifier);
  return [target, `${target}.ts`, `${target}.tsx`, path.join(target, "index.ts")].find((file) => /\.tsx?$/.test(file) && existsSync(file));
}

const needsCache = new Map<string, boolean>();
/**
 * Whether a test file imports the server or browser setup, following its relative imports under tests/. Read from
 * the source, so it is known before the file runs (the sequencer orders by it). A file that imports server.ts only
 * for a helper (repoRoot, tempDir) counts too: it waits at most for the build, and there are few.
 */
export function needsServer(file: string, seen = new Set<string>()): boolean {
  const cached = needsCache.get(file);
  if (cached !== undefined) return cached;
  if (serverModules.has(file)) return true;
  if (seen.has(file) || !file.startsWith(testsDir)) return false;
  seen.add(file);
  let source = "";
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return false;
  }
  let found = false;
  for (const match of source.matchAll(relativeImport)) {
    const imported = resolveImport(file, match[1] ?? match[2]);
    if (imported && needsServer(imported, seen)) {
      found = true;
      break;
    }
  }
  needsCache.set(file, found);
  return found;
}

/**
 * Waits until the production build that `npm test` runs beside the suite has ended (LOKALA_BUILD_STATUS names the
 * file scripts/test.mjs writes "passed" or "failed" to); throws if it failed. Without the variable (vitest run
 * directly) the build in build/ is used as it is, as before.
 */
export async function whenBuilt(statusFile = process.env.LOKALA_BUILD_STATUS): Promise<void> {
  if (!statusFile) return;
  while (!existsSync(statusFile)) await sleep(50);
  // Written in one call, but it may be read between the file's creation and its content.
  let status = readFileSync(statusFile, "utf8");
  while (!status) {
    await sleep(50);
    status = readFileSync(statusFile, "utf8");
  }
  if (status.trim() !== "passed") throw new Error("The production build failed (its output is above), so no server can start.");
}

/** Written beside the PGlite templates when both are built ("ready") or their build failed ("failed", with the error). */
export const pgliteMarkers = (templateDir: string) => ({ ready: path.join(path.dirname(templateDir), "pglite.ready"), failed: path.join(path.dirname(templateDir), "pglite.failed") });

/**
 * Resolves once the run's PGlite templates are built (tests/setup/global-db.ts builds them after its globalSetup returns);
 * throws the build's error if it failed. Polls for a marker file: the waiter is in a worker process.
 */
export async function whenPgliteTemplatesReady(templateDir: string): Promise<void> {
  const { ready, failed } = pgliteMarkers(templateDir);
  while (!existsSync(ready)) {
    if (existsSync(failed)) throw new Error(`the run's PGlite templates could not be built:\n${readFileSync(failed, "utf8")}`);
    await sleep(50);
  }
}
