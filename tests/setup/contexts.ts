import type { Db } from "~db/client.server";
import type { StaffRole } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { anonymousActor, systemContext, type Actor, type ServiceContext } from "~/services/context";
import type { CurrentUser } from "~/utils/auth.server";
import { personActor } from "~/utils/context.server";

/**
 * Service contexts for tests that call services directly (no route, no cookie). A person actor is
 * what contextFor(request) builds from a session: an id, the address, staff roles and memberships.
 */
export function personContext(
  db: Db,
  person: { id: number; email?: string; roles?: StaffRole[]; organisations?: { organisationId: number; isAdmin: boolean }[]; sessionId?: string },
  locale: Locale = "sv",
): ServiceContext {
  const actor: Actor = {
    kind: "person",
    personId: person.id,
    email: person.email ?? `person-${person.id}@example.com`,
    name: null,
    roles: person.roles ?? [],
    organisations: person.organisations ?? [],
    sessionId: person.sessionId,
  };
  return { db, actor, locale };
}

export const staffContext = (db: Db, id: number, role: StaffRole = "admin", locale: Locale = "sv") => personContext(db, { id, roles: [role] }, locale);
export const anonymousContext = (db: Db, locale: Locale = "sv"): ServiceContext => ({ db, actor: anonymousActor, locale });
export const testSystemContext = (db: Db) => systemContext(db, "test");

/** The context a route would build for this signed-in user (contextFor without a request). */
export function userContext(db: Db, user: CurrentUser, locale: Locale = "sv"): ServiceContext {
  return { db, actor: personActor(user), locale };
}
