import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession, findSession } from "~/services/auth/sessions.server";
import { getCurrentUser } from "~/utils/auth.server";
import { requestScope } from "~/utils/request-scope.server";
import { serializeSessionToken } from "~/utils/session-cookie.server";
import { staffRoles } from "~db/schema";
import { addContact, createOrganisation, createPerson } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements } from "../setup/statements";
import { useIdentityEnv } from "./helpers";

/** Runs `work` as server.mjs runs a request of `method`: inside the request scope middleware. */
function asRequest<T>(method: string, work: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    requestScope()({ method } as IncomingMessage, {} as ServerResponse, () => work().then(resolve, reject));
  });
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

  it("is looked up once per GET although Remix gives the root loader and the page loader each their own Request", async () => {
    const person = await createPerson(ctx.db);
    const { token } = await createSession(ctx.db, person.id);
    const cookie = (await serializeSessionToken(token)).split(";")[0];
    // Remix's copies: the same address less ?index / ?_routes, the same headers.
    const copies = () => [new Request("http://127.0.0.1:3999/give", { headers: { cookie } }), new Request("http://127.0.0.1:3999/give?index", { headers: { cookie } })];

    const onGet = countStatements(ctx.db as unknown as { $client: unknown });
    const users = await asRequest("GET", () => Promise.all(copies().map((r) => getCurrentUser(r))));
    expect(users.map((u) => u?.personId)).toEqual([person.id, person.id]);
    expect(onGet).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();

    // A POST runs an action that may end the session: each lookup asks the database again.
    const onPost = countStatements(ctx.db as unknown as { $client: unknown });
    await asRequest("POST", () => Promise.all(copies().map((r) => getCurrentUser(r))));
    expect(onPost).toHaveBeenCalledTimes(2);
  });
});
