import type { Db } from "~db/client.server";
import { isTemplateName } from "~emails/index";
import { parseId } from "~/services/auth/validation";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { localStandins } from "~/services/system/startup.server";
import { env, type Env } from "~/utils/env.server";
import { getOutboxMessage, isRedacted, listOutbox } from "./outbox.server";
import { renderEmail } from "./render.server";

/**
 * The dev mailbox shows every message in the outbox, sign-in links included. It exists only while
 * the dev mailbox is the mail transport (no RESEND_API_KEY) and never with APP_ENV=production, not
 * even with ALLOW_LOCAL_STANDINS=1 (a staging site on the internet would hand out everyone's links).
 * With a Resend key set, mail really goes out, and /dev/mail would expose links meant for inboxes.
 */
export function devMailboxEnabled(config: Env = env()): boolean {
  return !config.production && localStandins(config).mail;
}

/** Every /dev/mail address is a 404 unless the dev mailbox is in use. */
export function requireDevMailbox(): void {
  if (!devMailboxEnabled()) throw new Response("Not found", { status: 404, statusText: "Not Found" });
}

export async function listDevMailbox(db: Db) {
  requireDevMailbox();
  const rows = await listOutbox(db, 200);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), sentAt: r.sentAt?.toISOString() ?? null }));
}

export async function getDevMail(db: Db, rawId: unknown) {
  requireDevMailbox();
  const id = parseId(rawId);
  if (id === null) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const row = await getOutboxMessage(db, id);
  if (!row) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  // Sent through Resend (or given up): the link was removed from the row; only the status is left.
  if (isRedacted(row)) return { ...row, html: null, text: null, linkRemoved: true };
  // Not sent yet (no worker runs under `npm run dev`, or it is waiting to retry): show it rendered
  // as it would be sent now, without marking it sent.
  if (row.html === null && isTemplateName(row.template)) {
    const rendered = await renderEmail(row.template, row.locale === "en" ? "en" : "sv", row.props, await getCharityIdentity(db));
    return { ...row, ...rendered, linkRemoved: false };
  }
  return { ...row, linkRemoved: false };
}

/** The links in a plain-text email, so the page can offer them as real links. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s\])>"']+/g) ?? [])];
}
