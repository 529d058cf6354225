import type { Db } from "~db/client.server";
import { organisationMembers, organisations, people, staffRoles } from "~db/schema";
import { createSession } from "~/services/auth/sessions.server";
import { parseEnv, setEnvForTests, type Env } from "~/utils/env.server";
import { resetSessionCookieForTests, serializeSessionToken } from "~/utils/session-cookie.server";
import { tempDir } from "../setup/server";

export const TEST_SESSION_SECRET = "identity-test-secret-".padEnd(48, "x");

/** A local configuration for identity tests (no keys: dev mailbox). */
export function useIdentityEnv(extra: Record<string, string> = {}): Env {
  const config = parseEnv({ DATA_DIR: tempDir("identity"), SESSION_SECRET: TEST_SESSION_SECRET, APP_URL: "http://127.0.0.1:3999", ...extra });
  setEnvForTests(config);
  resetSessionCookieForTests();
  return config;
}

export type PersonaName = "anonymous" | "donor" | "contactA" | "contactB" | "contactAB" | "fundraiser" | "admin";
export const personaNames: PersonaName[] = ["anonymous", "donor", "contactA", "contactB", "contactAB", "fundraiser", "admin"];

export interface Personas {
  orgA: number;
  orgB: number;
  ids: Record<Exclude<PersonaName, "anonymous">, number>;
  /** Cookie header value per persona (empty for anonymous). */
  cookie: Record<PersonaName, string>;
}

/** Seven personas with live sessions: anonymous, a donor, a contact of A, of B, of both A and B, a fundraiser, an admin. */
export async function createPersonas(db: Db, suffix = ""): Promise<Personas> {
  const [orgA] = await db.insert(organisations).values({ name: `Organisation A${suffix} AB (test)` }).returning();
  const [orgB] = await db.insert(organisations).values({ name: `Organisation B${suffix} AB (test)` }).returning();
  const make = async (key: string) => {
    const [p] = await db.insert(people).values({ email: `${key}${suffix}@example.com`.toLowerCase(), name: key }).returning();
    return p.id;
  };
  const ids = {
    donor: await make("donor"),
    contactA: await make("contactA"),
    contactB: await make("contactB"),
    contactAB: await make("contactAB"),
    fundraiser: await make("fundraiser"),
    admin: await make("admin"),
  };
  await db.insert(organisationMembers).values([
    { organisationId: orgA.id, personId: ids.contactA, isAdmin: true },
    { organisationId: orgB.id, personId: ids.contactB, isAdmin: true },
    // A person may be contact of several organisations (issue 11): sees each, switching between them.
    { organisationId: orgA.id, personId: ids.contactAB, isAdmin: false },
    { organisationId: orgB.id, personId: ids.contactAB, isAdmin: false },
  ]);
  await db.insert(staffRoles).values([
    { personId: ids.fundraiser, role: "fundraiser" },
    { personId: ids.admin, role: "admin" },
  ]);
  const cookie = { anonymous: "" } as Record<PersonaName, string>;
  for (const [name, id] of Object.entries(ids)) cookie[name as PersonaName] = await cookieFor(db, id);
  return { orgA: orgA.id, orgB: orgB.id, ids, cookie };
}

export async function cookieFor(db: Db, personId: number): Promise<string> {
  const { token } = await createSession(db, personId);
  return (await serializeSessionToken(token)).split(";")[0];
}
