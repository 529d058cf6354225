import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { certificates, partnerships, type Certificate, type CertificateFacts } from "~db/schema";
import { isStaffActor, personIdOf, requireOrganisationActor, requirePerson, type ServiceContext } from "~/services/context";
import { Forbidden, NotFound } from "~/services/errors";
import { env } from "~/utils/env.server";
import { renderCertificatePdf } from "./certificate-pdf.server";
import { currentCertificateFacts, sameFacts } from "./certificate-facts.server";

/**
 * Partner certificates (issue 11 item 8): one per partnership and calendar year with money in, for the
 * company's sustainability report. The facts are frozen in a `certificates` row with a random code; the
 * same facts asked for again give the same certificate (and code), changed facts (a later payment, a
 * refund, a renamed company) a new one, the older marked superseded. /verify/<code> shows the row.
 */

const CODE_PATTERN = /^[A-Za-z0-9_-]{16}$/;
/** 12 random bytes: 96 bits, not guessable, 16 characters in a link. */
const newCode = () => randomBytes(12).toString("base64url");

export function certificateVerifyUrl(code: string): string {
  return `${env().appUrl}/verify/${code}`;
}

/** The current certificate of the partnership year, issued now if there is none or the facts changed. */
export async function issueCertificate(ctx: ServiceContext, partnershipId: number, year: number): Promise<Certificate> {
  const person = requirePerson(ctx);
  const hidden = () => (isStaffActor(person) ? new NotFound("partnership_not_found") : new Forbidden());
  if (!Number.isSafeInteger(partnershipId) || partnershipId <= 0) throw hidden();
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new NotFound("certificate_not_found");
  return ctx.db.transaction(async (tx) => {
    // The partnership's row lock makes two requests for one year issue one certificate, not two.
    const [partnership] = await tx.select({ organisationId: partnerships.organisationId }).from(partnerships).where(eq(partnerships.id, partnershipId)).for("update");
    // A contact learns nothing about other organisations' partnerships, not even that they exist.
    if (!partnership) throw hidden();
    requireOrganisationActor(ctx, partnership.organisationId);
    const current = await currentCertificateFacts(tx, partnershipId, year);
    if (!current || BigInt(current.facts.amountOre) <= 0n) throw new NotFound("certificate_not_found");
    const [existing] = await tx
      .select()
      .from(certificates)
      .where(and(eq(certificates.partnershipId, partnershipId), eq(certificates.year, year), isNull(certificates.supersededAt)));
    if (existing && sameFacts(existing.facts, current.facts)) return existing;
    if (existing) await tx.update(certificates).set({ supersededAt: new Date() }).where(eq(certificates.id, existing.id));
    const [row] = await tx
      .insert(certificates)
      .values({ code: newCode(), partnershipId, year, facts: current.facts, issuedByPersonId: personIdOf(ctx.actor) })
      .returning();
    return row;
  });
}

/** The certificate as a PDF in the reader's language (the one for the partner's sustainability report). */
export async function partnerCertificatePdf(ctx: ServiceContext, partnershipId: number, year: number): Promise<{ filename: string; content: Uint8Array; code: string }> {
  const certificate = await issueCertificate(ctx, partnershipId, year);
  const content = await renderCertificatePdf({ locale: ctx.locale, facts: certificate.facts, code: certificate.code, issuedAt: certificate.issuedAt, verifyUrl: certificateVerifyUrl(certificate.code) });
  const prefix = ctx.locale === "en" ? "partner-certificate" : "partnerintyg";
  return { filename: `${prefix}-${certificate.facts.goal.slug}-${year}.pdf`, content, code: certificate.code };
}

export interface VerifiedCertificate {
  code: string;
  facts: CertificateFacts;
  issuedAt: string;
  superseded: boolean;
}

/**
 * The public check behind /verify/<code>: the facts the certificate states, as issued, and whether a newer
 * one replaced it; null for a code no certificate has. Anyone may ask (the code is the secret); the facts
 * hold no personal data.
 */
export async function verifyCertificate(ctx: ServiceContext, code: string): Promise<VerifiedCertificate | null> {
  if (!CODE_PATTERN.test(code)) return null;
  const [row] = await ctx.db.select().from(certificates).where(eq(certificates.code, code));
  if (!row) return null;
  return { code: row.code, facts: row.facts, issuedAt: row.issuedAt.toISOString(), superseded: row.supersededAt !== null };
}
