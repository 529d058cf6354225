import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { industries, organisations, partnerships, partnershipBenefits, partnerTierBenefits, type Partnership, type PartnershipStatus, type PartnerTierSlug } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { idSchema } from "~/validation/fields";
import { partnershipSchema, signOffSchema } from "~/validation/partnerships";
import { getPartnershipSettings } from "./partnership-settings.server";
import { activateIfReady, checkAgreement, createPartnership, markPredecessorRenewed, signOffValid } from "./partnerships.server";
import { addDays } from "./renewals.server";
import { notifySignupStepFor } from "./signup-fee.server";

/**
 * Staff's side of a partnership (/admin/partnerships): create, edit, move between statuses, sign
 * off, tick benefits, renew. Each checks the actor first, writes in one transaction and audits.
 */

/**
 * The moves staff may make by hand. `renewal_due`, `renewed` and `lapsed` normally come from the
 * daily renewal run and a renewal becoming active; staff may still mark a partnership renewal due
 * early or lapsed (the company said no). A lapsed, renewed or declined period is over: a new
 * period is a renewal (a new row), a declined prospect may be reopened.
 */
export const staffTransitions: Record<PartnershipStatus, readonly PartnershipStatus[]> = {
  prospect: ["negotiating", "declined"],
  negotiating: ["prospect", "active", "declined"],
  active: ["renewal_due", "lapsed"],
  renewal_due: ["active", "lapsed"],
  renewed: [],
  lapsed: [],
  declined: ["prospect"],
};

function parsePartnership(input: Record<string, unknown>) {
  const parsed = partnershipSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_partnership", fieldErrorCodes(parsed.error));
  return parsed.data;
}

async function lockPartnership(tx: Tx, id: unknown): Promise<Partnership> {
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) throw new NotFound("partnership_not_found");
  const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, parsedId.data)).for("update");
  if (!p) throw new NotFound("partnership_not_found");
  return p;
}

/** Staff create a partnership (prospect, negotiating or declined): the form's fields, amounts in kronor. */
export async function createPartnershipAsStaff(ctx: ServiceContext, input: Record<string, unknown>): Promise<Partnership> {
  const actor = requireStaffActor(ctx);
  const form = parsePartnership(input);
  return ctx.db.transaction((tx) =>
    createPartnership(tx, { ...form, agreedYearlyOre: form.agreedYearly, note: form.note || null, source: "staff" }, actor),
  );
}

/** Staff edit the terms: tier, amount, period, public or not, note. The status changes through `changePartnershipStatus`. */
export async function updatePartnership(ctx: ServiceContext, id: unknown, input: Record<string, unknown>): Promise<Partnership> {
  const actor = requireStaffActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const before = await lockPartnership(tx, id);
    const form = parsePartnership({ ...input, organisationId: before.organisationId, goalId: input.goalId ?? before.goalId, status: before.status });
    await checkAgreement(tx, { ...form, agreedYearlyOre: form.agreedYearly, status: before.status });
    const changes = {
      goalId: form.goalId,
      tier: form.tier,
      agreedYearlyOre: form.agreedYearly,
      startsOn: form.startsOn,
      endsOn: form.endsOn,
      isPublic: form.isPublic,
      note: form.note || null,
    };
    const [after] = await tx.update(partnerships).set({ ...changes, updatedAt: new Date() }).where(eq(partnerships.id, before.id)).returning();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "partnership_changed", organisationId: before.organisationId, details: { partnershipId: before.id, ...diff(before, after) } });
    return after;
  });
}

function diff(before: Partnership, after: Partnership): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of ["goalId", "tier", "agreedYearlyOre", "startsOn", "endsOn", "isPublic", "note"] as const) {
    const b = before[key];
    const a = after[key];
    if (b !== a) out[key] = { before: typeof b === "bigint" ? b.toString() : b, after: typeof a === "bigint" ? a.toString() : a };
  }
  return out;
}

/**
 * Staff move a partnership to another status, along `staffTransitions`. Active needs the agreed
 * amount and period and a valid sign-off (whether the fee is paid is staff's judgement here; the
 * automatic route is activateIfReady).
 */
export async function changePartnershipStatus(ctx: ServiceContext, id: unknown, rawStatus: unknown, now = new Date()): Promise<Partnership> {
  const actor = requireStaffActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const p = await lockPartnership(tx, id);
    const status = String(rawStatus ?? "") as PartnershipStatus;
    if (!staffTransitions[p.status as PartnershipStatus]?.includes(status)) throw new Invalid("transition_not_allowed", { status: "transition_not_allowed" });
    if (status === "active") {
      await checkAgreement(tx, { ...p, status });
      if (!signOffValid(p, swedishDate(now))) throw new Invalid("sign_off_required", { status: "sign_off_required" });
    }
    const [after] = await tx.update(partnerships).set({ status, updatedAt: now }).where(eq(partnerships.id, p.id)).returning();
    if (status === "active") await markPredecessorRenewed(tx, after, actor, now);
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "partnership_status_changed", organisationId: p.organisationId, details: { partnershipId: p.id, status: { before: p.status, after: status } } });
    return after;
  });
}

