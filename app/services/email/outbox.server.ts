import { and, asc, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "~db/client.server";
import { emailOutbox, type OutboxRow } from "~db/schema";
import { isTemplateName, type TemplateName } from "~emails/index";
import type { Locale } from "~/i18n/messages";
import { requireAdminActor, type ServiceContext } from "~/services/context";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { attachmentsFor } from "./attachments.server";
import { renderEmail } from "./render.server";
import type { EmailTransport } from "./transport.server";

export type { TemplateName } from "~emails/index";

export interface EmailMessage {
  to: string;
  template: TemplateName;
  locale: Locale;
  props: Record<string, unknown>;
  /** Unique: a second enqueue with the same key is ignored (e.g. `receipt:<payment id>`). */
  dedupeKey?: string;
}

/**
 * Queues one email. Given a transaction, the row commits (or rolls back) with the caller's change.
 * Rendering happens in the worker, so the charity identity in the footer is the one at send time.
 */
export async function enqueueEmail(db: Db | Tx, msg: EmailMessage): Promise<void> {
  await outboxInsert(db, msg);
  wakeOutbox();
}

/** The INSERT that queues one email, not yet run (for a caller that sends it with other writes). */
export function outboxInsert(db: Db | Tx, msg: EmailMessage) {
  return outboxOnConflict(db.insert(emailOutbox).values(outboxRow(msg)));
}

/** The outbox row of one email (checked), for outboxInsert or a caller that builds the INSERT itself. */
export function outboxRow(msg: EmailMessage) {
  if (!isTemplateName(msg.template)) throw new Error(`unknown email template: ${String(msg.template)}`);
  return { to: msg.to.trim(), template: msg.template, locale: msg.locale, props: msg.props, dedupeKey: msg.dedupeKey ?? null };
}

/** An email already queued under its dedupe key is not queued again. */
export function outboxOnConflict<Q extends { onConflictDoNothing(config: { target: typeof emailOutbox.dedupeKey }): unknown }>(insert: Q) {
  return insert.onConflictDoNothing({ target: emailOutbox.dedupeKey }) as ReturnType<Q["onConflictDoNothing"]>;
}

/** Tells this instance's worker that something was queued (best after the queuing transaction committed). */
export function wakeOutbox(): void {
  outboxListeners.forEach((fn) => fn());
}

/**
 * Props that carry a secret: the sign-in link's token (decision 0003 keeps only its hash). The worker
 * needs it until the message is sent; after that, or once the message has failed for good, the row
 * keeps the subject and status but not the link, the HTML or the text. Exception: a message "sent"
 * by the dev mailbox (local mode, no RESEND_API_KEY), where the row is the recipient's inbox.
 */
export const secretProps: Partial<Record<TemplateName, readonly string[]>> = { "sign-in-link": ["url"], "contact-invitation": ["url"] };

export function hasSecrets(template: string): boolean {
  return isTemplateName(template) && !!secretProps[template]?.length;
}

/** The props without their secrets, marked `redacted` (the dev mailbox says the link was removed). */
export function redactedProps(template: string, props: Record<string, unknown>): Record<string, unknown> {
  const secret = (isTemplateName(template) && secretProps[template]) || [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props ?? {})) if (!secret.includes(key)) out[key] = value;
  return { ...out, redacted: true };
}

export function isRedacted(row: Pick<OutboxRow, "props">): boolean {
  return (row.props as Record<string, unknown> | null)?.redacted === true;
}

/** The running worker (if any) subscribes here to be woken when something is queued. */
export const outboxListeners = new Set<() => void>();

export const outboxDefaults = {
  batchSize: 20,
  /** Long enough for any provider call; a claim older than this is taken to be from a dead worker. */
  lockMs: 5 * 60_000,
  maxAttempts: 8,
};

/** 30 s, 1 min, 2 min, … capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

export interface ProcessOptions {
  db: Db;
  transport: EmailTransport;
  clock?: () => Date;
  batchSize?: number;
  lockMs?: number;
  maxAttempts?: number;
}

export interface ProcessResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Claims due rows and sends them. The claim is one UPDATE over a sub-select locked with
 * FOR UPDATE SKIP LOCKED: two workers (two instances) never get the same row; a row claimed by a
 * worker that died becomes due again when its lock runs out. Marking a row sent checks the claim
 * token, so a worker whose claim was taken over cannot overwrite the newer claim's result.
 */
