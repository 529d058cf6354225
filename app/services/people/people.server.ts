import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "~db/client.server";
import { auditLog, organisationMembers, organisations, people, staffRoleNames, staffRoles, type StaffRole } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { requireAdminActor, type ServiceContext } from "~/services/context";
import { Invalid } from "~/services/errors";
import { forgetSessions } from "~/services/auth/session-cache.server";

export const emailSchema = z
  .string({ message: "email_required" })
  .trim()
  .min(1, { message: "email_required" })
  .max(254, { message: "email_invalid" })
  .pipe(z.email({ message: "email_invalid" }))
  .transform((v) => v.toLowerCase());

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findPersonByEmail(db: Db | Tx, email: string) {
  const [row] = await db.select().from(people).where(eq(people.email, normaliseEmail(email)));
  return row ?? null;
}

/** The person with this address, created when missing (audited as person_created). */
export async function ensurePerson(
  db: Db | Tx,
  input: { email: string; name?: string | null; demo?: boolean },
  actorPersonId: number | null,
): Promise<{ id: number; created: boolean }> {
  const email = normaliseEmail(input.email);
  const inserted = await db
    .insert(people)
    .values({ email, name: input.name ?? null, demo: input.demo ?? false })
    .onConflictDoNothing({ target: people.email })
    .returning({ id: people.id });
  if (inserted.length) {
    await recordAudit(db, { actorPersonId, action: "person_created", subjectPersonId: inserted[0].id, details: { email } });
    return { id: inserted[0].id, created: true };
  }
  const [row] = await db.select({ id: people.id }).from(people).where(eq(people.email, email));
  return { id: row.id, created: false };
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (staffRoleNames as readonly string[]).includes(value);
}

/** Gives a staff role (no-op when held). Returns whether it changed anything. */
export async function grantRole(
  db: Db | Tx,
  actorPersonId: number | null,
  personId: number,
  role: StaffRole,
  extraDetails: Record<string, unknown> = {},
): Promise<boolean> {
  if (!isStaffRole(role)) throw new Invalid("invalid_role", { role: "invalid_role" });
  const inserted = await db.insert(staffRoles).values({ personId, role }).onConflictDoNothing().returning({ personId: staffRoles.personId });
  if (inserted.length) {
    // This process's kept sessions now (the trigger's notification tells the others, and this one again, at commit).
    forgetSessions([personId]);
    await recordAudit(db, { actorPersonId, action: "role_granted", subjectPersonId: personId, details: { role, ...extraDetails } });
  }
  return inserted.length > 0;
}

export async function revokeRole(db: Db | Tx, actorPersonId: number | null, personId: number, role: StaffRole): Promise<boolean> {
  if (!isStaffRole(role)) throw new Invalid("invalid_role", { role: "invalid_role" });
  const removed = await db
    .delete(staffRoles)
    .where(and(eq(staffRoles.personId, personId), eq(staffRoles.role, role)))
    .returning({ personId: staffRoles.personId });
  if (removed.length) {
    forgetSessions([personId]);
    await recordAudit(db, { actorPersonId, action: "role_revoked", subjectPersonId: personId, details: { role } });
  }
  return removed.length > 0;
}

/** For `npm run user:create` and ADMIN_EMAILS: the person exists and holds the role. */
export async function ensureStaffMember(db: Db, email: string, role: StaffRole, actorPersonId: number | null = null) {
  return db.transaction(async (tx) => {
    const person = await ensurePerson(tx, { email }, actorPersonId);
    const granted = await grantRole(tx, actorPersonId, person.id, role);
    return { personId: person.id, created: person.created, granted };
  });
}

/**
 * ADMIN_EMAILS (at every start, and when a listed address without an account asks for a sign-in
 * link): the person exists and is admin, unless an admin has removed the admin role from that person
 * before (a `role_revoked` entry for the role in the audit log, which is only ever added to). So
 * removing someone's admin role lasts across restarts even while the address is still listed;
 * `npm run user:create -- --role admin` gives it back on purpose.
 */
export async function grantAdminFromConfig(
  db: Db,
  email: string,
): Promise<{ personId: number; created: boolean; granted: boolean; removedBefore: boolean }> {
  return db.transaction(async (tx) => {
    const person = await ensurePerson(tx, { email }, null);
    const [holds] = await tx
      .select({ personId: staffRoles.personId })
      .from(staffRoles)
      .where(and(eq(staffRoles.personId, person.id), eq(staffRoles.role, "admin")));
    if (holds) return { personId: person.id, created: person.created, granted: false, removedBefore: false };
    const [removed] = await tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.subjectPersonId, person.id), eq(auditLog.action, "role_revoked"), sql`${auditLog.details}->>'role' = 'admin'`))
      .limit(1);
    if (removed) return { personId: person.id, created: person.created, granted: false, removedBefore: true };
    const granted = await grantRole(tx, null, person.id, "admin", { source: "ADMIN_EMAILS" });
    return { personId: person.id, created: person.created, granted, removedBefore: false };
  });
}

/** Admins' view (/admin/people): everyone with their roles and organisations. */
export async function listPeople(ctx: ServiceContext) {
  requireAdminActor(ctx);
  const { db } = ctx;
  const [rows, roles, memberships] = await Promise.all([
    db.select().from(people).orderBy(asc(people.email)),
    db.select().from(staffRoles),
    db
      .select({ personId: organisationMembers.personId, organisationId: organisationMembers.organisationId, name: organisations.name, isAdmin: organisationMembers.isAdmin })
      .from(organisationMembers)
      .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId)),
  ]);
  return rows.map((p) => ({
    id: p.id,
    email: p.email,
    name: p.name,
    demo: p.demo,
    roles: roles.filter((r) => r.personId === p.id).map((r) => r.role).sort(),
    organisations: memberships.filter((m) => m.personId === p.id).map(({ organisationId, name, isAdmin }) => ({ organisationId, name, isAdmin })),
  }));
}
