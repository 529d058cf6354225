import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession, findSession } from "~/services/auth/sessions.server";
import { getCurrentUser } from "~/utils/auth.server";
import { serializeSessionToken } from "~/utils/session-cookie.server";
import { staffRoles } from "~db/schema";
import { addContact, createOrganisation, createPerson } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements } from "../setup/statements";
import { useIdentityEnv } from "./helpers";

type Loader = (args: { request: Request }) => Promise<null>;

/**
 * Remix's request handler (the patched @remix-run/server-runtime the server runs) over a root route and one
 * page at /page, whose loaders (and the page's action) are `root` and `page`; the document is a plain "ok".
 */
function twoRouteApp(root: Loader, page: Loader) {
  const route = (id: string, parentId: string | undefined, path: string, module: object) => ({ id, parentId, path, index: undefined, caseSensitive: undefined, module });
  const manifestRoute = (id: string, parentId: string | undefined, path: string) => ({ id, parentId, path, module: `/${id}.js`, hasAction: id !== "root", hasLoader: true, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false });
  const build = {
    mode: "production",
    entry: { module: { default: () => new Response("ok", { headers: { "Content-Type": "text/html" } }) } },
    routes: {
      root: route("root", undefined, "", { loader: root, default: () => null }),
      page: route("page", "root", "page", { loader: page, action: page, default: () => null }),
    },
    assets: { url: "/manifest.js", version: "1", entry: { module: "/entry.js", imports: [] }, routes: { root: manifestRoute("root", undefined, ""), page: manifestRoute("page", "root", "page") } },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    basename: undefined,
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_routeConfig: false, v3_singleFetch: true, v3_lazyRouteDiscovery: true, unstable_optimizeDeps: false },
    isSpaMode: false,
  };
  return createRequestHandler(build as unknown as ServerBuild, "production");
}

describe.each(dbTargets)("the session lookup of every signed-in request on %s", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => {
    useIdentityEnv();
  });
  afterEach(() => vi.restoreAllMocks());

  it("finds the person, their staff roles and organisations in order, with one statement", async () => {
    const person = await createPerson(ctx.db);
    // Inserted out of order: the answer is sorted (roles by name, organisations by id) however they were stored.
    await ctx.db.insert(staffRoles).values([
      { personId: person.id, role: "fundraiser" },
      { personId: person.id, role: "admin" },
    ]);
    const first = await createOrganisation(ctx.db);
    const second = await createOrganisation(ctx.db);
    await addContact(ctx.db, second.id, person.id, { isAdmin: true });
    await addContact(ctx.db, first.id, person.id);
    const { token, id } = await createSession(ctx.db, person.id);

    const statements = countStatements(ctx.db as unknown as { $client: unknown });
    const found = await findSession(ctx.db, token);
    expect(statements).toHaveBeenCalledTimes(1);
    expect(found).toEqual({
      sessionId: id,
      personId: person.id,
      email: person.email,
      name: person.name,
      roles: ["admin", "fundraiser"],
      organisations: [
        { organisationId: first.id, isAdmin: false },
        { organisationId: second.id, isAdmin: true },
      ],
    });
  });

  it("gives a person without roles or organisations empty lists", async () => {
    const person = await createPerson(ctx.db, { name: null });
    const { token } = await createSession(ctx.db, person.id);
    expect(await findSession(ctx.db, token)).toMatchObject({ personId: person.id, name: null, roles: [], organisations: [] });
  });

  it("is looked up once per page although the root loader and the page's loader each ask, and again after an action", async () => {
    const person = await createPerson(ctx.db);
    const { token } = await createSession(ctx.db, person.id);
    const cookie = (await serializeSessionToken(token)).split(";")[0];
    const seen: Array<number | undefined> = [];
    const ask = async ({ request }: { request: Request }) => (seen.push((await getCurrentUser(request))?.personId), null);
    const handle = twoRouteApp(ask, ask);

    // A page view: the root loader and the page's loader, through Remix's own request handler.
    const onGet = countStatements(ctx.db as unknown as { $client: unknown });
    expect((await handle(new Request("http://127.0.0.1:3999/page", { headers: { cookie } }))).status).toBe(200);
    expect(seen).toEqual([person.id, person.id]);
    expect(onGet).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();

    // A form posted without JavaScript: the action may end the session, so the loaders after it look again.
    seen.length = 0;
    const onPost = countStatements(ctx.db as unknown as { $client: unknown });
    const posted = new Request("http://127.0.0.1:3999/page", { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
    expect((await handle(posted)).status).toBe(200);
    expect(seen).toEqual([person.id, person.id, person.id]);
    expect(onPost).toHaveBeenCalledTimes(2);
  });
});