/** Whether the organisation's industry is on the excluded list (ethical screening). */
export async function industryExcluded(tx: Tx, organisationId: number): Promise<{ excluded: boolean; industry: { nameSv: string; nameEn: string } | null }> {
  const [row] = await tx
    .select({ nameSv: industries.nameSv, nameEn: industries.nameEn, excluded: industries.excluded })
    .from(organisations)
    .leftJoin(industries, eq(industries.id, organisations.industryId))
    .where(eq(organisations.id, organisationId));
  if (!row || row.nameSv === null) return { excluded: false, industry: null };
  return { excluded: row.excluded === true, industry: { nameSv: row.nameSv, nameEn: row.nameEn! } };
}

/**
 * A staff sign-off (ethical screening): who, when, a note, valid for the months staff set. The note
 * is required when the organisation's industry is excluded. Signing again (a sign-off that expired)
 * replaces the old one. The partnership becomes active if it is also paid.
 */
export async function signOffPartnership(ctx: ServiceContext, id: unknown, input: Record<string, unknown>, now = new Date()): Promise<Partnership> {
  const actor = requireStaffActor(ctx);
  const parsed = signOffSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_sign_off", fieldErrorCodes(parsed.error));
  return ctx.db.transaction(async (tx) => {
    const p = await lockPartnership(tx, id);
    if (["renewed", "lapsed", "declined"].includes(p.status)) throw new Invalid("sign_off_closed", { note: "sign_off_closed" });
    const screening = await industryExcluded(tx, p.organisationId);
    if (screening.excluded && !parsed.data.note) throw new Invalid("sign_off_note_required", { note: "sign_off_note_required" });
    const { signOffValidMonths } = await getPartnershipSettings(tx);
    const signOffExpiresOn = addMonthsMinusDay(swedishDate(now), signOffValidMonths);
    const [after] = await tx
      .update(partnerships)
      .set({ signedOffAt: now, signedOffByPersonId: actor.personId, signOffNote: parsed.data.note || null, signOffExpiresOn, updatedAt: now })
      .where(eq(partnerships.id, p.id))
      .returning();
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "partnership_signed_off",
      organisationId: p.organisationId,
      details: { partnershipId: p.id, note: parsed.data.note || null, expiresOn: signOffExpiresOn, excludedIndustry: screening.excluded ? screening.industry?.nameSv : null },
    });
    // A sign-up's partner and staff hear when the sign-off is what makes it active (the payment path tells them otherwise).
    if (await activateIfReady(tx, p.id, actor, now)) await notifySignupStepFor(tx, p.id, "active");
    return after;
  });
}

/** 12 months from 2026-06-15 is up to and including 2027-06-14. */
export function addMonthsMinusDay(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return addDays(target.toISOString().slice(0, 10), -1);
}

/** Staff tick (or untick) a benefit of the partnership's tier as delivered; who and when are kept. */
export async function setBenefitDelivered(ctx: ServiceContext, id: unknown, rawBenefitId: unknown, delivered: boolean, now = new Date()): Promise<void> {
  const actor = requireStaffActor(ctx);
  const benefitId = idSchema.safeParse(rawBenefitId);
  if (!benefitId.success) throw new NotFound("benefit_not_found");
  await ctx.db.transaction(async (tx) => {
    const p = await lockPartnership(tx, id);
    const [benefit] = await tx.select().from(partnerTierBenefits).where(and(eq(partnerTierBenefits.id, benefitId.data), eq(partnerTierBenefits.tier, p.tier)));
    if (!benefit) throw new NotFound("benefit_not_found");
    const where = and(eq(partnershipBenefits.partnershipId, p.id), eq(partnershipBenefits.benefitId, benefit.id));
    const changed = delivered
      ? await tx.insert(partnershipBenefits).values({ partnershipId: p.id, benefitId: benefit.id, deliveredAt: now, byPersonId: actor.personId }).onConflictDoNothing().returning()
      : await tx.delete(partnershipBenefits).where(where).returning();
    if (!changed.length) return;
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "partnership_benefit_changed",
      organisationId: p.organisationId,
      details: { partnershipId: p.id, benefit: benefit.textSv, delivered },
    });
  });
}

/**
 * Staff start the next period: a new partnership (negotiating) for the same organisation, goal, tier
 * and amount, from the day after this one ends, as long as this one. It needs its own sign-off and
 * payment; when it becomes active this one is `renewed`. One renewal per period.
 */
export async function renewPartnership(ctx: ServiceContext, id: unknown): Promise<Partnership> {
  const actor = requireStaffActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const p = await lockPartnership(tx, id);
    if (!["active", "renewal_due"].includes(p.status) || !p.startsOn || !p.endsOn) throw new Invalid("renewal_not_possible", { _form: "renewal_not_possible" });
    const [existing] = await tx
      .select({ id: partnerships.id })
      .from(partnerships)
      .where(and(eq(partnerships.renewsPartnershipId, p.id), inArray(partnerships.status, ["prospect", "negotiating", "active", "renewal_due", "renewed", "lapsed"])));
    if (existing) throw new Conflict("renewal_exists");
    const length = Math.round((Date.parse(p.endsOn) - Date.parse(p.startsOn)) / 86_400_000);
    const startsOn = addDays(p.endsOn, 1);
    return createPartnership(
      tx,
      { organisationId: p.organisationId, goalId: p.goalId, tier: p.tier as PartnerTierSlug, agreedYearlyOre: p.agreedYearlyOre, startsOn, endsOn: addDays(startsOn, length), status: "negotiating", source: "staff", isPublic: p.isPublic, renewsPartnershipId: p.id },
      actor,
    );
  });
}
