import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client.server";
import { endSession } from "~/services/auth/sessions.server";
import { getCurrentUser } from "~/utils/auth.server";
import { clearSessionCookie } from "~/utils/session-cookie.server";

/** Sign-out: POST only (a link could be triggered by another site). The session row is deleted. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await getCurrentUser(request);
  if (user) await endSession(await getDb(), user.sessionId, user.personId);
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export function loader() {
  return redirect("/account");
}
