import { and, asc, eq, ne } from "drizzle-orm";
import { isUniqueViolation, type Tx } from "~db/client.server";
import { industries, organisationMembers, organisations, type Organisation } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireOrganisationActor, requirePerson, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { parseId } from "~/services/auth/validation";
import { invoiceDetailsSchema, memberRolesSchema, organisationSchema, type InvoiceDetailsInput, type OrganisationInput } from "~/validation/organisations";
import { organisationExists, requireKnownIndustry } from "./records.server";

/**
 * Changing an organisation: staff edit everything, its own contacts its invoice details (and its logo,
 * logos.server.ts). Each change is audited with the fields that changed, before and after.
 */

/** The SNI 2007 sections for the industry select, in section order. */
export async function listIndustries(ctx: ServiceContext) {
  requirePerson(ctx);
  return ctx.db.select().from(industries).orderBy(asc(industries.slug));
}

function organisationIdOr404(ctx: ServiceContext, organisationId: number) {
  requirePerson(ctx);
  if (parseId(organisationId) === null) throw new NotFound();
}

/** The fields that differ, as { field: [before, after] } for the audit log. */
function changes(before: Organisation, after: Partial<Organisation>) {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before[key as keyof Organisation];
    if (old !== value) out[key] = [old, value];
  }
  return out;
}

async function applyChange(tx: Tx, ctx: ServiceContext, organisationId: number, values: Partial<Organisation>) {
  const [before] = await tx.select().from(organisations).where(eq(organisations.id, organisationId)).for("update");
  if (!before) throw new NotFound();
  const changed = changes(before, values);
  if (Object.keys(changed).length === 0) return before;
  const [after] = await tx.update(organisations).set(values).where(eq(organisations.id, organisationId)).returning();
  await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "organisation_changed", organisationId, details: { changes: changed } });
  return after;
}

/** Staff change any of an organisation's details; a number another organisation has is refused with a link to it. */
export async function updateOrganisation(ctx: ServiceContext, organisationId: number, input: Record<string, unknown>) {
  organisationIdOr404(ctx, organisationId);
  requireStaffActor(ctx);
  const parsed = organisationSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_organisation", fieldErrorCodes(parsed.error));
  const values: OrganisationInput = parsed.data;
  try {
    return await ctx.db.transaction(async (tx) => {
      await requireKnownIndustry(tx, values.industryId);
      if (values.orgNumber) {
        const [other] = await tx
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(and(eq(organisations.orgNumber, values.orgNumber), ne(organisations.id, organisationId)));
        if (other) throw organisationExists(other);
      }
      return applyChange(tx, ctx, organisationId, values);
    });
  } catch (error) {
    // Another organisation took the number between the check and the update.
    if (isUniqueViolation(error)) throw organisationExists({ id: 0, name: values.orgNumber ?? "" });
    throw error;
  }
}

/** The organisation's own contacts (any of them) and staff change where invoices go, the reference and PO. */
export async function updateInvoiceDetails(ctx: ServiceContext, organisationId: number, input: Record<string, unknown>) {
  organisationIdOr404(ctx, organisationId);
  requireOrganisationActor(ctx, organisationId);
  const parsed = invoiceDetailsSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_invoice_details", fieldErrorCodes(parsed.error));
  const values: InvoiceDetailsInput = parsed.data;
  return ctx.db.transaction((tx) => applyChange(tx, ctx, organisationId, values));
}

/** Staff, or an admin of the organisation, set a contact's roles. */
export async function setMemberRoles(ctx: ServiceContext, organisationId: number, input: Record<string, unknown>) {
  organisationIdOr404(ctx, organisationId);
  const actor = requireOrganisationActor(ctx, organisationId, { admin: true });
  const parsed = memberRolesSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_member", fieldErrorCodes(parsed.error));
  const { personId, roles } = parsed.data;
  return ctx.db.transaction(async (tx) => {
    const changed = await tx
      .update(organisationMembers)
      .set({ roles })
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, personId)))
      .returning({ personId: organisationMembers.personId });
    if (!changed.length) throw new NotFound();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "member_roles_changed", subjectPersonId: personId, organisationId, details: { roles } });
  });
}
