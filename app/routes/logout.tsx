import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/services/auth/sessions.server";
import { contextFor } from "~/utils/context.server";
import { clearSessionCookie } from "~/utils/session-cookie.server";

/** Sign-out: POST only (a link could be triggered by another site). The session row is deleted. */
export async function action({ request }: ActionFunctionArgs) {
  await endSession(await contextFor(request));
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export function loader() {
  return redirect("/account");
}
