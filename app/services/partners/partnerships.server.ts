import { and, asc, eq, gte, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import {
  goals,
  ledgerEntries,
  organisations,
  partnerships,
  partnerTiers,
  payments,
  type Partnership,
  type PartnershipSource,
  type PartnershipStatus,
  type PartnerTierSlug,
} from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, type Actor } from "~/services/context";
import { Invalid, NotFound, withParams } from "~/services/errors";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { organisationLogoUrl } from "~/services/organisations/logo-url";
import { formatOre } from "~/utils/money";

/**
 * The partnership's life (issue 11 items 3, 4, 7) at the level other services build on: creating a
 * partnership, making it active once paid and signed off, and the public partner wall. These take a
 * transaction and the acting `Actor` (the caller's `ctx.actor`), like recordPayment: the service that
 * calls them (staff pages, /partners/join, a webhook) has checked access already.
 */

export interface PartnershipInput {
  organisationId: number;
  goalId: number;
  tier: PartnerTierSlug;
  /** Null while not agreed (a prospect). */
  agreedYearlyOre: bigint | null;
  startsOn: string | null;
  endsOn: string | null;
  /** prospect (default), negotiating or declined: `active` only comes through activateIfReady or staff's change of status. */
  status?: PartnershipStatus;
  source?: PartnershipSource;
  isPublic?: boolean;
  note?: string | null;
  renewsPartnershipId?: number | null;
  demo?: boolean;
}

/** The statuses a partnership may be created in. */
export const initialStatuses: readonly PartnershipStatus[] = ["prospect", "negotiating", "declined"];

/** Statuses in which the partnership is running (its period is on); the wall picks from these. */
export const runningStatuses: readonly PartnershipStatus[] = ["active", "renewal_due", "renewed"];

/**
 * Field errors name the staff form's fields (`agreedYearly` is the amount in kronor); /partners/join
 * maps them to its own when they differ.
 */
export const AMOUNT_FIELD = "agreedYearly";

/** A sign-off holds until its expiry day, inclusive (Swedish calendar). */
export function signOffValid(p: Pick<Partnership, "signedOffAt" | "signOffExpiresOn">, today: string): boolean {
  return p.signedOffAt !== null && p.signOffExpiresOn !== null && p.signOffExpiresOn >= today;
}

/** The tier's minimum yearly amount (null: staff have not set one, so any amount above 0 goes). */
export async function tierMinimum(db: Db | Tx, tier: string): Promise<bigint | null> {
  const [row] = await db.select({ min: partnerTiers.minYearlyOre }).from(partnerTiers).where(eq(partnerTiers.slug, tier));
  if (!row) throw new Invalid("invalid_partnership", { tier: "tier_invalid" });
  return row.min;
}

/**
 * The amount and period a partnership needs beyond a prospect, and the tier's minimum. Throws Invalid
 * with field errors (nothing written). `under_tier_minimum` carries the minimum as `{min}`.
 */
export async function checkAgreement(
  db: Db | Tx,
  input: { tier: string; agreedYearlyOre: bigint | null; startsOn: string | null; endsOn: string | null; status?: string },
): Promise<void> {
  const errors: Record<string, string> = {};
  const needsAgreement = !["prospect", "declined"].includes(input.status ?? "prospect");
  if (needsAgreement) {
    if (input.agreedYearlyOre === null) errors[AMOUNT_FIELD] = "agreed_required";
    if (!input.startsOn) errors.startsOn = "date_required";
    if (!input.endsOn) errors.endsOn = "date_required";
  }
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) errors.endsOn = "period_order";
  if (input.agreedYearlyOre !== null && input.agreedYearlyOre <= 0n) errors[AMOUNT_FIELD] = "amount_invalid";
  const min = await tierMinimum(db, input.tier);
  if (!errors[AMOUNT_FIELD] && min !== null && input.agreedYearlyOre !== null && input.agreedYearlyOre < min) {
    throw withParams(new Invalid("invalid_partnership", { ...errors, [AMOUNT_FIELD]: "under_tier_minimum" }), { min: formatOre(min) });
  }
  if (Object.keys(errors).length) throw new Invalid("invalid_partnership", errors);
}

/**
 * A new partnership (staff's form, /partners/join, a renewal). Checks the organisation and goal exist,
 * the amount against the tier's minimum and the period; audited in the caller's transaction.
 */
export async function createPartnership(tx: Tx | Db, input: PartnershipInput, author: Actor): Promise<Partnership> {
  const status = input.status ?? "prospect";
  if (!initialStatuses.includes(status)) throw new Invalid("invalid_partnership", { status: "initial_status" });
  await checkAgreement(tx, { ...input, status });
  const [org] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, input.organisationId));
  if (!org) throw new Invalid("invalid_partnership", { organisationId: "organisation_unknown" });
  const [goal] = await tx.select({ id: goals.id }).from(goals).where(eq(goals.id, input.goalId));
  if (!goal) throw new Invalid("invalid_partnership", { goalId: "goal_unknown" });
  const [row] = await tx
    .insert(partnerships)
    .values({
      organisationId: input.organisationId,
      goalId: input.goalId,
      tier: input.tier,
      agreedYearlyOre: input.agreedYearlyOre,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      status,
      source: input.source ?? "staff",
      isPublic: input.isPublic ?? true,
      note: input.note || null,
      renewsPartnershipId: input.renewsPartnershipId ?? null,
      demo: input.demo ?? false,
    })
    .returning();
  await recordAudit(tx, {
    actorPersonId: personIdOf(author),
    action: "partnership_created",
    organisationId: row.organisationId,
    details: { partnershipId: row.id, goalId: row.goalId, tier: row.tier, status: row.status, agreedYearlyOre: row.agreedYearlyOre?.toString() ?? null, startsOn: row.startsOn, endsOn: row.endsOn, source: row.source },
  });
  return row;
}

