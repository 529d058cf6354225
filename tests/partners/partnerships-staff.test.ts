import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, industries, organisations, partnerships, partnerTiers, partnershipBenefits } from "~db/schema";
import { anonymousActor, SignInRequired, type ServiceContext } from "~/services/context";
import { Forbidden, ServiceError } from "~/services/errors";
import { updatePartnershipSettings } from "~/services/partners/partnership-settings.server";
import {
  changePartnershipStatus,
  createPartnershipAsStaff,
  renewPartnership,
  setBenefitDelivered,
  signOffPartnership,
  updatePartnership,
} from "~/services/partners/partnerships-admin.server";
import { getPartnershipDetail, listPartnerships, partnershipPipeline } from "~/services/partners/partnerships-read.server";
import { partnerWall } from "~/services/partners/partnerships.server";
import { addTierBenefit, setTierMinimum, tierSettings } from "~/services/partners/tiers.server";
import { createOrganisation } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalId, negotiating, reload, staffCtx } from "./helpers";

const NOW = new Date("2026-06-15T10:00:00Z");
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ServiceError);

describe.each(dbTargets)("partnerships for staff on %s", (target) => {
  const t = useTestDatabase(target);

  it("refuses anonymous visitors and partner contacts before reading or writing anything", async () => {
    const { db } = t;
    const p = await negotiating(db);
    const anonymous: ServiceContext = { db, actor: anonymousActor, locale: "sv" };
    const [contactId] = (await createOrganisation(db, {}, { contacts: 1 })).contacts.map((c) => c.id);
    const contact: ServiceContext = { db, locale: "sv", actor: { kind: "person", personId: contactId, email: "c@example.com", name: null, roles: [], organisations: [{ organisationId: p.organisationId, isAdmin: true }] } };
    const calls = (ctx: ServiceContext) => [
      () => createPartnershipAsStaff(ctx, { organisationId: String(p.organisationId), goalId: String(p.goalId), tier: "partner" }),
      () => updatePartnership(ctx, p.id, { goalId: String(p.goalId), tier: "partner" }),
      () => changePartnershipStatus(ctx, p.id, "declined"),
      () => signOffPartnership(ctx, p.id, { note: "ok" }),
      () => setBenefitDelivered(ctx, p.id, 1, true),
      () => renewPartnership(ctx, p.id),
      () => listPartnerships(ctx),
      () => partnershipPipeline(ctx),
      () => getPartnershipDetail(ctx, p.id),
      () => setTierMinimum(ctx, { tier: "partner", minYearly: "1" }),
      () => addTierBenefit(ctx, { tier: "partner", textSv: "x", textEn: "x" }),
      () => tierSettings(ctx),
      () => updatePartnershipSettings(ctx, { renewalNoticeDays: "1", signOffValidMonths: "1" }),
    ];
    for (const call of calls(anonymous)) expect(await refusal(call())).toBeInstanceOf(SignInRequired);
    for (const call of calls(contact)) expect(await refusal(call())).toBeInstanceOf(Forbidden);
    const after = await reload(db, p.id);
    expect(after).toEqual(p);
    expect((await db.select().from(partnerTiers).where(eq(partnerTiers.slug, "partner")))[0].minYearlyOre).toBeNull();
  });

  it("moves only along the allowed transitions; active needs a valid sign-off", async () => {
    const { db } = t;
    const staff = await staffCtx(db);
    const prospect = await negotiating(db, { status: "prospect" });
    const err = await refusal(changePartnershipStatus(staff, prospect.id, "active", NOW));
    expect(err?.fieldErrors).toEqual({ status: "transition_not_allowed" });
    const p = await negotiating(db);
    expect((await refusal(changePartnershipStatus(staff, p.id, "active", NOW)))?.fieldErrors).toEqual({ status: "sign_off_required" });
    expect((await reload(db, p.id)).status).toBe("negotiating");
    await signOffPartnership(staff, p.id, {}, NOW);
    expect((await changePartnershipStatus(staff, p.id, "active", NOW)).status).toBe("active");
    expect((await refusal(changePartnershipStatus(staff, p.id, "prospect", NOW)))?.fieldErrors).toEqual({ status: "transition_not_allowed" });
    const actions = (await db.select().from(auditLog).where(eq(auditLog.organisationId, p.organisationId))).map((a) => a.action);
    expect(actions).toEqual(["partnership_created", "partnership_signed_off", "partnership_status_changed"]);
  });

  it("refuses a staff partnership under the tier minimum next to the field (kronor), nothing written", async () => {
    const { db } = t;
    const staff = await staffCtx(db);
    await setTierMinimum(staff, { tier: "huvudpartner", minYearly: "100 000" });
    expect((await db.select().from(partnerTiers).where(eq(partnerTiers.slug, "huvudpartner")))[0].minYearlyOre).toBe(10_000_000n);
    const org = await createOrganisation(db);
    const input = { organisationId: String(org.id), goalId: String(await goalId(db, "ingen-hemloshet")), tier: "huvudpartner", agreedYearly: "99 999", startsOn: "2026-01-01", endsOn: "2026-12-31", status: "negotiating" };
    const err = await refusal(createPartnershipAsStaff(staff, input));
    expect(err?.status).toBe(400);
    expect(err?.fieldErrors).toEqual({ agreedYearly: "under_tier_minimum" });
    expect(await db.select().from(partnerships).where(eq(partnerships.organisationId, org.id))).toEqual([]);
    const ok = await createPartnershipAsStaff(staff, { ...input, agreedYearly: "100000" });
    expect(ok.agreedYearlyOre).toBe(10_000_000n);
    await setTierMinimum(staff, { tier: "huvudpartner", minYearly: "" });
  });

  it("an excluded industry needs a sign-off note; the sign-off expires after the months staff set", async () => {
    const { db } = t;
    const staff = await staffCtx(db);
    await updatePartnershipSettings(staff, { renewalNoticeDays: "30", signOffValidMonths: "6" });
    const [industry] = await db.insert(industries).values({ slug: `test-excluded-${target}`, nameSv: "Tobak", nameEn: "Tobacco", excluded: true }).returning();
    const org = await createOrganisation(db, { name: "Rök AB", industryId: industry.id, isPublic: true });
    const p = await negotiating(db, { organisationId: org.id, goal: "alla-kan-arbeta" });
    const detail = await getPartnershipDetail(staff, p.id, NOW);
    expect(detail.screening).toEqual({ excluded: true, industry: "Tobak" });
    expect((await refusal(signOffPartnership(staff, p.id, { note: "" }, NOW)))?.fieldErrors).toEqual({ note: "sign_off_note_required" });
    expect((await reload(db, p.id)).signedOffAt).toBeNull();
    const signed = await signOffPartnership(staff, p.id, { note: "Styrelsen godkände 2026-06-10" }, NOW);
    expect(signed.signOffExpiresOn).toBe("2026-12-14");
    expect(signed.signOffNote).toBe("Styrelsen godkände 2026-06-10");
    await db.update(partnerships).set({ status: "active" }).where(eq(partnerships.id, p.id));
    const goal = await goalId(db, "alla-kan-arbeta");
    expect((await partnerWall(db, goal, new Date("2026-12-14T12:00:00Z"))).map((w) => w.name)).toEqual(["Rök AB"]);
    expect(await partnerWall(db, goal, new Date("2026-12-15T12:00:00Z"))).toEqual([]);
    await updatePartnershipSettings(staff, { renewalNoticeDays: "60", signOffValidMonths: "12" });
    await db.update(organisations).set({ industryId: null }).where(eq(organisations.id, org.id));
  });

  it("ticks a tier benefit as delivered with who and when; a benefit of another tier is refused", async () => {
    const { db } = t;
    const staff = await staffCtx(db);
    const mine = await addTierBenefit(staff, { tier: "vanforetag", textSv: "Logga på målets sida", textEn: "Logo on the goal page" });
    const other = await addTierBenefit(staff, { tier: "huvudpartner", textSv: "Effektrapport", textEn: "Impact report" });
    const p = await negotiating(db);
    await setBenefitDelivered(staff, p.id, mine.id, true, NOW);
    expect(await refusal(setBenefitDelivered(staff, p.id, other.id, true, NOW))).toMatchObject({ status: 404 });
    const rows = await db.select().from(partnershipBenefits).where(eq(partnershipBenefits.partnershipId, p.id));
    expect(rows).toEqual([{ partnershipId: p.id, benefitId: mine.id, deliveredAt: NOW, byPersonId: staff.actor.kind === "person" ? staff.actor.personId : -1 }]);
    const detail = await getPartnershipDetail(staff, p.id, NOW);
    expect(detail.benefits.find((b) => b.id === mine.id)).toMatchObject({ text: "Logga på målets sida", deliveredAt: NOW.toISOString() });
    await setBenefitDelivered(staff, p.id, mine.id, false, NOW);
    expect(await db.select().from(partnershipBenefits).where(eq(partnershipBenefits.partnershipId, p.id))).toEqual([]);
  });

  it("a renewal is the next period in negotiation, once; the pipeline counts and sums per status and goal", async () => {
    const { db } = t;
    const staff = await staffCtx(db);
    const p = await negotiating(db, { goal: "ingen-psykisk-ohalsa", agreedYearlyOre: 2_500_000n });
    await db.update(partnerships).set({ status: "active" }).where(eq(partnerships.id, p.id));
    const next = await renewPartnership(staff, p.id);
    expect([next.status, next.startsOn, next.endsOn, next.renewsPartnershipId, next.signedOffAt]).toEqual(["negotiating", "2027-01-01", "2027-12-31", p.id, null]);
    expect(await refusal(renewPartnership(staff, p.id))).toMatchObject({ status: 409, message: "renewal_exists" });
    const pipeline = await partnershipPipeline(staff);
    const goal = pipeline.goals.find((g) => g.slug === "ingen-psykisk-ohalsa")!;
    const at = (s: string) => goal.cells[pipeline.statuses.indexOf(s as never)];
    expect(at("active")).toEqual({ count: 1, agreedOre: "2500000" });
    expect(at("negotiating")).toEqual({ count: 1, agreedOre: "2500000" });
  });
});
