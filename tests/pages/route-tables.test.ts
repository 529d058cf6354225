import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, describe, expect, it, vi } from "vitest";

/**
 * patches/ changes React Router and Remix where a server rebuilt its route tables for every request
 * (issue 10 item 6): @remix-run/router keeps the flattened, ranked branches per route array, the
 * matches per path and the compiled path patterns; RemixServer keeps its route tree per build manifest and createStaticRouter its
 * data routes per tree. These tests hold the patched modules against the published ones (the patch
 * reversed with `git apply -R` on a copy), with the app's own ~100 routes.
 */
const root = path.resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(path.join(os.tmpdir(), "lokala-upstream-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type RouteObject = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: RouteObject[] };
type Match = { route: { id: string }; params: Record<string, string | undefined>; pathname: string; pathnameBase: string };
type Router = {
  matchRoutes: (routes: RouteObject[], location: string | { pathname: string }, basename?: string) => Match[] | null;
  matchPath: (pattern: { path: string; caseSensitive?: boolean; end?: boolean }, pathname: string) => { params: object; pathname: string; pathnameBase: string } | null;
  UNSAFE_convertRoutesToDataRoutes: (routes: RouteObject[], mapRouteProperties: (route: RouteObject) => object) => RouteObject[];
  createStaticHandler: (routes: RouteObject[]) => { query: (request: Request) => Promise<object> };
  createRouter: (init: object) => { routes: RouteObject[]; patchRoutes: (routeId: string | null, children: RouteObject[]) => void; dispose: () => void };
  createMemoryHistory: (options?: object) => object;
};

const patchFiles = readdirSync(path.join(root, "patches")).map((name) => path.join(root, "patches", name));
/** node_modules-relative paths of the files the patches change. */
const patchedFiles = patchFiles.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/^diff --git a\/node_modules\/(\S+)/gm)].map((m) => m[1]));

/** The published text of an installed file: the patch that changed it, reversed on a copy. */
function upstreamSource(file: string): string {
  const patch = patchFiles.find((p) => readFileSync(p, "utf8").includes(`a/node_modules/${file} `));
  if (!patch) throw new Error(`no patch changes ${file}`);
  const dir = mkdtempSync(path.join(scratch, "p-"));
  for (const changed of [...readFileSync(patch, "utf8").matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1])) {
    mkdirSync(path.dirname(path.join(dir, changed)), { recursive: true });
    writeFileSync(path.join(dir, changed), readFileSync(path.join(root, changed)));
  }
  execFileSync("git", ["apply", "-R", patch], { cwd: dir });
  return readFileSync(path.join(dir, "node_modules", file), "utf8");
}

/** Runs `source` as if it were the installed file (its own relative requires), with some requires swapped. */
function load<T>(file: string, source: string, swaps: Record<string, unknown> = {}): T {
  const filename = path.join(root, "node_modules", file);
  type Loadable = Module & { _compile: (source: string, filename: string) => void };
  const mod = new Module(filename) as Loadable;
  mod.filename = filename;
  mod.paths = (Module as unknown as { _nodeModulePaths: (dir: string) => string[] })._nodeModulePaths(path.dirname(filename));
  const own = mod.require.bind(mod);
  mod.require = ((id: string) => (id in swaps ? swaps[id] : own(id))) as typeof mod.require;
  mod._compile(source, filename);
  return mod.exports as T;
}

const patched = require("@remix-run/router") as Router;
const upstream = load<Router>("@remix-run/router/dist/router.cjs.js", upstreamSource("@remix-run/router/dist/router.cjs.js"));

// The app's route manifest as Remix makes it from app/routes (remix.config.js ignores tests and dot files).
type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };
const { flatRoutes } = require("@remix-run/dev/dist/config/flat-routes.js") as {
  flatRoutes: (appDirectory: string, ignored: string[]) => Record<string, ManifestRoute>;
};
const manifestRoutes: Record<string, ManifestRoute> = { root: { id: "root", path: "" }, ...flatRoutes(path.join(root, "app"), ["**/*.test.*", "**/.*"]) };
const appTree = (parentId = "root"): RouteObject[] =>
  Object.values(manifestRoutes)
    .filter((r) => r.parentId === parentId)
    .map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, ...(r.index ? {} : { children: appTree(r.id) }) }));
const appRoutes = (): RouteObject[] => [{ id: "root", path: "", children: appTree() }];

/** Full paths of every route, with each parameter filled in. */
function urlsOf(routes: RouteObject[], base = ""): string[] {
  return routes.flatMap((route) => {
    const own = [base, route.path ?? ""].filter(Boolean).join("/");
    const paths = route.path !== undefined || route.index ? [own] : [];
    return [...paths, ...urlsOf(route.children ?? [], own)];
  });
}
const urls = [
  ...new Set(
    urlsOf(appRoutes()).flatMap((p) => {
      const url = "/" + p.replace(/^\/+/, "");
      const filled = url.replace(/:[\w-]+/g, "x-1").replace(/\*$/, "a/b");
      return [filled, filled + "/", filled.toUpperCase(), filled + "/extra", url.replace(/:[\w-]+/g, "%C3%A5%2Fb")];
    }),
  ),
  "/",
  "//",
  "/no/such/page",
  "/goals/%E0%A4%A",
];
const strip = (matches: Match[] | null) => matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;

