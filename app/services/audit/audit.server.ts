import { desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { auditLog, people } from "~db/schema";
import { requireAdminActor, type ServiceContext } from "~/services/context";
import type { PreparedStatements } from "~/services/payments/hot-queries.server";

export type AuditAction =
  | "sign_in"
  | "sign_out"
  | "session_revoked"
  | "person_created"
  | "role_granted"
  | "role_revoked"
  | "member_added"
  | "member_removed"
  | "member_admin_changed"
  | "organisation_created"
  | "organisation_changed"
  | "member_roles_changed"
  | "settings_changed"
  | "goal_changed"
  | "ledger_correction"
  | "ledger_reallocation"
  | "anomaly_resolved"
  | "invoice_issued"
  | "invoice_payment_marked"
  | "invoice_voided"
  | "invoice_credited"
  | "partnership_created"
  | "partnership_changed"
  | "partnership_status_changed"
  | "partnership_signed_off"
  | "partnership_benefit_changed"
  | "partner_tier_changed"
  | "partner_terms_published"
  | "partner_signup"
  | "crm_interaction_added"
  | "crm_task_created"
  | "crm_task_completed"
  | "crm_task_reopened"
  // Collection moderation (issue 12 item 7).
  | "collection_hidden"
  | "collection_restored"
  | "greeting_hidden"
  | "greeting_restored"
  // Workplace payroll runs (issue 13 item 5).
  | "payroll_run_listed"
  | "payroll_run_confirmed"
  | "payroll_invoice_carried"
  | "payroll_invoice_carry_released"
  | "workplace_programme_closed";

export interface AuditInput {
  /** Who acted; null for the system (ADMIN_EMAILS at start, the command line). */
  actorPersonId: number | null;
  action: AuditAction;
  subjectPersonId?: number | null;
  organisationId?: number | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one entry, in the caller's transaction so the entry and the change commit together. An
 * internal helper: it takes the transaction, not a context; the service that calls it checked access.
 * `named`: as a named (prepared) statement (see enqueueEmailWithAttachments).
 */
export async function recordAudit(db: Db | Tx, entry: AuditInput, opts: { named?: boolean; statements?: PreparedStatements } = {}): Promise<void> {
  const values = {
    actorPersonId: entry.actorPersonId,
    action: entry.action,
    subjectPersonId: entry.subjectPersonId ?? null,
    organisationId: entry.organisationId ?? null,
    details: entry.details ?? {},
  };
  // `statements`: the insert is built once per database and run with these values (the payroll month).
  if (opts.statements) return void (await opts.statements.built(db, "record_audit_cached", () => db.insert(auditLog).values(auditPlaceholders), values));
  const insert = db.insert(auditLog).values(values);
  await (opts.named ? insert.prepare("record_audit").execute() : insert);
}

const auditPlaceholders = Object.fromEntries(["actorPersonId", "action", "subjectPersonId", "organisationId", "details"].map((k) => [k, sql.placeholder(k)])) as unknown as typeof auditLog.$inferInsert;

/** Admins only: newest first, with the actor's and subject's email for display. */
export async function listAudit(ctx: ServiceContext, opts: { limit?: number; subjectPersonId?: number } = {}) {
  requireAdminActor(ctx);
  const { db } = ctx;
  const rows = await db
    .select()
    .from(auditLog)
    .where(opts.subjectPersonId ? eq(auditLog.subjectPersonId, opts.subjectPersonId) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(opts.limit ?? 200);
  const ids = new Set<number>();
  for (const r of rows) {
    if (r.actorPersonId) ids.add(r.actorPersonId);
    if (r.subjectPersonId) ids.add(r.subjectPersonId);
  }
  const emails = new Map<number, string>();
  if (ids.size) {
    const found = await db
      .select({ id: people.id, email: people.email })
      .from(people)
      .where(inArray(people.id, [...ids]));
    for (const p of found) emails.set(p.id, p.email);
  }
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    action: r.action,
    actor: r.actorPersonId ? (emails.get(r.actorPersonId) ?? `#${r.actorPersonId}`) : null,
    subject: r.subjectPersonId ? (emails.get(r.subjectPersonId) ?? `#${r.subjectPersonId}`) : null,
    organisationId: r.organisationId,
    details: r.details,
  }));
}
