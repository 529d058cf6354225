import { inArray } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { emailAttachments, emailOutbox } from "~db/schema";
import { isTemplateName } from "~emails/index";
import { wakeOutbox, type EmailMessage } from "./outbox.server";

/** A file sent with a message (a bank invoice's PDF). */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/**
 * Queues one email with files. The files are stored with the row, in the caller's transaction: the
 * message carries exactly what was issued, whatever happens to the source before the worker sends
 * it. A message whose dedupe key was already queued is not queued again, and neither are its files.
 * Returns the outbox id (null when deduplicated).
 */
export async function enqueueEmailWithAttachments(db: Db | Tx, msg: EmailMessage, attachments: EmailAttachment[]): Promise<number | null> {
  if (!isTemplateName(msg.template)) throw new Error(`unknown email template: ${String(msg.template)}`);
  const [row] = await db
    .insert(emailOutbox)
    .values({ to: msg.to.trim(), template: msg.template, locale: msg.locale, props: msg.props, dedupeKey: msg.dedupeKey ?? null })
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id });
  if (!row) return null;
  if (attachments.length) {
    await db.insert(emailAttachments).values(
      attachments.map((a) => ({ outboxId: row.id, filename: a.filename, contentType: a.contentType, contentBase64: Buffer.from(a.content).toString("base64") })),
    );
  }
  wakeOutbox();
  return row.id;
}

/** The files of the given outbox rows, by row id (one query for a claimed batch). */
export async function attachmentsFor(db: Db | Tx, outboxIds: number[]): Promise<Map<number, EmailAttachment[]>> {
  const out = new Map<number, EmailAttachment[]>();
  if (!outboxIds.length) return out;
  const rows = await db.select().from(emailAttachments).where(inArray(emailAttachments.outboxId, outboxIds)).orderBy(emailAttachments.id);
  for (const row of rows) {
    const list = out.get(row.outboxId) ?? [];
    list.push({ filename: row.filename, contentType: row.contentType, content: new Uint8Array(Buffer.from(row.contentBase64, "base64")) });
    out.set(row.outboxId, list);
  }
  return out;
}
