import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { anonymousActor, type Actor, type ServiceContext } from "~/services/context";
import { getCurrentUser, type CurrentUser } from "~/utils/auth.server";

/** The actor for a signed-in person (their staff roles and organisations as the session found them). */
export function personActor(user: CurrentUser): Actor {
  return { kind: "person", personId: user.personId, email: user.email, name: user.name, roles: user.roles, organisations: user.organisations, sessionId: user.sessionId };
}

/**
 * The service context of a request: the database, who is asking (anonymous or a signed-in person)
 * and the reader's language. Routes build it once and pass it to every service call; the services
 * decide what the actor may do.
 */
export async function contextFor(request: Request): Promise<ServiceContext> {
  const [db, user, locale] = await Promise.all([getDb(), getCurrentUser(request), getLocale(request)]);
  return { db, actor: user ? personActor(user) : anonymousActor, locale };
}
