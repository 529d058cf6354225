import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import { partnerTierBenefits, partnerTiers } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { idSchema } from "~/validation/fields";
import { tierBenefitSchema, tierMinimumSchema } from "~/validation/partnerships";

/**
 * The tiers' minimum yearly amounts and benefit lists (/admin/tiers). The seeds give no amounts and
 * no benefits, so both start empty and the pages say so; staff fill them in.
 */

const ore = (v: bigint | null) => (v === null ? null : v.toString());

/** Every tier, highest first, with its minimum and its current benefits in the reader's language. Public facts. */
export async function tiersWithBenefits(db: Db | Tx, locale: Locale) {
  // Prepared: every goal page reads them (issue 10 item 6).
  const [tiers, benefits] = await Promise.all([
    preparedQuery(db, "partner_tiers", (d) => d.select().from(partnerTiers).orderBy(asc(partnerTiers.rank)).prepare("partner_tiers")).execute(),
    preparedQuery(db, "partner_tier_benefits", (d) =>
      d
        .select()
        .from(partnerTierBenefits)
        .where(isNull(partnerTierBenefits.retiredAt))
        .orderBy(asc(partnerTierBenefits.position), asc(partnerTierBenefits.id))
        .prepare("partner_tier_benefits"),
    ).execute(),
  ]);
  return tiers.map((t) => ({
    slug: t.slug,
    name: locale === "en" ? t.nameEn : t.nameSv,
    minYearlyOre: ore(t.minYearlyOre),
    benefits: benefits.filter((b) => b.tier === t.slug).map((b) => ({ id: b.id, text: locale === "en" ? b.textEn : b.textSv, textSv: b.textSv, textEn: b.textEn })),
  }));
}

/** Staff's view of the same (both languages of each benefit). */
export async function tierSettings(ctx: ServiceContext) {
  requireStaffActor(ctx);
  return tiersWithBenefits(ctx.db, ctx.locale);
}

/** Staff set a tier's minimum yearly amount (kronor in the form, öre stored; empty: none). */
export async function setTierMinimum(ctx: ServiceContext, input: Record<string, unknown>) {
  const actor = requireStaffActor(ctx);
  const parsed = tierMinimumSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_tier", fieldErrorCodes(parsed.error));
  const { tier, minYearly } = parsed.data;
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(partnerTiers).where(eq(partnerTiers.slug, tier)).for("update");
    if (!before) throw new NotFound();
    await tx.update(partnerTiers).set({ minYearlyOre: minYearly }).where(eq(partnerTiers.slug, tier));
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "partner_tier_changed",
      details: { tier, minYearlyOre: { before: ore(before.minYearlyOre), after: ore(minYearly) } },
    });
  });
}

function parseBenefit(input: Record<string, unknown>) {
  const parsed = tierBenefitSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_benefit", fieldErrorCodes(parsed.error));
  return parsed.data;
}

/** Staff add a benefit at the end of a tier's list. */
export async function addTierBenefit(ctx: ServiceContext, input: Record<string, unknown>) {
  const actor = requireStaffActor(ctx);
  const b = parseBenefit(input);
  return ctx.db.transaction(async (tx) => {
    // The tier row's lock keeps two additions from taking one position.
    await tx.select({ slug: partnerTiers.slug }).from(partnerTiers).where(eq(partnerTiers.slug, b.tier)).for("update");
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${partnerTierBenefits.position}), 0)::int + 1` })
      .from(partnerTierBenefits)
      .where(eq(partnerTierBenefits.tier, b.tier));
    const [row] = await tx.insert(partnerTierBenefits).values({ tier: b.tier, position: next, textSv: b.textSv, textEn: b.textEn }).returning();
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "partner_tier_changed", details: { tier: b.tier, benefitAdded: b.textSv } });
    return row;
  });
}

async function lockBenefit(tx: Tx, rawId: unknown) {
  const id = idSchema.safeParse(rawId);
  if (!id.success) throw new NotFound("benefit_not_found");
  const [row] = await tx.select().from(partnerTierBenefits).where(and(eq(partnerTierBenefits.id, id.data), isNull(partnerTierBenefits.retiredAt))).for("update");
  if (!row) throw new NotFound("benefit_not_found");
  return row;
}

/** Staff reword a benefit (both languages). */
export async function updateTierBenefit(ctx: ServiceContext, rawId: unknown, input: Record<string, unknown>) {
  const actor = requireStaffActor(ctx);
  await ctx.db.transaction(async (tx) => {
    const before = await lockBenefit(tx, rawId);
    const b = parseBenefit({ ...input, tier: before.tier });
    await tx.update(partnerTierBenefits).set({ textSv: b.textSv, textEn: b.textEn }).where(eq(partnerTierBenefits.id, before.id));
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "partner_tier_changed",
      details: { tier: before.tier, benefit: { before: `${before.textSv} / ${before.textEn}`, after: `${b.textSv} / ${b.textEn}` } },
    });
  });
}

/** Staff remove a benefit from the tier's list; checklists where it was delivered keep naming it. */
export async function retireTierBenefit(ctx: ServiceContext, rawId: unknown, now = new Date()) {
  const actor = requireStaffActor(ctx);
  await ctx.db.transaction(async (tx) => {
    const before = await lockBenefit(tx, rawId);
    await tx.update(partnerTierBenefits).set({ retiredAt: now }).where(eq(partnerTierBenefits.id, before.id));
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "partner_tier_changed", details: { tier: before.tier, benefitRemoved: before.textSv } });
  });
}

/** Staff move a benefit one place up or down its tier's list (swapping positions with its neighbour). */
export async function moveTierBenefit(ctx: ServiceContext, rawId: unknown, direction: "up" | "down") {
  const actor = requireStaffActor(ctx);
  await ctx.db.transaction(async (tx) => {
    const b = await lockBenefit(tx, rawId);
    const list = await tx
      .select()
      .from(partnerTierBenefits)
      .where(and(eq(partnerTierBenefits.tier, b.tier), isNull(partnerTierBenefits.retiredAt)))
      .orderBy(asc(partnerTierBenefits.position), asc(partnerTierBenefits.id))
      .for("update");
    const i = list.findIndex((x) => x.id === b.id);
    const j = direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= list.length) return;
    // Renumber the whole list 1…n in the new order, so equal positions (never expected) cannot stick.
    const order = list.map((x) => x.id);
    [order[i], order[j]] = [order[j], order[i]];
    for (const [k, id] of order.entries()) await tx.update(partnerTierBenefits).set({ position: k + 1 }).where(eq(partnerTierBenefits.id, id));
    await recordAudit(tx, { actorPersonId: personIdOf(actor), action: "partner_tier_changed", details: { tier: b.tier, benefitMoved: b.textSv, direction } });
  });
}