export async function processOutboxOnce(opts: ProcessOptions): Promise<ProcessResult> {
  const claim: UnsettledClaim = { claimToken: randomUUID(), sent: [], transportName: opts.transport.name };
  try {
    return await claimAndSend(opts, claim);
  } catch (error) {
    throw new OutboxInterrupted(claim, error);
  }
}

type SentMessage = { id: number; subject: string; html: string | null; text: string | null; props: Record<string, unknown> | null; providerId: string | null };

/** A run's claim whose outcome was not recorded: the messages it sent, and its token for the rest. */
export interface UnsettledClaim {
  claimToken: string;
  sent: SentMessage[];
  transportName: string;
}

/**
 * A run that failed part way (the database went away): its claim is still on the rows until
 * settleClaim records what was sent and gives the rest back. Without that, the rows would wait for
 * the claim to run out (lockMs, five minutes) before any worker sent them.
 */
export class OutboxInterrupted extends Error {
  constructor(
    readonly claim: UnsettledClaim,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "OutboxInterrupted";
  }
}

/**
 * Records the messages an interrupted run sent, and makes its other claimed rows due again at once
 * (the attempt is not counted: the database failed, not the message). Only rows still under this
 * claim's token are touched. Safe to repeat until it succeeds.
 */
export async function settleClaim(db: Db, claim: UnsettledClaim): Promise<void> {
  if (claim.sent.length) await recordSent(db, claim.sent, claim.transportName, claim.claimToken);
  await db
    .update(emailOutbox)
    .set({ status: "pending", claimToken: null, lockedUntil: null, nextAttemptAt: new Date(), attempts: sql`greatest(${emailOutbox.attempts} - 1, 0)` })
    .where(and(eq(emailOutbox.claimToken, claim.claimToken), eq(emailOutbox.status, "sending")));
}

/** The rows a worker's claim takes at `now`: pending and due, or sending with a claim that ran out (a crashed worker). */
function dueAt(now: Date) {
  return or(
    and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now)),
    and(eq(emailOutbox.status, "sending"), lt(emailOutbox.lockedUntil, now)),
  );
}

/** Whether the outbox holds a row that a worker's claim would take now. */
export async function anEmailIsDue(db: Db): Promise<boolean> {
  const rows = await db.select({ id: emailOutbox.id }).from(emailOutbox).where(dueAt(new Date())).limit(1);
  return rows.length > 0;
}

async function claimAndSend(opts: ProcessOptions, claim: UnsettledClaim): Promise<ProcessResult> {
  const { db, transport } = opts;
  const now = (opts.clock ?? (() => new Date()))();
  const batchSize = opts.batchSize ?? outboxDefaults.batchSize;
  const lockMs = opts.lockMs ?? outboxDefaults.lockMs;
  const maxAttempts = opts.maxAttempts ?? outboxDefaults.maxAttempts;
  const { claimToken } = claim;

  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(dueAt(now))
    .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
    .limit(batchSize)
    .for("update", { skipLocked: true });
  const claimed: OutboxRow[] = await db
    .update(emailOutbox)
    .set({
      status: "sending",
      claimToken,
      lockedUntil: new Date(now.getTime() + lockMs),
      attempts: sql`${emailOutbox.attempts} + 1`,
    })
    .where(inArray(emailOutbox.id, due))
    .returning();

  const result: ProcessResult = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
  if (!claimed.length) return result;
  const identity = await getCharityIdentity(db);
  const files = await attachmentsFor(db, claimed.map((row) => row.id));
  // Sent messages are recorded together, in one statement after the batch (one round trip instead
  // of one per message); a crash before that leaves them claimed, and the next claim sends them
  // again under the same idempotency key (the row id), which Resend does not deliver twice.
  const { sent } = claim;
  for (const row of claimed.sort((a, b) => a.id - b.id)) {
    const mine = and(eq(emailOutbox.id, row.id), eq(emailOutbox.claimToken, claimToken));
    try {
      if (!isTemplateName(row.template)) throw new Error(`unknown email template: ${row.template}`);
      const rendered = await renderEmail(row.template, row.locale === "en" ? "en" : "sv", row.props, identity);
      const { providerId } = await transport.send({ id: row.id, to: row.to, ...rendered, attachments: await files.get(row.id)?.() });
      const scrub = hasSecrets(row.template) && !transport.local;
      sent.push(
        scrub
          ? { id: row.id, subject: rendered.subject, html: null, text: null, props: redactedProps(row.template, row.props), providerId: providerId ?? null }
          : { id: row.id, ...rendered, props: null, providerId: providerId ?? null },
      );
      result.sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = row.attempts >= maxAttempts;
      await db
        .update(emailOutbox)
        .set({
          status: giveUp ? "failed" : "pending",
          // Given up: nobody will send this link any more, so it is not kept either.
          ...(giveUp && hasSecrets(row.template) ? { props: redactedProps(row.template, row.props), html: null, text: null } : {}),
          nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)),
          lastError: message.slice(0, 1000),
          claimToken: null,
          lockedUntil: null,
        })
        .where(mine);
      if (giveUp) {
        result.failed++;
        console.error(`[email] message ${row.id} failed for good after ${row.attempts} attempts: ${message}`);
      } else {
        result.retrying++;
        console.warn(`[email] message ${row.id} attempt ${row.attempts} failed, will retry: ${message}`);
      }
    }
  }
  if (sent.length) await recordSent(db, sent, transport.name, claimToken);
  return result;
}

