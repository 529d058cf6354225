import { desc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { partnerTerms, people, type PartnerTerms } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid } from "~/services/errors";
import { partnerTermsSchema } from "~/validation/partner-terms";

/**
 * Partner terms (issue 11 item 5): staff write them, each publication is a new version that is never
 * changed afterwards (a sign-up stores the version it accepted). The app holds no terms text of its
 * own: with nothing published, /partners/join refuses sign-ups and says so.
 */

/** The version in force (the highest), or null when staff have published none. A public read. */
export async function currentPartnerTerms(db: Db | Tx): Promise<PartnerTerms | null> {
  const [row] = await db.select().from(partnerTerms).orderBy(desc(partnerTerms.version)).limit(1);
  return row ?? null;
}

/** Every version, newest first, with who published it: staff only. */
export async function listPartnerTerms(ctx: ServiceContext) {
  requireStaffActor(ctx);
  return ctx.db
    .select({ version: partnerTerms.version, bodySv: partnerTerms.bodySv, bodyEn: partnerTerms.bodyEn, publishedAt: partnerTerms.publishedAt, demo: partnerTerms.demo, publishedBy: people.email })
    .from(partnerTerms)
    .leftJoin(people, eq(people.id, partnerTerms.publishedBy))
    .orderBy(desc(partnerTerms.version));
}

/**
 * Publishes a new version (both languages required). Versions are numbered in one transaction under
 * an advisory lock, so two staff publishing at once get versions n and n+1, never a clash.
 */
export async function publishPartnerTerms(ctx: ServiceContext, input: Record<string, unknown>, opts: { demo?: boolean } = {}): Promise<PartnerTerms> {
  const actor = requireStaffActor(ctx);
  const parsed = partnerTermsSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_terms", fieldErrorCodes(parsed.error));
  return ctx.db.transaction((tx) => insertTermsVersion(tx, { ...parsed.data, publishedBy: personIdOf(actor), demo: opts.demo ?? false }));
}

/** The next version, inside the caller's transaction (staff's publishing above; demo data's seeder). */
export async function insertTermsVersion(tx: Tx, values: { bodySv: string; bodyEn: string; publishedBy: number | null; demo: boolean }): Promise<PartnerTerms> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('partner_terms:publish'))`);
  const [{ next }] = await tx.select({ next: sql<number>`(coalesce(max(${partnerTerms.version}), 0) + 1)::int` }).from(partnerTerms);
  const [row] = await tx.insert(partnerTerms).values({ version: Number(next), ...values }).returning();
  await recordAudit(tx, { actorPersonId: values.publishedBy, action: "partner_terms_published", details: { version: row.version, demo: values.demo } });
  return row;
}
