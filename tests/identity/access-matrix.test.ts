import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listOrganisations } from "~/services/organisations/organisations.server";
import { getCurrentUser } from "~/utils/auth.server";
import { parseEnv, setEnvForTests } from "~/utils/env.server";
import { dbTargets, useTestDatabase } from "../setup/db";
import { repoRoot, tempDir } from "../setup/server";
import { cookieFor, personaNames, useIdentityEnv, type PersonaName } from "./helpers";
import { userContext } from "../setup/contexts";
import { accessMatrix, buildWorld, expected, type World } from "./access-matrix";

/*
 * The matrix itself (who may use which route; every file in app/routes must have an entry) lives in
 * tests/identity/access-matrix.ts, so that tests/e2e/axe.test.ts can scan the same pages as the same personas.
 */

type Outcome = "login" | "forbidden" | `allowed:${number}` | `error:${string}`;

function classify(result: unknown): Outcome {
  if (result instanceof Response) {
    const location = result.headers.get("Location") ?? "";
    if (result.status >= 300 && result.status < 400 && location.startsWith("/login")) return "login";
    if (result.status === 403) return "forbidden";
    if (result.status >= 500) return `error:${result.status}`;
    return `allowed:${result.status}`;
  }
  if (result && typeof result === "object" && "type" in result && (result as { type: string }).type === "DataWithResponseInit") {
    const status = (result as unknown as { init: { status?: number } | null }).init?.status ?? 200;
    return status >= 500 ? `error:${status}` : status === 403 ? "forbidden" : `allowed:${status}`;
  }
  if (result instanceof Error) return `error:${result.message}`;
  return "allowed:200";
}

async function run(fn: () => unknown): Promise<Outcome> {
  try {
    return classify(await fn());
  } catch (thrown) {
    return classify(thrown);
  }
}

const routesDir = path.join(repoRoot, "app/routes");

/**
 * The route modules in app/routes as Remix's flat routes see them: each flat file (`admin.people.tsx`)
 * and each folder's `route.tsx` (`admin.partners/route.tsx`, keyed so in the matrix); the other files
 * in a folder are its own modules, not routes.
 */
export function listRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile()) return /\.(tsx?|jsx?)$/.test(entry.name) ? [entry.name] : [];
    if (!entry.isDirectory()) return [];
    const route = readdirSync(path.join(dir, entry.name)).find((f) => /^route\.(tsx?|jsx?)$/.test(f));
    return route ? [`${entry.name}/${route}`] : [];
  });
}

const routeFiles = listRouteFiles(routesDir);

describe("the access matrix covers every route", () => {
  it("sees route folders as well as flat files", () => {
    const dir = tempDir("routes");
    mkdirSync(path.join(dir, "admin.partners"));
    writeFileSync(path.join(dir, "admin.partners/route.tsx"), "");
    writeFileSync(path.join(dir, "admin.partners/partner-table.tsx"), "");
    mkdirSync(path.join(dir, "no-route-here"));
    writeFileSync(path.join(dir, "no-route-here/helpers.ts"), "");
    writeFileSync(path.join(dir, "about.tsx"), "");
    expect(listRouteFiles(dir).sort()).toEqual(["about.tsx", "admin.partners/route.tsx"]);
  });

  it("has an entry for each file in app/routes, and no entry for a file that is gone", () => {
    const missing = routeFiles.filter((f) => !(f in accessMatrix));
    const stale = Object.keys(accessMatrix).filter((f) => !routeFiles.includes(f));
    expect(missing, `routes without an access entry in tests/identity/access-matrix.ts: ${missing.join(", ")}`).toEqual([]);
    expect(stale, `entries for routes that no longer exist: ${stale.join(", ")}`).toEqual([]);
  });
});