/**
 * Marks messages sent, in one UPDATE … FROM (VALUES …). The claim token is checked per row, so a
 * worker whose claim was taken over cannot overwrite the newer claim's result. Props stay as they
 * are unless given (a secret removed).
 */
async function recordSent(db: Db, sent: SentMessage[], transportName: string, claimToken: string) {
  const values = sql.join(
    sent.map((m) => sql`(${m.id}::integer, ${m.subject}::text, ${m.html}::text, ${m.text}::text, ${m.props === null ? null : JSON.stringify(m.props)}::jsonb, ${m.providerId}::text)`),
    sql`, `,
  );
  await db.execute(sql`
    update ${emailOutbox} as o
       set status = 'sent', sent_at = now(), subject = v.subject, html = v.html, text = v.text,
           props = coalesce(v.props, o.props), transport = ${transportName}, provider_id = v.provider_id,
           claim_token = null, locked_until = null, last_error = null
      from (values ${values}) as v (id, subject, html, text, props, provider_id)
     where o.id = v.id and o.claim_token = ${claimToken}`);
}

/**
 * Runs until nothing is due (used by the worker loop and by tests). A claim that got fewer rows than
 * it asked for took every due row no other worker held, so no further claim is made: during a busy
 * hour the worker is woken every ~50 ms with a few receipts, and the empty claim after each batch was
 * one more UPDATE per batch. A message queued meanwhile wakes the worker again (worker.server.ts),
 * or another instance's poll finds it.
 */
export async function drainOutbox(opts: ProcessOptions): Promise<ProcessResult> {
  const batchSize = opts.batchSize ?? outboxDefaults.batchSize;
  const total: ProcessResult = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const r = await processOutboxOnce(opts);
    total.claimed += r.claimed;
    total.sent += r.sent;
    total.retrying += r.retrying;
    total.failed += r.failed;
    if (r.claimed < batchSize || r.retrying + r.failed === r.claimed) return total;
  }
}

/** The dev mailbox (and staff) list: newest first. */
export async function listOutbox(db: Db, limit = 100) {
  return db
    .select({
      id: emailOutbox.id,
      to: emailOutbox.to,
      template: emailOutbox.template,
      subject: emailOutbox.subject,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .orderBy(desc(emailOutbox.id))
    .limit(limit);
}

export async function getOutboxMessage(db: Db, id: number): Promise<OutboxRow | null> {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  return row ?? null;
}

/** Admins: queue state without contents (a sign-in link in a body would let staff sign in as someone). */
export async function listOutboxForStaff(ctx: ServiceContext, limit = 200) {
  requireAdminActor(ctx);
  const { db } = ctx;
  const rows = await db
    .select({
      id: emailOutbox.id,
      to: emailOutbox.to,
      template: emailOutbox.template,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
      nextAttemptAt: emailOutbox.nextAttemptAt,
    })
    .from(emailOutbox)
    .orderBy(desc(emailOutbox.id))
    .limit(limit);
  return rows;
}

/**
 * Admins: give a message that failed for good another round of attempts. Not one whose secret was
 * removed (a sign-in link: the person asks for a new one).
 */
export async function retryFailedEmail(ctx: ServiceContext, id: number): Promise<boolean> {
  requireAdminActor(ctx);
  const { db } = ctx;
  const rows = await db
    .update(emailOutbox)
    .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null })
    .where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, "failed"), sql`coalesce(${emailOutbox.props}->>'redacted', '') <> 'true'`))
    .returning({ id: emailOutbox.id });
  if (rows.length) wakeOutbox();
  return rows.length > 0;
}
