import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client.server";
import { getDevMail, requireDevMailbox } from "~/services/email/dev-mailbox.server";

/**
 * The email's HTML as sent, for the dev mailbox's sandboxed frame. Its own CSP: emails carry inline
 * styles, and only this site may frame it; no scripts at all.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  requireDevMailbox();
  const row = await getDevMail(await getDb(), params.id);
  return new Response(row.html ?? "", {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
      "Cache-Control": "no-store",
    },
  });
}
