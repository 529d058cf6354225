import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../setup/server";

/**
 * The house rules a reviewer would otherwise check by hand (docs/conventions.md, "House style" 1
 * and 3): routes are thin — no Drizzle and no schema in app/routes, no catch of service errors of
 * their own (attempt() in ~/utils/http.server is the one place), at most 200 lines — and no file in
 * app/ is over 400 lines. Route folders (app/routes/<name>/route.tsx and their other files) count
 * as routes too.
 */
const appDir = path.join(repoRoot, "app");
const routesDir = path.join(appDir, "routes");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(tsx?|jsx?|mjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

const lineCount = (file: string) => readFileSync(file, "utf8").replace(/\n$/, "").split("\n").length;
const rel = (file: string) => path.relative(repoRoot, file);

/** What a route file may not contain, each with the rule it breaks. */
const forbiddenInRoutes: [RegExp, string][] = [
  [/from\s+["']drizzle-orm(\/[^"']*)?["']/, "imports drizzle-orm (queries belong in app/services)"],
  [/from\s+["'](~db\/schema|[./]*db\/schema)(\/[^"']*)?["']/, "imports the database schema (queries belong in app/services)"],
  [/instanceof\s+ServiceError/, "catches service errors itself (use attempt() from ~/utils/http.server)"],
];

export function routeRuleBreaks(file: string, text = readFileSync(file, "utf8")): string[] {
  const breaks = forbiddenInRoutes.filter(([pattern]) => pattern.test(text)).map(([, rule]) => `${rel(file)} ${rule}`);
  const lines = text.replace(/\n$/, "").split("\n").length;
  if (lines > 200) breaks.push(`${rel(file)} has ${lines} lines (at most 200 in app/routes)`);
  return breaks;
}

describe("house rules", () => {
  it("finds route files in folders as well as flat ones", () => {
    const routes = filesUnder(routesDir);
    expect(routes.length).toBeGreaterThan(20);
    // The rule check itself: each forbidden thing is caught (so the test below can fail).
    const fake = path.join(routesDir, "fake/route.tsx");
    expect(routeRuleBreaks(fake, 'import { eq } from "drizzle-orm";\n')).toHaveLength(1);
    expect(routeRuleBreaks(fake, 'import { payments } from "~db/schema";\n')).toHaveLength(1);
    expect(routeRuleBreaks(fake, "if (error instanceof ServiceError) return 1;\n")).toHaveLength(1);
    expect(routeRuleBreaks(fake, "x\n".repeat(201))).toHaveLength(1);
    expect(routeRuleBreaks(fake, 'import { attempt } from "~/utils/http.server";\n' + "x\n".repeat(150))).toEqual([]);
  });

  it("keeps every route thin: no Drizzle, no schema, no catch of service errors, at most 200 lines", () => {
    const breaks = filesUnder(routesDir).flatMap((file) => routeRuleBreaks(file));
    expect(breaks, breaks.join("\n")).toEqual([]);
  });

  it("has no file in app/ over 400 lines", () => {
    const long = filesUnder(appDir)
      .map((file) => [rel(file), lineCount(file)] as const)
      .filter(([, lines]) => lines > 400)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    expect(long, long.join("\n")).toEqual([]);
  });

  it("switches on no async hooks on a request's path (app/ and server.mjs): no AsyncLocalStorage, no node:async_hooks", () => {
    // On Node 20 an AsyncLocalStorage that has run once makes Node track every promise of every request
    // from then on: a request scope around each GET cost 15-20 % of a page's CPU (bench:pages, issue 10).
    const uses = [...filesUnder(appDir), path.join(repoRoot, "server.mjs")].filter((file) => /AsyncLocalStorage|["']node:async_hooks["']|\bcreateHook\(/.test(readFileSync(file, "utf8")));
    expect(uses.map(rel)).toEqual([]);
  });
});
