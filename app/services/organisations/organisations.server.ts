import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~db/client.server";
import { organisationMembers, organisations, people } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { fieldErrorCodes, Forbidden, Invalid, NotFound } from "~/services/errors";
import { idSchema, parseId, safeText } from "~/services/auth/validation";
import { emailSchema, ensurePerson } from "~/services/people/people.server";
import { canActForOrganisation, isStaff, type CurrentUser } from "~/utils/auth.server";

export const organisationInput = z.object({
  name: safeText(200).min(1, { message: "required" }),
  orgNumber: safeText(20)
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^\d{6}-?\d{4}$/.test(v), { message: "org_number" }),
});

/** Staff see every organisation; anyone else only those they are a contact of. */
export async function listOrganisations(db: Db, actor: CurrentUser) {
  const mine = actor.organisations.map((m) => m.organisationId);
  if (!isStaff(actor) && mine.length === 0) return [];
  return db
    .select()
    .from(organisations)
    .where(isStaff(actor) ? undefined : inArray(organisations.id, mine))
    .orderBy(asc(organisations.name));
}

/** One organisation with its contacts, for its own contacts and for staff; anyone else gets Forbidden. */
export async function getOrganisation(db: Db, actor: CurrentUser, organisationId: number) {
  if (parseId(organisationId) === null) throw new NotFound();
  if (!canActForOrganisation(actor, organisationId)) throw new Forbidden();
  const [org] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!org) throw new NotFound();
  const members = await db
    .select({ personId: people.id, email: people.email, name: people.name, isAdmin: organisationMembers.isAdmin })
    .from(organisationMembers)
    .innerJoin(people, eq(people.id, organisationMembers.personId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(people.email));
  return { organisation: org, members };
}

export async function createOrganisation(db: Db, actor: CurrentUser, input: Record<string, unknown>) {
  if (!isStaff(actor)) throw new Forbidden();
  const parsed = organisationInput.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_organisation", fieldErrorCodes(parsed.error));
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(organisations).values({ name: parsed.data.name, orgNumber: parsed.data.orgNumber }).returning();
    await recordAudit(tx, { actorPersonId: actor.personId, action: "organisation_created", organisationId: org.id, details: { name: org.name } });
    return org;
  });
}

const memberInput = z.object({
  email: emailSchema,
  isAdmin: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
});

/** Staff, or an admin of the organisation, add a contact (creating the person when new). */
export async function addMember(db: Db, actor: CurrentUser, organisationId: number, input: Record<string, unknown>) {
  if (parseId(organisationId) === null) throw new NotFound();
  if (!canActForOrganisation(actor, organisationId, { admin: true })) throw new Forbidden();
  const parsed = memberInput.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_member", fieldErrorCodes(parsed.error));
  return db.transaction(async (tx) => {
    const [org] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId));
    if (!org) throw new NotFound();
    const person = await ensurePerson(tx, { email: parsed.data.email }, actor.personId);
    const added = await tx
      .insert(organisationMembers)
      .values({ organisationId, personId: person.id, isAdmin: parsed.data.isAdmin })
      .onConflictDoNothing()
      .returning({ personId: organisationMembers.personId });
    if (added.length) {
      await recordAudit(tx, {
        actorPersonId: actor.personId,
        action: "member_added",
        subjectPersonId: person.id,
        organisationId,
        details: { isAdmin: parsed.data.isAdmin },
      });
    }
    return { personId: person.id, added: added.length > 0 };
  });
}

/** The person a contact change is about: a valid id, else a 400 naming the field. */
function memberPersonId(value: unknown): number {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new Invalid("invalid_member", { personId: "invalid_id" });
  return parsed.data;
}

export async function removeMember(db: Db, actor: CurrentUser, organisationId: number, rawPersonId: unknown) {
  if (parseId(organisationId) === null) throw new NotFound();
  if (!canActForOrganisation(actor, organisationId, { admin: true })) throw new Forbidden();
  const personId = memberPersonId(rawPersonId);
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(organisationMembers)
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, personId)))
      .returning({ personId: organisationMembers.personId });
    if (!removed.length) throw new NotFound();
    await recordAudit(tx, { actorPersonId: actor.personId, action: "member_removed", subjectPersonId: personId, organisationId });
  });
}

export async function setMemberAdmin(db: Db, actor: CurrentUser, organisationId: number, rawPersonId: unknown, isAdmin: boolean) {
  if (parseId(organisationId) === null) throw new NotFound();
  if (!canActForOrganisation(actor, organisationId, { admin: true })) throw new Forbidden();
  const personId = memberPersonId(rawPersonId);
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(organisationMembers)
      .set({ isAdmin })
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, personId)))
      .returning({ personId: organisationMembers.personId });
    if (!changed.length) throw new NotFound();
    await recordAudit(tx, { actorPersonId: actor.personId, action: "member_admin_changed", subjectPersonId: personId, organisationId, details: { isAdmin } });
  });
}
