import { and, eq } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { contactRoles, industries, loginTokens, organisationMembers, organisations, type ContactRole, type Organisation } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, type Actor } from "~/services/context";
import { Conflict, Invalid, NotFound, withParams } from "~/services/errors";
import { hashToken, newToken } from "~/services/auth/tokens.server";
import { enqueueEmail } from "~/services/email/outbox.server";
import { ensurePerson, normaliseEmail } from "~/services/people/people.server";
import type { Locale } from "~/i18n/messages";
import { env } from "~/utils/env.server";
import type { OrganisationInput } from "~/validation/organisations";
import { forgetSessions } from "~/services/auth/session-cache.server";

/**
 * The organisation and contact writes other areas build on (partner signup, demo data). Helpers that
 * take the caller's transaction and the acting `author`: the calling service has checked access and
 * parsed the input with app/validation/organisations.ts.
 */

/** An invitation's sign-in link is valid for longer than a requested one (15 minutes): mail may wait a weekend. */
export const INVITATION_TTL_MS = 3 * 24 * 60 * 60_000;

export type OrganisationRecordInput = Pick<OrganisationInput, "name"> & Partial<Omit<OrganisationInput, "name">> & { demo?: boolean };

/** 409 `organisation_exists` naming the existing organisation (`params.id`, `params.name`), on the orgNumber field. */
export function organisationExists(existing: { id: number; name: string }): Conflict {
  const error = new Conflict("organisation_exists");
  error.fieldErrors = { orgNumber: "organisation_exists" };
  return withParams(error, { id: existing.id, name: existing.name });
}

/** The organisation already registered with this number, if any (numbers are stored normalised). */
export async function organisationByOrgNumber(tx: Tx, orgNumber: string | null | undefined) {
  if (!orgNumber) return null;
  const [row] = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.orgNumber, orgNumber));
  return row ?? null;
}

/** A chosen industry must be one of the table's (a 400 on the field, not a foreign-key 500). */
export async function requireKnownIndustry(tx: Tx, industryId: number | null | undefined) {
  if (industryId == null) return;
  const [row] = await tx.select({ id: industries.id }).from(industries).where(eq(industries.id, industryId));
  if (!row) throw new Invalid("invalid_organisation", { industryId: "invalid_id" });
}

/**
 * Registers an organisation. A number already registered is refused (Conflict `organisation_exists`,
 * params { id, name }); the unique index makes a concurrent second registration fail the same way.
 */
export async function createOrganisationRecord(tx: Tx, input: OrganisationRecordInput, author: Actor): Promise<Organisation> {
  await requireKnownIndustry(tx, input.industryId);
  const existing = await organisationByOrgNumber(tx, input.orgNumber);
  if (existing) throw organisationExists(existing);
  const values = {
    name: input.name,
    orgNumber: input.orgNumber ?? null,
    address: input.address ?? null,
    postalCode: input.postalCode ?? null,
    city: input.city ?? null,
    website: input.website ?? null,
    industryId: input.industryId ?? null,
    invoiceEmail: input.invoiceEmail ?? null,
    invoiceReference: input.invoiceReference ?? null,
    purchaseOrder: input.purchaseOrder ?? null,
    isPublic: input.isPublic ?? false,
    demo: input.demo ?? false,
  };
  // ON CONFLICT on the number: a registration racing this one leaves no row here instead of aborting the transaction.
  const [org] = await tx.insert(organisations).values(values).onConflictDoNothing({ target: organisations.orgNumber }).returning();
  if (!org) {
    const winner = await organisationByOrgNumber(tx, input.orgNumber);
    throw organisationExists(winner ?? { id: 0, name: "" });
  }
  await recordAudit(tx, { actorPersonId: personIdOf(author), action: "organisation_created", organisationId: org.id, details: { name: org.name, orgNumber: org.orgNumber } });
  return org;
}

export interface AddContactInput {
  organisationId: number;
  email: string;
  name?: string | null;
  roles: ContactRole[];
  isAdmin?: boolean;
  /** The invitation's language (the acting reader's, or the signing-up contact's). */
  locale?: Locale;
  /** Where the sign-in link lands; the organisation's page by default. */
  returnTo?: string;
  now?: Date;
}

/**
 * Makes the person (new or known) a contact of the organisation with these roles and, when they were
 * not one already, sends them the invitation with a single-use sign-in link through the outbox, in the
 * caller's transaction: no contact without the email, no email for a contact that was not added.
 * A person who is already a contact keeps their membership; the roles given are added to theirs.
 */
export async function addContact(tx: Tx, input: AddContactInput, author: Actor): Promise<{ personId: number; email: string; added: boolean }> {
  const email = normaliseEmail(input.email);
  const now = input.now ?? new Date();
  const [org] = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, input.organisationId));
  if (!org) throw new NotFound();
  const person = await ensurePerson(tx, { email, name: input.name ?? null }, personIdOf(author));
  const isAdmin = input.isAdmin ?? false;
  const added = await tx
    .insert(organisationMembers)
    .values({ organisationId: org.id, personId: person.id, isAdmin, roles: input.roles })
    .onConflictDoNothing()
    .returning({ personId: organisationMembers.personId });
  // A contact who is signed in already (a partner's sign-up) is one on their next request to this process.
  if (added.length) forgetSessions([person.id]);
  if (!added.length) {
    if (input.roles.length) {
      const membership = and(eq(organisationMembers.organisationId, org.id), eq(organisationMembers.personId, person.id));
      const [current] = await tx.select({ roles: organisationMembers.roles }).from(organisationMembers).where(membership).for("update");
      const roles = contactRoles.filter((r) => current.roles.includes(r) || input.roles.includes(r));
      await tx.update(organisationMembers).set({ roles }).where(membership);
    }
    return { personId: person.id, email, added: false };
  }
  await recordAudit(tx, { actorPersonId: personIdOf(author), action: "member_added", subjectPersonId: person.id, organisationId: org.id, details: { isAdmin, roles: input.roles } });
  const token = newToken();
  await tx.insert(loginTokens).values({
    tokenHash: hashToken(token),
    personId: person.id,
    returnTo: input.returnTo ?? `/org/${org.id}`,
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
  });
  await enqueueEmail(tx, {
    to: email,
    template: "contact-invitation",
    locale: input.locale ?? "sv",
    props: {
      url: `${env().appUrl}/login/verify?token=${encodeURIComponent(token)}`,
      loginUrl: `${env().appUrl}/login`,
      organisationName: org.name,
      isAdmin,
      expiresDays: INVITATION_TTL_MS / (24 * 60 * 60_000),
    },
  });
  return { personId: person.id, email, added: true };
}
