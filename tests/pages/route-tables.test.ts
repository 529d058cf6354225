import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { cacheRouteTables } from "~/utils/route-tables.server";

// Copies of the modules' exports: the caches are installed on these, not on the process's Remix (test
// files share a worker process).
const require = createRequire(import.meta.url);
const realRoutes = require("@remix-run/react/dist/routes.js");
const realRouter = require("@remix-run/router");
const { UNSAFE_mapRouteProperties: mapRouteProperties } = require("react-router");

const manifest = {
  root: { id: "root", path: "", hasLoader: true },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true, hasLoader: true },
  "routes/goals.$slug": { id: "routes/goals.$slug", parentId: "root", path: "goals/:slug", hasLoader: true },
  "routes/give._index": { id: "routes/give._index", parentId: "root", path: "give", index: true, hasLoader: true },
  "routes/admin": { id: "routes/admin", parentId: "root", path: "admin", hasLoader: true },
  "routes/admin.people.$id": { id: "routes/admin.people.$id", parentId: "routes/admin", path: "people/:id", hasLoader: true },
};
const routeModules = Object.fromEntries(Object.keys(manifest).map((id) => [id, { default: () => null }]));
const future = {};
const urls = ["/", "/goals/alla-ar-trygga", "/goals/barn-och-unga", "/give", "/admin/people/7", "/no/such/page"];

function installed() {
  const routesModule = { ...realRoutes };
  const router = { ...realRouter, matchRoutes: vi.fn(realRouter.matchRoutes) };
  const original = router.matchRoutes;
  cacheRouteTables(routesModule, router);
  // A build of its own (the caches are per manifest object).
  const build = structuredClone(manifest);
  // What RemixServer and createStaticRouter do for each page.
  const render = (url: string) => {
    const tree = routesModule.createServerRoutes(build, { ...routeModules }, future, false);
    const byId: Record<string, unknown> = {};
    const routes = router.UNSAFE_convertRoutesToDataRoutes(tree, mapRouteProperties, undefined, byId);
    return { tree, routes, byId, matches: router.matchRoutes(routes, { pathname: url }) };
  };
  return { render, original, router };
}

describe("route tables of a page render (issue 10 item 6)", () => {
  it("are built once per build and matched once per URL", () => {
    const { render, original } = installed();
    const first = render("/goals/alla-ar-trygga");
    const again = render("/goals/alla-ar-trygga");
    expect(again.tree).toBe(first.tree);
    expect(again.routes).toBe(first.routes);
    expect(original).toHaveBeenCalledTimes(1);
    // createStaticRouter finds the data routes by id in the object it passed.
    expect(Object.keys(again.byId).sort()).toEqual(Object.keys(manifest).sort());
    expect(again.byId["routes/goals.$slug"]).toBe(first.byId["routes/goals.$slug"]);
  });

  it("give the same matches as Remix's own tables, as fresh objects", () => {
    const { render } = installed();
    for (const url of urls) {
      const expected = realRouter.matchRoutes(
        realRouter.UNSAFE_convertRoutesToDataRoutes(realRoutes.createServerRoutes(manifest, routeModules, future, false), mapRouteProperties),
        { pathname: url },
      );
      const strip = (ms: { route: { id: string }; params: object; pathname: string }[] | null) => ms?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname })) ?? null;
      const once = render(url).matches;
      expect(strip(once)).toEqual(strip(expected));
      if (once) once[once.length - 1].params.slug = "changed by a caller";
      expect(strip(render(url).matches)).toEqual(strip(expected));
    }
  });

  it("leave other route tables alone (the request handler's, a browser's)", () => {
    const { original, router } = installed();
    const own = realRouter.UNSAFE_convertRoutesToDataRoutes(realRoutes.createServerRoutes(manifest, routeModules, future, false), mapRouteProperties);
    router.matchRoutes(own, { pathname: "/give" });
    router.matchRoutes(own, { pathname: "/give" });
    expect(original).toHaveBeenCalledTimes(2);
  });
});
