import { and, asc, eq, inArray } from "drizzle-orm";
import { loginTokens, organisationMembers, organisations, people } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { isStaffActor, personIdOf, requireOrganisationActor, requirePerson, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { idSchema, parseId } from "~/services/auth/validation";
import { enqueueEmail } from "~/services/email/outbox.server";
import { hashToken, newToken } from "~/services/auth/tokens.server";
import { ensurePerson, normaliseEmail } from "~/services/people/people.server";
import { env } from "~/utils/env.server";
import { legalFormOf } from "./org-number";
import { memberSchema, organisationSchema } from "~/validation/organisations";

// The forms' schemas, shared with the pages (app/validation/organisations.ts).
export const organisationInput = organisationSchema;

/** An invitation's sign-in link is valid for longer than a requested one (15 minutes): mail may wait a weekend. */
export const INVITATION_TTL_MS = 3 * 24 * 60 * 60_000;

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
  const [org] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!org) throw new NotFound();
  const organisation = { ...org, legalForm: legalFormOf(org.orgNumber) };
  const members = await db
    .select({ personId: people.id, email: people.email, name: people.name, isAdmin: organisationMembers.isAdmin })
    .from(organisationMembers)
    .innerJoin(people, eq(people.id, organisationMembers.personId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(people.email));
  return { organisation, members };
}

/** Staff register a partner organisation. */
export async function createOrganisation(ctx: ServiceContext, input: Record<string, unknown>) {
  const actor = requireStaffActor(ctx);
  const parsed = organisationInput.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_organisation", fieldErrorCodes(parsed.error));
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx.insert(organisations).values({ name: parsed.data.name, orgNumber: parsed.data.orgNumber }).returning();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "organisation_created", organisationId: org.id, details: { name: org.name } });
    return org;
  });
}

const memberInput = memberSchema;

/**
 * Staff, or an admin of the organisation, add a contact (creating the person when new). A newly added
 * contact is sent an invitation with a sign-in link (through the outbox, in the same transaction, so
 * no contact is added without the email and no email goes out for a contact that was not added).
 * The invitation is written in the acting reader's language (`ctx.locale`).
 */
export async function addMember(ctx: ServiceContext, organisationId: number, input: Record<string, unknown>, now = new Date()) {
  const actor = requireOrgAdmin(ctx, organisationId);
  const { locale } = ctx;
  const parsed = memberInput.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_member", fieldErrorCodes(parsed.error));
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, organisationId));
    if (!org) throw new NotFound();
    const person = await ensurePerson(tx, { email: parsed.data.email }, personIdOf(actor));
    const added = await tx
      .insert(organisationMembers)
      .values({ organisationId, personId: person.id, isAdmin: parsed.data.isAdmin })
      .onConflictDoNothing()
      .returning({ personId: organisationMembers.personId });
    if (added.length) {
      await recordAudit(tx, {
        actorPersonId: personIdOf(actor),
        action: "member_added",
        subjectPersonId: person.id,
        organisationId,
        details: { isAdmin: parsed.data.isAdmin },
      });
      const token = newToken();
      const returnTo = `/org/${organisationId}`;
      await tx.insert(loginTokens).values({ tokenHash: hashToken(token), personId: person.id, returnTo, createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) });
      await enqueueEmail(tx, {
        to: normaliseEmail(parsed.data.email),
        template: "contact-invitation",
        locale,
        props: {
          url: `${env().appUrl}/login/verify?token=${encodeURIComponent(token)}`,
          loginUrl: `${env().appUrl}/login`,
          organisationName: org.name,
          isAdmin: parsed.data.isAdmin,
          expiresDays: INVITATION_TTL_MS / (24 * 60 * 60_000),
        },
      });
    }
    return { personId: person.id, email: normaliseEmail(parsed.data.email), added: added.length > 0 };
  });
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
  return ctx.db.transaction(async (tx) => {
    const removed = await tx
      .delete(organisationMembers)
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, personId)))
      .returning({ personId: organisationMembers.personId });
    if (!removed.length) throw new NotFound();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "member_removed", subjectPersonId: personId, organisationId });
  });
}

export async function setMemberAdmin(ctx: ServiceContext, organisationId: number, rawPersonId: unknown, isAdmin: boolean) {
  const actor = requireOrgAdmin(ctx, organisationId);
  const personId = memberPersonId(rawPersonId);
  return ctx.db.transaction(async (tx) => {
    const changed = await tx
      .update(organisationMembers)
      .set({ isAdmin })
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, personId)))
      .returning({ personId: organisationMembers.personId });
    if (!changed.length) throw new NotFound();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "member_admin_changed", subjectPersonId: personId, organisationId, details: { isAdmin } });
  });
}