describe.each(dbTargets)("access matrix on %s", (target) => {
  const ctx = useTestDatabase(target);
  let personas: World;
  beforeAll(async () => {
    useIdentityEnv();
    personas = await buildWorld(ctx.db);
  });

  const present = Object.entries(accessMatrix).filter(([file]) => routeFiles.includes(file));
  for (const [file, cases] of present) {
    cases.forEach((c, index) => {
      for (const kind of ["loader", "action"] as const) {
        const access = c[kind];
        if (!access) continue;
        it(`${file}${cases.length > 1 ? ` #${index + 1}` : ""} ${kind}: ${access}`, async () => {
          const mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as Record<string, (args: unknown) => unknown>;
          expect(typeof mod[kind], `${file} has no ${kind}`).toBe("function");
          const outcomes: Record<string, Outcome> = {};
          for (const persona of personaNames) {
            let cookie = personas.cookie[persona];
            if (c.freshSession && persona !== "anonymous") cookie = await cookieFor(ctx.db, personas.ids[persona]);
            const url = `http://127.0.0.1:3999${c.url(personas)}`;
            const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
            const request =
              kind === "loader"
                ? new Request(url, { headers })
                : new Request(url, {
                    method: "POST",
                    body: new URLSearchParams(c.body ?? {}),
                    headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
                  });
            outcomes[persona] = await run(() => mod[kind]({ request, params: c.params?.(personas) ?? {}, context: { clientIp: `matrix-${persona}` } }));
          }
          for (const persona of personaNames) {
            const want = expected(access, persona);
            const got = outcomes[persona];
            expect(got.startsWith("error:"), `${persona}: ${got}`).toBe(false);
            expect(got.split(":")[0], `${file} ${kind} for ${persona}`).toBe(want);
          }
          if (access === "public") {
            // A public route answers everyone alike.
            expect(new Set(Object.values(outcomes)).size, JSON.stringify(outcomes)).toBe(1);
          }
        });
      }
    });
  }

  // Bad input is a 4xx, never a 500: every action is sent a body that is not a form (a broken
  // multipart body), by every persona; those allowed in get a 4xx, the rest their usual refusal.
  for (const [file, cases] of present) {
    const c = cases[0];
    if (!c.action) continue;
    const access = c.action;
    it(`${file} action: a body that is not a form is a 4xx, never a 500`, async () => {
      const mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as Record<string, (args: unknown) => unknown>;
      for (const persona of personaNames) {
        let cookie = personas.cookie[persona];
        if (c.freshSession && persona !== "anonymous") cookie = await cookieFor(ctx.db, personas.ids[persona]);
        const request = new Request(`http://127.0.0.1:3999${c.url(personas)}`, {
          method: "POST",
          body: '--zzz\r\nContent-Disposition: form-data; name="x"\r\n\r\nbroken',
          headers: { ...(cookie ? { Cookie: cookie } : {}), "Content-Type": "multipart/form-data; boundary=zzz" },
        });
        const got = await run(() => mod.action({ request, params: c.params?.(personas) ?? {}, context: { clientIp: `bad-body-${persona}` } }));
        expect(got.startsWith("error:"), `${file} ${persona}: ${got}`).toBe(false);
        // Sign-out reads no form: it signs out whatever the body.
        if (expected(access, persona) === "allowed" && file !== "logout.tsx") expect(got, `${file} ${persona}`).toMatch(/^allowed:4\d\d$/);
      }
    });
  }

  it("a contact of organisation A never sees organisation B's data, and the other way round", async () => {
    const org = (await import("~/routes/org.$organisationId")) as { loader: (a: unknown) => Promise<unknown> };
    const account = (await import("~/routes/account")) as { loader: (a: unknown) => Promise<unknown> };
    const load = async (persona: PersonaName, orgId: number) =>
      JSON.stringify(
        await org.loader({
          request: new Request(`http://127.0.0.1:3999/org/${orgId}`, { headers: { Cookie: personas.cookie[persona] } }),
          params: { organisationId: String(orgId) },
          context: {},
        }),
      );
    const aSeesA = await load("contactA", personas.orgA);
    expect(aSeesA).toContain("Organisation A AB (test)");
    expect(aSeesA).toContain("contacta@example.com");
    expect(aSeesA).not.toContain("Organisation B");
    expect(aSeesA).not.toContain("contactb@example.com");
    const bSeesB = await load("contactB", personas.orgB);
    expect(bSeesB).toContain("Organisation B AB (test)");
    expect(bSeesB).not.toContain("Organisation A");
    await expect(load("contactA", personas.orgB)).rejects.toMatchObject({ status: 403 });
    await expect(load("contactB", personas.orgA)).rejects.toMatchObject({ status: 403 });

    const accountA = JSON.stringify(
      await account.loader({ request: new Request("http://127.0.0.1:3999/account", { headers: { Cookie: personas.cookie.contactA } }), params: {}, context: {} }),
    );
    expect(accountA).toContain("Organisation A AB (test)");
    expect(accountA).not.toContain("Organisation B");

    // The partner dashboard: each contact sees their own organisation; a contact of both, the one they chose.
    const partner = (await import("~/routes/partner._index")) as { loader: (a: unknown) => Promise<{ dashboard: { partnerships: { id: number }[] } }> };
    const dashboard = async (persona: PersonaName, query = "") => {
      const loaded = await partner.loader({ request: new Request(`http://127.0.0.1:3999/partner${query}`, { headers: { Cookie: personas.cookie[persona] } }), params: {}, context: {} });
      return { text: JSON.stringify(loaded), partnerships: loaded.dashboard.partnerships.map((x) => x.id) };
    };
    const partnerA = await dashboard("contactA");
    expect(partnerA.text).toContain("Organisation A AB (test)");
    expect(partnerA.partnerships).toEqual([personas.partnershipA]);
    expect(partnerA.text).not.toContain("Organisation B");
    const partnerB = await dashboard("contactB");
    expect(partnerB.text).toContain("Organisation B AB (test)");
    expect(partnerB.text).not.toContain("Organisation A");
    expect(partnerB.partnerships).toEqual([]);
    const bothOnB = await dashboard("contactAB", `?org=${personas.orgB}`);
    expect(bothOnB.partnerships).toEqual([]);
    expect(bothOnB.text).toContain("Organisation A AB (test)"); // in the switcher, as one of their own
    expect((await dashboard("contactAB", `?org=${personas.orgA}`)).partnerships).toEqual([personas.partnershipA]);
    await expect(dashboard("contactB", `?org=${personas.orgA}`)).rejects.toMatchObject({ status: 403 });

    const userA = (await getCurrentUser(new Request("http://x/", { headers: { Cookie: personas.cookie.contactA } })))!;
    expect((await listOrganisations(userContext(ctx.db, userA))).map((o) => o.id)).toEqual([personas.orgA]);
    const donor = (await getCurrentUser(new Request("http://x/", { headers: { Cookie: personas.cookie.donor } })))!;
    expect(await listOrganisations(userContext(ctx.db, donor))).toEqual([]);
  });

  it("the dev mailbox and /dev/ui do not exist with APP_ENV=production", async () => {
    setEnvForTests(
      parseEnv({ APP_ENV: "production", DATABASE_URL: "postgres://unused@127.0.0.1/x", SESSION_SECRET: "p".repeat(40), APP_URL: "https://example.org", ALLOW_LOCAL_STANDINS: "1" }),
    );
    try {
      for (const file of ["dev.mail._index.tsx", "dev.mail.$id.tsx", "dev.mail.$id_.html.ts"]) {
        const mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as { loader: (a: unknown) => Promise<unknown> };
        const outcome = await run(() => mod.loader({ request: new Request(`https://example.org/dev/mail/${personas.mailId}`), params: { id: String(personas.mailId) }, context: {} }));
        expect(outcome, file).toBe("allowed:404");
      }
      const ui = (await import(/* @vite-ignore */ path.join(routesDir, "dev.ui.tsx"))) as Record<"loader" | "action", (a: unknown) => Promise<unknown>>;
      expect(await run(() => ui.loader({ request: new Request("https://example.org/dev/ui"), params: {}, context: {} }))).toBe("allowed:404");
      const post = new Request("https://example.org/dev/ui", { method: "POST", body: new URLSearchParams({ intent: "remove" }), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      expect(await run(() => ui.action({ request: post, params: {}, context: {} }))).toBe("allowed:404");
    } finally {
      useIdentityEnv();
    }
  });
});