describe("patched route matching (patches/, issue 10 item 6)", () => {
  it("changes only the files Node loads: the browser's ES module builds are the published ones", () => {
    expect(patchedFiles.sort()).toEqual([
      "@remix-run/react/dist/server.js",
      "@remix-run/router/dist/router.cjs.js",
      "@remix-run/server-runtime/dist/data.js",
      "@remix-run/server-runtime/dist/server.js",
      "@remix-run/server-runtime/dist/single-fetch.js",
      "react-router-dom/server.js",
      "turbo-stream/dist/turbo-stream.js",
    ]);
    for (const [pkg, serverFile] of [
      ["@remix-run/router", "dist/router.cjs.js"],
      ["@remix-run/react", "dist/index.js"],
      ["@remix-run/server-runtime", "dist/index.js"],
      ["react-router-dom", "dist/main.js"],
    ]) {
      const manifest = JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8"));
      // Node (no "exports" map) loads "main"; Vite's browser build takes "module", which no patch touches.
      expect(manifest.exports).toBeUndefined();
      expect(manifest.main.replace(/^\.\//, "")).toBe(serverFile);
      expect(patchedFiles.some((f) => f.startsWith(`${pkg}/${manifest.module.replace(/^\.\//, "")}`))).toBe(false);
    }
    // turbo-stream has an "exports" map: Node's require (server-runtime's CommonJS) takes the patched file, an
    // import (Vite's browser build, through @remix-run/react's ES modules) the .mjs, which no patch touches.
    const turbo = JSON.parse(readFileSync(path.join(root, "node_modules/turbo-stream/package.json"), "utf8"));
    expect(turbo.exports["."].require).toBe("./dist/turbo-stream.js");
    expect(turbo.exports["."].import).toBe("./dist/turbo-stream.mjs");
    expect(patchedFiles).not.toContain("turbo-stream/dist/turbo-stream.mjs");
    const browserBuild = readFileSync(path.join(root, "node_modules/@remix-run/router/dist/router.js"), "utf8");
    expect(browserBuild).not.toContain("Lokala");
    expect(browserBuild).toContain("let branches = flattenRoutes(routes);");
  });

  it("matches every route of the app as the published router does, also from its kept tables", () => {
    const routes = appRoutes();
    const dataRoutes = patched.UNSAFE_convertRoutesToDataRoutes(appRoutes(), () => ({}));
    expect(urls.length).toBeGreaterThan(400);
    const all = (router: Router) =>
      urls.map((url) => [url, strip(router.matchRoutes(routes, url)), strip(router.matchRoutes(dataRoutes, { pathname: url })), strip(router.matchRoutes(routes, `/base${url}`, "/base"))]);
    // The malformed URL makes both routers warn.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const expected = all(upstream);
      // Twice: the second round comes from the kept tables.
      expect(all(patched)).toEqual(expected);
      expect(all(patched)).toEqual(expected);
      expect(expected.filter(([, matches]) => matches !== null).length).toBeGreaterThan(300);
      // Kept matches come out as copies, with one params object per list as the published router makes them.
      for (const url of urls) {
        const matches = patched.matchRoutes(routes, url);
        if (!matches) continue;
        expect(new Set(matches.map((m) => m.params)).size).toBe(1);
        matches[0].params.changed = "by a caller";
        expect(patched.matchRoutes(routes, url)?.[0].params).not.toHaveProperty("changed");
      }
    } finally {
      warn.mockRestore();
    }
    for (const pattern of ["goals/:slug", "/admin/*", "*", "", "/", "a/:b?/c", "Give", "/give/", "files/*.pdf"]) {
      for (const flags of [{}, { caseSensitive: true }, { end: false }, { caseSensitive: true, end: false }]) {
        for (const url of ["/goals/x", "/admin/a/b", "/give", "/Give", "/a/c", "/a/b/c", "/files/x.pdf", "/"]) {
          expect(patched.matchPath({ path: pattern, ...flags }, url)).toEqual(upstream.matchPath({ path: pattern, ...flags }, url));
        }
      }
    }
  });

  it("flattens and ranks a route array once and compiles each path pattern once", () => {
    let pathReads = 0;
    const counted = (route: RouteObject): RouteObject => {
      const children = route.children?.map(counted);
      const { path: own, ...rest } = route;
      return Object.defineProperty({ ...rest, ...(children ? { children } : {}) }, "path", { enumerable: true, get: () => (pathReads++, own) });
    };
    const routes = appRoutes().map(counted);
    const RealRegExp = globalThis.RegExp;
    const compiled = vi.spyOn(globalThis, "RegExp");
    try {
      patched.matchRoutes(routes, "/goals/alla-ar-trygga");
      const [reads, regexps] = [pathReads, compiled.mock.calls.length];
      expect(reads).toBeGreaterThan(90);
      for (let i = 0; i < 5; i++) patched.matchRoutes(routes, i % 2 ? "/give" : "/goals/alla-ar-trygga");
      // The published router reads every route's path and compiles a pattern per branch it tries, each call.
      expect(pathReads).toBe(reads);
      expect(compiled.mock.calls.length).toBeLessThanOrEqual(regexps + 20);
      const before = compiled.mock.calls.length;
      patched.matchRoutes(routes, "/goals/alla-ar-trygga");
      expect(compiled.mock.calls.length).toBe(before);
    } finally {
      compiled.mockRestore();
    }
    expect(globalThis.RegExp).toBe(RealRegExp);
  });

  it("sees routes a client router patches in (lazy route discovery), as the published router does", () => {
    for (const router of [patched, upstream]) {
      const client = router.createRouter({ routes: [{ id: "root", path: "/", children: [{ id: "a", path: "a" }] }], history: router.createMemoryHistory() });
      expect(router.matchRoutes(client.routes, "/b")).toBeNull();
      client.patchRoutes("root", [{ id: "b", path: "b" }]);
      expect(strip(router.matchRoutes(client.routes, "/b"))?.map((m) => m.id)).toEqual(["root", "b"]);
      client.patchRoutes(null, [{ id: "c", path: "/c" }]);
      expect(strip(router.matchRoutes(client.routes, "/c"))?.map((m) => m.id)).toEqual(["c"]);
      client.dispose();
    }
  });
});

describe("patched page renders (RemixServer, createStaticRouter)", () => {
  type RemixServerProps = { context: object; url: string };
  const { RemixServer } = require("@remix-run/react/dist/server.js") as { RemixServer: ComponentType<RemixServerProps> };
  const upstreamStatic = load<object>("react-router-dom/server.js", upstreamSource("react-router-dom/server.js"));
  const upstreamServer = load<{ RemixServer: ComponentType<RemixServerProps> }>("@remix-run/react/dist/server.js", upstreamSource("@remix-run/react/dist/server.js"), {
    "react-router-dom/server": upstreamStatic,
  }).RemixServer;
  const { Outlet } = require("@remix-run/react") as { Outlet: ComponentType };
  const serverRoutes = require("@remix-run/react/dist/routes.js") as { createServerRoutes: (...args: unknown[]) => unknown };
  const page = (id: string) => () => createElement("p", null, id);
  const modulesOf = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, { default: id === "root" ? () => createElement("main", null, createElement(Outlet)) : page(id) }]));
  const manifest = { routes: Object.fromEntries(Object.entries(manifestRoutes).map(([id, r]) => [id, { ...r, hasLoader: false }])), entry: { module: "", imports: [] }, url: "", version: "" };
  const future = { v3_singleFetch: false };
  const handler = patched.createStaticHandler(appRoutes());

  async function html(Server: ComponentType<RemixServerProps>, url: string, routeModules: object) {
    const staticHandlerContext = await handler.query(new Request(`http://localhost${url}`));
    // Remix makes a new route-modules object for each request (createEntryRouteModules).
    const context = { manifest, routeModules: { ...routeModules }, staticHandlerContext, future, isSpaMode: false, serverHandoffString: "", renderMeta: {} };
    return renderToString(createElement(Server, { context, url: `http://localhost${url}` }));
  }

  it("render from one route tree per build, with the published HTML, and a new tree when a route module changes", async () => {
    const modules = modulesOf(Object.keys(manifestRoutes));
    const made = vi.spyOn(serverRoutes, "createServerRoutes");
    try {
      const pages = ["/goals/alla-ar-trygga", "/give", "/", "/admin/people/7", "/goals/barn-och-unga", "/give"];
      for (const url of pages) {
        const expected = await html(upstreamServer, url, modules);
        made.mockClear();
        const got = await html(RemixServer, url, modules);
        expect(got).toBe(expected);
        expect(got).toContain("<p>routes/");
        // Only the first page builds the tree (the published RemixServer builds it for each page).
        expect(made.mock.calls.length, url).toBe(url === pages[0] ? 1 : 0);
      }
      const changed = { ...modules, "routes/give._index": { default: () => createElement("p", null, "changed") } };
      made.mockClear();
      expect(await html(RemixServer, "/give", changed)).toBe(await html(upstreamServer, "/give", changed));
      expect(await html(RemixServer, "/give", changed)).toContain("<p>changed</p>");
      expect(made.mock.calls.length).toBe(2);
    } finally {
      made.mockRestore();
    }
  });
});