/** What has come in for the partnership, net of refunds (all its payments' ledger entries). */
export async function partnershipPaidOre(db: Db | Tx, partnershipId: number): Promise<bigint> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` })
    .from(payments)
    .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
    .where(eq(payments.partnershipId, partnershipId));
  return BigInt(row.total);
}

/**
 * Makes a prospect or negotiating partnership `active` when the fee for its period is paid (its
 * payments' ledger entries, net of refunds, reach the agreed amount) and its sign-off is valid, and
 * the period has not ended. Call it after a payment for the partnership lands and after a sign-off.
 * Returns whether it became active. The row is locked so two callers (a webhook and a sign-off at
 * the same moment) activate and audit it once.
 */
export async function activateIfReady(tx: Tx | Db, partnershipId: number, author: Actor, now = new Date()): Promise<boolean> {
  const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, partnershipId)).for("update");
  if (!p) throw new NotFound();
  if (p.status !== "prospect" && p.status !== "negotiating") return false;
  const today = swedishDate(now);
  if (!signOffValid(p, today) || p.agreedYearlyOre === null || !p.startsOn || !p.endsOn || p.endsOn < today) return false;
  const paid = await partnershipPaidOre(tx, partnershipId);
  if (paid < p.agreedYearlyOre) return false;
  const [after] = await tx.update(partnerships).set({ status: "active", updatedAt: now }).where(eq(partnerships.id, partnershipId)).returning();
  await recordAudit(tx, {
    actorPersonId: personIdOf(author),
    action: "partnership_status_changed",
    organisationId: p.organisationId,
    details: { partnershipId, status: { before: p.status, after: "active" }, paidOre: paid.toString(), reason: "paid_and_signed_off" },
  });
  await markPredecessorRenewed(tx, after, author, now);
  return true;
}

/** A renewal became active: the period it renews is `renewed` (it stays on the wall until its end). */
export async function markPredecessorRenewed(tx: Tx | Db, renewal: Partnership, author: Actor, now = new Date()): Promise<void> {
  if (!renewal.renewsPartnershipId) return;
  const [before] = await tx
    .update(partnerships)
    .set({ status: "renewed", updatedAt: now })
    .where(and(eq(partnerships.id, renewal.renewsPartnershipId), inArray(partnerships.status, ["active", "renewal_due", "lapsed"])))
    .returning({ id: partnerships.id, organisationId: partnerships.organisationId });
  if (!before) return;
  await recordAudit(tx, {
    actorPersonId: personIdOf(author),
    action: "partnership_status_changed",
    organisationId: before.organisationId,
    details: { partnershipId: before.id, status: { after: "renewed" }, renewalId: renewal.id },
  });
}

export interface WallEntry {
  name: string;
  tier: PartnerTierSlug;
  website: string | null;
  logoUrl: string | null;
}

/**
 * The goal's public partner wall, highest tier first, then by name: partnerships running today
 * (active, renewal due, or renewed and still in their period), with a valid sign-off, of organisations
 * that agreed to be named (organisations.isPublic) and partnerships the company wants shown. An organisation with two running partnerships of the goal (the old period and its
 * renewal) is listed once, at its higher tier.
 */
export async function partnerWall(db: Db | Tx, goalId: number, now = new Date()): Promise<WallEntry[]> {
  const today = swedishDate(now);
  // Prepared: every goal page reads it (issue 10 item 6).
  const rows = await preparedQuery(db, "partner_wall", (d) =>
    d
      .select({ organisationId: organisations.id, name: organisations.name, tier: partnerships.tier, website: organisations.website, logoId: organisations.logoId })
      .from(partnerships)
      .innerJoin(organisations, eq(organisations.id, partnerships.organisationId))
      .innerJoin(partnerTiers, eq(partnerTiers.slug, partnerships.tier))
      .where(
        and(
          eq(partnerships.goalId, sql.placeholder("goalId")),
          inArray(partnerships.status, [...runningStatuses]),
          eq(partnerships.isPublic, true),
          eq(organisations.isPublic, true),
          gte(partnerships.signOffExpiresOn, sql.placeholder("today")),
          or(isNull(partnerships.endsOn), gte(partnerships.endsOn, sql.placeholder("today"))),
        ),
      )
      .orderBy(asc(partnerTiers.rank), asc(organisations.name), asc(organisations.id))
      .prepare("partner_wall"),
  ).execute({ goalId, today });
  return wallEntries(rows);
}

/** A row of the wall's read, highest tier first, then by name (an organisation may come twice). */
export interface WallRow {
  organisationId: number;
  name: string;
  tier: string;
  website: string | null;
  logoId: number | null;
}

/** The wall's rows as entries, each organisation once, at its first (highest) tier. Also the goal page's one-statement read (wall.server.ts). */
export function wallEntries(rows: readonly WallRow[]): WallEntry[] {
  const seen = new Set<number>();
  const out: WallEntry[] = [];
  for (const r of rows) {
    if (seen.has(r.organisationId)) continue;
    seen.add(r.organisationId);
    out.push({ name: r.name, tier: r.tier as PartnerTierSlug, website: r.website || null, logoUrl: organisationLogoUrl(r) });
  }
  return out;
}
