import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { localeCookie } from "~/i18n/locale.server";
import { safeReturnTo } from "~/services/auth/return-to";
import { readForm } from "~/utils/http.server";

const schema = z.object({
  lang: z.enum(["sv", "en"]),
  // Only a path on this site: never an open redirect (the same rule as after sign-in; the sign-in
  // page itself is a fine place to come back to here).
  returnTo: z
    .unknown()
    .transform((v) => safeReturnTo(v, { allowAuthPages: true }) ?? "/"),
});

/** The language switch: a plain form POST, so it works before JavaScript loads. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return new Response("Ogiltigt språk / Invalid language", { status: 400 });
  return redirect(parsed.data.returnTo, { headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.lang) } });
}

export function loader() {
  return redirect("/");
}
