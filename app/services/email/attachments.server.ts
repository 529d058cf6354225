import { inArray } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { emailAttachments, emailOutbox, type AttachmentRender } from "~db/schema";
import { isTemplateName } from "~emails/index";
import { wakeOutbox, type EmailMessage } from "./outbox.server";

/** A file sent with a message (a bank invoice's PDF). */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** A file made when the worker sends the message (see email_attachments.render). */
export interface DeferredAttachment {
  filename: string;
  contentType: string;
  render: AttachmentRender;
}

/**
 * Queues one email with files. The files are stored with the row, in the caller's transaction: the
 * message carries exactly what was issued, whatever happens to the source before the worker sends
 * it. A deferred file stores only what to render; its source must not change once queued (an issued
 * invoice). A message whose dedupe key was already queued is not queued again, and neither are its
 * files. Returns the outbox id (null when deduplicated). `named`: run as named (prepared) statements,
 * one round trip each instead of two, for a caller whose transaction already does (the payroll month,
 * app/services/workplace/payroll-statements.server.ts); a pooler, if any, must be in session mode.
 */
export async function enqueueEmailWithAttachments(db: Db | Tx, msg: EmailMessage, attachments: (EmailAttachment | DeferredAttachment)[], opts: { named?: boolean } = {}): Promise<number | null> {
  if (!isTemplateName(msg.template)) throw new Error(`unknown email template: ${String(msg.template)}`);
  const insert = db
    .insert(emailOutbox)
    .values({ to: msg.to.trim(), template: msg.template, locale: msg.locale, props: msg.props, dedupeKey: msg.dedupeKey ?? null })
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id });
  const [row] = await (opts.named ? insert.prepare("enqueue_email").execute() : insert);
  if (!row) return null;
  if (attachments.length) {
    const files = db.insert(emailAttachments).values(
      attachments.map((a) => ({
        outboxId: row.id,
        filename: a.filename,
        contentType: a.contentType,
        ...("render" in a ? { render: a.render } : { contentBase64: Buffer.from(a.content).toString("base64") }),
      })),
    );
    await (opts.named ? files.prepare("enqueue_email_files").execute() : files);
  }
  wakeOutbox();
  return row.id;
}

/**
 * The files of the given outbox rows, by row id (one query for a claimed batch). Each row's files
 * come from a function the sender calls for that row only, so a file that cannot be rendered fails
 * that message (retried like any send) and not the batch.
 */
export async function attachmentsFor(db: Db | Tx, outboxIds: number[]): Promise<Map<number, () => Promise<EmailAttachment[]>>> {
  const rows = new Map<number, (typeof emailAttachments.$inferSelect)[]>();
  if (outboxIds.length) {
    for (const row of await db.select().from(emailAttachments).where(inArray(emailAttachments.outboxId, outboxIds)).orderBy(emailAttachments.id)) {
      rows.set(row.outboxId, [...(rows.get(row.outboxId) ?? []), row]);
    }
  }
  const out = new Map<number, () => Promise<EmailAttachment[]>>();
  for (const [outboxId, list] of rows) {
    out.set(outboxId, () =>
      Promise.all(
        list.map(async (row) =>
          row.render
            ? { ...(await renderAttachment(db, row.render)), filename: row.filename, contentType: row.contentType }
            : { filename: row.filename, contentType: row.contentType, content: new Uint8Array(Buffer.from(row.contentBase64 ?? "", "base64")) },
        ),
      ),
    );
  }
  return out;
}

async function renderAttachment(db: Db | Tx, render: AttachmentRender): Promise<EmailAttachment> {
  // Imported when first needed: the invoice module queues its emails through this one.
  const { invoicePdfById } = await import("~/services/invoices/invoices-send.server");
  return invoicePdfById(db, render.invoiceId);
}
