import { createRequire } from "node:module";

/**
 * Remix v2 rebuilds its route tables for every page it renders: the React route tree from the build's
 * manifest (`createServerRoutes`, one object per route: ~100), then data routes from it
 * (`createStaticRouter`), then it matches the URL against those by flattening, ranking and compiling every
 * route's path pattern again (`matchRoutes`). All three depend only on the build, which does not change
 * while a production process runs; together they were about a tenth of a signed-in page's CPU (profile,
 * issue 10 item 6). Remix and React Router read these functions off their modules' exports when they call
 * them, so replacing them there is enough; the originals still do the work, once.
 *
 * Only the tables of the page render are kept: data routes made from a kept route tree, and matches
 * against those. Nothing else in the process (the request handler's own tables, a browser) is touched.
 */

type Route = { id?: string; children?: Route[] } & Record<string, unknown>;
type Match = { params: Record<string, string | undefined> } & Record<string, unknown>;
type Fn<R> = (...args: never[]) => R;

interface RemixRoutesModule {
  createServerRoutes: (manifest: object, routeModules: object, future: object, isSpaMode: boolean, ...rest: unknown[]) => Route[];
}
interface RouterModule {
  UNSAFE_convertRoutesToDataRoutes: (routes: Route[], mapRouteProperties: Fn<unknown>, parentPath?: string[], manifest?: Record<string, Route>) => Route[];
  matchRoutes: (routes: Route[], location: string | { pathname?: string }, basename?: string) => Match[] | null;
}

/** At most this many URLs' matches are kept per route table (a goal page per slug); then it starts over. */
const MAX_MATCHES = 1_000;

const serverRoutes = new WeakMap<object, Map<string, Route[]>>();
const keptTrees = new WeakSet<Route[]>();
const dataRoutes = new WeakMap<Route[], { mapRouteProperties: unknown; routes: Route[]; manifest: Record<string, Route> }>();
const matches = new WeakMap<Route[], Map<string, Match[] | null>>();

export function cacheRouteTables(routesModule: RemixRoutesModule, router: RouterModule) {
  const createServerRoutes = routesModule.createServerRoutes;
  routesModule.createServerRoutes = (manifest, routeModules, future, isSpaMode, ...rest) => {
    // The recursive calls for children come with more arguments (and call the original directly anyway).
    if (rest.length > 0) return createServerRoutes(manifest, routeModules, future, isSpaMode, ...rest);
    let byMode = serverRoutes.get(manifest);
    if (!byMode) serverRoutes.set(manifest, (byMode = new Map()));
    const key = String(isSpaMode);
    let routes = byMode.get(key);
    if (!routes) {
      routes = createServerRoutes(manifest, routeModules, future, isSpaMode);
      byMode.set(key, routes);
      keptTrees.add(routes);
    }
    return routes;
  };

  const convert = router.UNSAFE_convertRoutesToDataRoutes;
  router.UNSAFE_convertRoutesToDataRoutes = (routes, mapRouteProperties, parentPath, manifest) => {
    if (!keptTrees.has(routes) || parentPath !== undefined) return convert(routes, mapRouteProperties, parentPath, manifest);
    let kept = dataRoutes.get(routes);
    if (!kept || kept.mapRouteProperties !== mapRouteProperties) {
      const byId: Record<string, Route> = {};
      kept = { mapRouteProperties, routes: convert(routes, mapRouteProperties, undefined, byId), manifest: byId };
      dataRoutes.set(routes, kept);
      matches.set(kept.routes, new Map());
    }
    // The caller reads the routes by id from the object it passed (createStaticRouter does).
    if (manifest) Object.assign(manifest, kept.manifest);
    return kept.routes;
  };

  const matchRoutes = router.matchRoutes;
  router.matchRoutes = (routes, location, basename) => {
    const byUrl = matches.get(routes);
    const pathname = typeof location === "string" ? (/[?#]/.test(location) ? undefined : location) : location.pathname;
    if (!byUrl || pathname === undefined) return matchRoutes(routes, location, basename);
    const key = `${basename ?? "/"}\0${pathname}`;
    let found = byUrl.get(key);
    if (found === undefined) {
      found = matchRoutes(routes, location, basename);
      if (byUrl.size >= MAX_MATCHES) byUrl.clear();
      byUrl.set(key, found);
    }
    // Fresh objects each time, as the original gives: a caller may change what it got.
    return found && found.map((m) => ({ ...m, params: { ...m.params } }));
  };
}

let installed = false;

/** Installs the caches in this process's copies of Remix and React Router (production server only). */
export function installRouteTableCaches() {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  cacheRouteTables(require("@remix-run/react/dist/routes.js") as RemixRoutesModule, require("@remix-run/router") as RouterModule);
}
