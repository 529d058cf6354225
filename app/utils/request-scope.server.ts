import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * What one GET request may compute once and share between its loaders. Remix hands each loader its own
 * copy of the Request (without `?index` and `?_routes`), so a cache keyed by the Request object misses,
 * and a signed-in page looked its session up once in the root loader and again in its own loader.
 * Only GET and HEAD: they run loaders alone, none of which ends a session or changes roles, so the
 * first answer holds for the whole request; after an action the next lookup must see what it changed.
 */
const store = new AsyncLocalStorage<Map<string, unknown>>();

/** Express middleware (server.mjs): a fresh scope for each GET or HEAD request. */
export function requestScope() {
  return (req: IncomingMessage, _res: ServerResponse, next: () => void) => {
    if (req.method === "GET" || req.method === "HEAD") store.run(new Map(), next);
    else next();
  };
}

/** `make()` once per key within a GET request's scope; outside one (actions, tests, jobs) every time. */
export function oncePerRequest<T>(key: string, make: () => T): T {
  const scope = store.getStore();
  if (!scope) return make();
  if (!scope.has(key)) scope.set(key, make());
  return scope.get(key) as T;
}
