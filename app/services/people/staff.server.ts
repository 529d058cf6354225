import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~db/client.server";
import { people, staffRoles } from "~db/schema";
import { revokeSessionsOf } from "~/services/auth/sessions.server";
import { idSchema } from "~/services/auth/validation";
import { requireAdminActor, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { roleField, staffMemberSchema } from "~/validation/people";
import { ensurePerson, grantRole, revokeRole } from "./people.server";

/** Role and session management on /admin/people: admins only. Every change is audited. */
const roleSchema = roleField;
const personIdSchema = idSchema;

function invalid(error: z.ZodError): never {
  throw new Invalid("invalid_input", fieldErrorCodes(error));
}

async function personExists(db: Db, personId: number) {
  const [row] = await db.select({ id: people.id }).from(people).where(eq(people.id, personId));
  if (!row) throw new NotFound();
}

export async function addStaffMember(ctx: ServiceContext, input: Record<string, unknown>) {
  const actor = requireAdminActor(ctx);
  const parsed = staffMemberSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error);
  return ctx.db.transaction(async (tx) => {
    const person = await ensurePerson(tx, { email: parsed.data.email }, actor.personId);
    await grantRole(tx, actor.personId, person.id, parsed.data.role);
    return person.id;
  });
}

export async function changeRole(ctx: ServiceContext, input: Record<string, unknown>, grant: boolean) {
  const actor = requireAdminActor(ctx);
  const { db } = ctx;
  const parsed = z.object({ personId: personIdSchema, role: roleSchema }).safeParse(input);
  if (!parsed.success) invalid(parsed.error);
  const { personId, role } = parsed.data;
  await personExists(db, personId);
  if (grant) return grantRole(db, actor.personId, personId, role);
  return db.transaction(async (tx) => {
    if (role === "admin") {
      // Never leave the platform without an administrator. The admin rows are locked first, so two
      // admins removing each other at the same moment take turns: the second one waits, then sees
      // (READ COMMITTED re-reads the locked rows) that only one admin is left and is refused.
      const admins = await tx.select({ personId: staffRoles.personId }).from(staffRoles).where(eq(staffRoles.role, "admin")).for("update");
      const holds = admins.some((a) => a.personId === personId);
      if (holds && admins.length <= 1) throw new Conflict("last_admin");
    }
    return revokeRole(tx, actor.personId, personId, role);
  });
}

export async function revokeSessions(ctx: ServiceContext, input: Record<string, unknown>) {
  requireAdminActor(ctx);
  const parsed = z.object({ personId: personIdSchema }).safeParse(input);
  if (!parsed.success) invalid(parsed.error);
  await personExists(ctx.db, parsed.data.personId);
  return revokeSessionsOf(ctx, parsed.data.personId);
}
