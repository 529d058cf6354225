import { and, asc, eq, inArray } from "drizzle-orm";
import { industries, organisationMembers, organisations, people } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { isStaffActor, personIdOf, requireOrganisationActor, requirePerson, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { idSchema, parseId } from "~/services/auth/validation";
import { legalFormOf } from "./org-number";
import { addContact, createOrganisationRecord } from "./records.server";
import { organisationLogoUrl } from "./logo-url";
import { memberSchema, organisationSchema } from "~/validation/organisations";
import { forgetSessions } from "~/services/auth/session-cache.server";

// The forms' schemas, shared with the pages (app/validation/organisations.ts).
export const organisationInput = organisationSchema;

// The transaction-level helpers other areas build on (partner signup, demo data).
export { addContact, createOrganisationRecord, INVITATION_TTL_MS } from "./records.server";
export { normaliseOrgNumber } from "./org-number";
export { organisationLogoUrl } from "./logo-url";

/** Staff see every organisation; anyone else signed in only those they are a contact of. */
export async function listOrganisations(ctx: ServiceContext) {
  const actor = requirePerson(ctx);
  const staff = isStaffActor(actor);
  const mine = actor.organisations.map((m) => m.organisationId);
  if (!staff && mine.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(organisations)
    .where(staff ? undefined : inArray(organisations.id, mine))
    .orderBy(asc(organisations.name));
  return rows.map((o) => ({ ...o, legalForm: legalFormOf(o.orgNumber) }));
}

/** One organisation with its contacts, for its own contacts and for staff; anyone else gets Forbidden. */
export async function getOrganisation(ctx: ServiceContext, organisationId: number) {
  requirePerson(ctx);
  if (parseId(organisationId) === null) throw new NotFound();
  requireOrganisationActor(ctx, organisationId);
  const { db } = ctx;
  const [row] = await db
    .select({ org: organisations, industry: { nameSv: industries.nameSv, nameEn: industries.nameEn } })
    .from(organisations)
    .leftJoin(industries, eq(industries.id, organisations.industryId))
    .where(eq(organisations.id, organisationId));
  if (!row) throw new NotFound();
  const { org, industry } = row;
  const organisation = { ...org, legalForm: legalFormOf(org.orgNumber), industry, logoUrl: organisationLogoUrl(org) };
  const members = await db
    .select({ personId: people.id, email: people.email, name: people.name, isAdmin: organisationMembers.isAdmin, roles: organisationMembers.roles })
    .from(organisationMembers)
    .innerJoin(people, eq(people.id, organisationMembers.personId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(people.email));
  return { organisation, members };
}

/** Staff register a partner organisation (a number already registered: Conflict naming the existing one). */
export async function createOrganisation(ctx: ServiceContext, input: Record<string, unknown>) {
  const actor = requireStaffActor(ctx);
  const parsed = organisationInput.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_organisation", fieldErrorCodes(parsed.error));
  return ctx.db.transaction((tx) => createOrganisationRecord(tx, parsed.data, actor));
}

const memberInput = memberSchema;

/**
 * Staff, or an admin of the organisation, add a contact with roles (creating the person when new).
 * A newly added contact is sent an invitation with a sign-in link (addContact), written in the acting
 * reader's language (`ctx.locale`).
 */
export async function addMember(ctx: ServiceContext, organisationId: number, input: Record<string, unknown>, now = new Date()) {
  const actor = requireOrgAdmin(ctx, organisationId);
  const parsed = memberInput.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_member", fieldErrorCodes(parsed.error));
  const { email, name, roles, isAdmin } = parsed.data;
  return ctx.db.transaction((tx) => addContact(tx, { organisationId, email, name, roles, isAdmin, locale: ctx.locale, now }, actor));
}

/** Staff, or an admin of the organisation (a malformed organisation id is not found). */
function requireOrgAdmin(ctx: ServiceContext, organisationId: number) {
  requirePerson(ctx);
  if (parseId(organisationId) === null) throw new NotFound();
  return requireOrganisationActor(ctx, organisationId, { admin: true });
}

/** The person a contact change is about: a valid id, else a 400 naming the field. */
function memberPersonId(value: unknown): number {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new Invalid("invalid_member", { personId: "invalid_id" });
  return parsed.data;
}

export async function removeMember(ctx: ServiceContext, organisationId: number, rawPersonId: unknown) {
  const actor = requireOrgAdmin(ctx, organisationId);
  const personId = memberPersonId(rawPersonId);
  await ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(organisationMembers)
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, personId)))
      .returning({ personId: organisationMembers.personId });
    if (!removed.length) throw new NotFound();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "member_removed", subjectPersonId: personId, organisationId });
  });
  forgetSessions([personId]);
}

export async function setMemberAdmin(ctx: ServiceContext, organisationId: number, rawPersonId: unknown, isAdmin: boolean) {
  const actor = requireOrgAdmin(ctx, organisationId);
  const personId = memberPersonId(rawPersonId);
  await ctx.db.transaction(async (tx) => {
    const changed = await tx
      .update(organisationMembers)
      .set({ isAdmin })
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, personId)))
      .returning({ personId: organisationMembers.personId });
    if (!changed.length) throw new NotFound();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "member_admin_changed", subjectPersonId: personId, organisationId, details: { isAdmin } });
  });
  forgetSessions([personId]);
}
