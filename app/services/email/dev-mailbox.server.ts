import type { Db } from "~db/client.server";
import { isTemplateName } from "~emails/index";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { env } from "~/utils/env.server";
import { getOutboxMessage, listOutbox } from "./outbox.server";
import { renderEmail } from "./render.server";

/**
 * The dev mailbox: every message in the outbox, as rendered. It exists only in local mode; with
 * APP_ENV=production every /dev/mail address is a 404.
 */
export function requireDevMailbox(): void {
  if (env().production) throw new Response("Not found", { status: 404 });
}

export async function listDevMailbox(db: Db) {
  requireDevMailbox();
  const rows = await listOutbox(db, 200);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), sentAt: r.sentAt?.toISOString() ?? null }));
}

export async function getDevMail(db: Db, id: number) {
  requireDevMailbox();
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  const row = await getOutboxMessage(db, id);
  if (!row) throw new Response("Not found", { status: 404 });
  // Not sent yet (no worker runs under `npm run dev`, or it is waiting to retry): show it rendered
  // as it would be sent now, without marking it sent.
  if (row.html === null && isTemplateName(row.template)) {
    const rendered = await renderEmail(row.template, row.locale === "en" ? "en" : "sv", row.props, await getCharityIdentity(db));
    return { ...row, ...rendered };
  }
  return row;
}

/** The links in a plain-text email, so the page can offer them as real links. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s\])>"']+/g) ?? [])];
}
