import { createHash } from "node:crypto";
import { and, eq, ne } from "drizzle-orm";
import { organisationLogos, organisations } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireOrganisationActor, requirePerson, type ServiceContext } from "~/services/context";
import { Invalid, NotFound } from "~/services/errors";
import { parseId } from "~/services/auth/validation";
import { LOGO_MAX_BYTES } from "~/validation/organisations";

/**
 * Organisation logos. Only PNG, JPEG and WebP, recognised by their first bytes (the upload's name and
 * claimed type are ignored): an SVG or HTML file could carry script that would run on our origin.
 */
export { LOGO_MAX_BYTES };
export const logoTypes = ["image/png", "image/jpeg", "image/webp"] as const;
export type LogoType = (typeof logoTypes)[number];

/** The image type the bytes are, by their magic numbers, or null. */
export function detectLogoType(bytes: Uint8Array): LogoType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF <size> WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

function refuse(code: string) {
  return new Invalid("invalid_logo", { logo: code });
}

/**
 * Staff or the organisation's own contacts replace its logo. Refused (400 on the `logo` field, nothing
 * written): no file (`logo_required`), over LOGO_MAX_BYTES (`logo_too_large`), not PNG/JPEG/WebP by its
 * bytes (`logo_type`). The previous logo is deleted.
 */
export async function setOrganisationLogo(ctx: ServiceContext, organisationId: number, bytes: Uint8Array | null) {
  requirePerson(ctx);
  if (parseId(organisationId) === null) throw new NotFound();
  const actor = requireOrganisationActor(ctx, organisationId);
  if (!bytes || bytes.length === 0) throw refuse("logo_required");
  if (bytes.length > LOGO_MAX_BYTES) throw refuse("logo_too_large");
  const contentType = detectLogoType(bytes);
  if (!contentType) throw refuse("logo_type");
  const buffer = Buffer.from(bytes);
  const sha256 = createHash("sha256").update(buffer).digest("hex");
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId)).for("update");
    if (!org) throw new NotFound();
    const [logo] = await tx.insert(organisationLogos).values({ organisationId, contentType, bytes: buffer, sha256 }).returning({ id: organisationLogos.id });
    await tx.update(organisations).set({ logoId: logo.id }).where(eq(organisations.id, organisationId));
    await tx.delete(organisationLogos).where(and(eq(organisationLogos.organisationId, organisationId), ne(organisationLogos.id, logo.id)));
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "organisation_changed", organisationId, details: { logo: { contentType, bytes: buffer.length, sha256 } } });
    return { logoId: logo.id, contentType, sha256 };
  });
}

/**
 * A logo's bytes for /logos/<id>: anyone's when its organisation is public (the partner wall shows it),
 * otherwise only staff's and the organisation's contacts' (SignInRequired, then Forbidden). A logo that
 * is no longer an organisation's current one is not found.
 */
export async function getOrganisationLogo(ctx: ServiceContext, logoId: number) {
  if (parseId(logoId) === null) throw new NotFound();
  const [row] = await ctx.db
    .select({ bytes: organisationLogos.bytes, contentType: organisationLogos.contentType, sha256: organisationLogos.sha256, organisationId: organisationLogos.organisationId, isPublic: organisations.isPublic })
    .from(organisationLogos)
    .innerJoin(organisations, eq(organisations.logoId, organisationLogos.id))
    .where(eq(organisationLogos.id, logoId));
  if (!row) throw new NotFound();
  if (!row.isPublic) requireOrganisationActor(ctx, row.organisationId);
  return { bytes: row.bytes, contentType: row.contentType as LogoType, sha256: row.sha256, isPublic: row.isPublic };
}
