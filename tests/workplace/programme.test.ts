import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { workplaceInvites, workplaceProgrammes } from "~db/schema";
import { anonymousActor, SignInRequired, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden, Gone, Invalid, NotFound } from "~/services/errors";
import { invitePosterPdf } from "~/services/workplace/invite-poster.server";
import { programmeByCode, rotateInvite, setInviteExpiry } from "~/services/workplace/invite.server";
import { joinProgramme } from "~/services/workplace/pledge.server";
import { runPayrollMonth } from "~/services/workplace/payroll-run.server";
import { closeProgramme } from "~/services/workplace/programme-close.server";
import { listProgrammesForStaff } from "~/services/workplace/programme-admin.server";
import { workplaceProgrammeAction } from "~/utils/workplace-programme-action.server";
import { getProgrammeForOrganisation, programmeSetup, saveProgramme } from "~/services/workplace/programme.server";
import { createOrganisation, createStaff, goalId } from "../factories";
import { pdfText } from "../invoices/helpers";
import { personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

/** The form's fields as a contact sends them (strings), with one change per test. */
const form = (over: Record<string, unknown> = {}) => ({
  goalIds: [] as string[],
  perMilleOffered: "yes",
  matchMode: "none",
  matchPercent: "",
  matchCap: "",
  matchPot: "",
  payrollDay: "25",
  payrollContactPersonId: "",
  payCode: "9100",
  paymentMethod: "bank",
  statedHeadcount: "40",
  differenceRule: "ask_staff",
  ...over,
});

async function fieldErrors(work: Promise<unknown>): Promise<Record<string, string>> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Invalid);
  return (error as Invalid).fieldErrors ?? {};
}

/**
 * Issue 13 items 1 and 2 at the service level (no route): the programme form's rules, who may read and
 * change a programme, the join code's rotation and expiry, and the poster.
 */
describe.each(dbTargets)("workplace programme and invite (%s)", (target) => {
  const t = useTestDatabase(target);
  let staff: ServiceContext, contactA: ServiceContext, contactB: ServiceContext, anonymous: ServiceContext;
  let orgA: number, orgB: number, contactBId: number, ensamhet: number, hemloshet: number;

  beforeAll(async () => {
    const a = await createOrganisation(t.db, { name: "Arbetsgivare A AB (test)" }, { contacts: 1 });
    const b = await createOrganisation(t.db, { name: "Arbetsgivare B AB (test)" }, { contacts: 1 });
    orgA = a.id;
    orgB = b.id;
    contactBId = b.contacts[0].id;
    const s = await createStaff(t.db, "fundraiser");
    staff = personContext(t.db, { id: s.id, email: s.email, roles: ["fundraiser"] });
    contactA = personContext(t.db, { id: a.contacts[0].id, organisations: [{ organisationId: orgA, isAdmin: true }] });
    contactB = personContext(t.db, { id: contactBId, organisations: [{ organisationId: orgB, isAdmin: true }] });
    anonymous = { db: t.db, actor: anonymousActor, locale: "sv" };
    ensamhet = await goalId(t.db, "ingen-ensamhet");
    hemloshet = await goalId(t.db, "ingen-hemloshet");
  });

  it("anonymous visitors must sign in; a contact of A can neither read nor change B's programme, and nothing is written", async () => {
    const b = await saveProgramme(contactB, orgB, form({ statedHeadcount: "12" }));
    await expect(getProgrammeForOrganisation(anonymous, orgB)).rejects.toBeInstanceOf(SignInRequired);
    await expect(saveProgramme(anonymous, orgB, form())).rejects.toBeInstanceOf(SignInRequired);
    await expect(getProgrammeForOrganisation(contactA, orgB)).rejects.toBeInstanceOf(Forbidden);
    await expect(programmeSetup(contactA, { organisationId: orgB })).rejects.toBeInstanceOf(Forbidden);
    await expect(saveProgramme(contactA, orgB, form({ statedHeadcount: "999" }))).rejects.toBeInstanceOf(Forbidden);
    await expect(rotateInvite(contactA, b.id, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(setInviteExpiry(contactA, b.id, { expiresOn: "" })).rejects.toBeInstanceOf(Forbidden);
    // A made-up id tells a contact nothing (Forbidden, like a real one); staff get NotFound.
    await expect(rotateInvite(contactA, 2_000_000_000, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(rotateInvite(staff, 2_000_000_000, {})).rejects.toBeInstanceOf(NotFound);
    await expect(listProgrammesForStaff(contactA)).rejects.toBeInstanceOf(Forbidden);
    const after = await getProgrammeForOrganisation(contactB, orgB);
    expect(after?.statedHeadcount).toBe(12);
    expect(after?.invite?.code).toBe(b.invite?.code);
    // Staff may read and change it.
    expect((await getProgrammeForOrganisation(staff, orgB))?.id).toBe(b.id);
    expect((await listProgrammesForStaff(staff)).find((r) => r.organisationId === orgB)?.programme?.id).toBe(b.id);
  });

  it("saves what the contact chose; only staff set the minimum; match settings of another mode are cleared", async () => {
    const saved = await saveProgramme(
      contactA,
      orgA,
      form({ goalIds: [String(ensamhet), String(hemloshet)], matchMode: "percent", matchPercent: "50", matchCap: "200", payrollContactPersonId: String(contactA.actor.kind === "person" ? contactA.actor.personId : 0), minimum: "1" }),
    );
    expect(saved).toMatchObject({ organisationId: orgA, perMilleOffered: true, matchMode: "percent", matchPercent: 50, matchCapOre: "20000", matchPotOre: null, payrollDay: 25, payCode: "9100", paymentMethod: "bank", statedHeadcount: 40, minimumOre: "5000" });
    expect(saved.goalIds).toEqual([ensamhet, hemloshet].sort((x, y) => x - y));
    expect(saved.invite?.code).toMatch(/^[a-z2-9]{10}$/);
    const staffSaved = await saveProgramme(staff, orgA, form({ matchMode: "pot", matchPercent: "50", matchCap: "200", matchPot: "12 000", paymentMethod: "stripe", minimum: "100" }));
    expect(staffSaved).toMatchObject({ matchMode: "pot", matchPercent: null, matchCapOre: null, matchPotOre: "1200000", paymentMethod: "stripe", minimumOre: "10000", goalIds: [] });
    // A later save keeps the join code.
    expect(staffSaved.invite?.code).toBe(saved.invite?.code);
  });

  it("refuses bad input next to the field and writes nothing", async () => {
    const before = await t.db.select().from(workplaceProgrammes).where(eq(workplaceProgrammes.organisationId, orgA));
    const cases: [Record<string, unknown>, string, string][] = [
      [{ perMilleOffered: "maybe" }, "perMilleOffered", "choose_one"],
      [{ matchMode: "percent", matchPercent: "101" }, "matchPercent", "match_percent_range"],
      [{ matchMode: "percent", matchPercent: "" }, "matchPercent", "match_percent_required"],
      [{ matchMode: "percent", matchPercent: "10", matchCap: "-5" }, "matchCap", "match_cap_invalid"],
      [{ statedHeadcount: "0" }, "statedHeadcount", "headcount_positive"],
      [{ statedHeadcount: "-3" }, "statedHeadcount", "headcount_positive"],
      [{ goalIds: ["2000000000"] }, "goalIds", "goal_unknown"],
      [{ payrollContactPersonId: String(contactBId) }, "payrollContactPersonId", "payroll_contact_unknown"],
      [{ payrollDay: "32" }, "payrollDay", "payroll_day_range"],
    ];
    for (const [change, field, code] of cases) expect(await fieldErrors(saveProgramme(contactA, orgA, form({ ...change, statedHeadcount: change.statedHeadcount ?? "77" })))).toMatchObject({ [field]: code });
    expect(await fieldErrors(saveProgramme(staff, orgA, form({ minimum: "0" })))).toMatchObject({ minimum: "minimum_invalid" });
    expect(await t.db.select().from(workplaceProgrammes).where(eq(workplaceProgrammes.organisationId, orgA))).toEqual(before);
  });

  it("rotating revokes the old code; a code expires after its last day; unknown codes are unknown", async () => {
    const programme = (await getProgrammeForOrganisation(contactA, orgA))!;
    const old = programme.invite!.code;
    expect((await programmeByCode(t.db, old)).ok).toBe(true);
    const now = new Date("2026-11-30T10:00:00Z");
    expect(await fieldErrors(rotateInvite(contactA, programme.id, { expiresOn: "2026-11-29" }, now))).toMatchObject({ expiresOn: "date_past" });
    expect(await fieldErrors(rotateInvite(contactA, programme.id, { expiresOn: "2026-02-30" }, now))).toMatchObject({ expiresOn: "date_invalid" });
    expect((await programmeByCode(t.db, old)).ok).toBe(true);
    const fresh = await rotateInvite(contactA, programme.id, { expiresOn: "2026-12-31" }, now);
    expect(fresh.code).not.toBe(old);
    expect(await programmeByCode(t.db, old)).toEqual({ ok: false, reason: "revoked" });
    const found = await programmeByCode(t.db, fresh.code, now);
    expect(found.ok && found.organisationName).toBe("Arbetsgivare A AB (test)");
    // Its last day still works (Stockholm calendar); the next day it is expired.
    expect((await programmeByCode(t.db, fresh.code, new Date("2026-12-31T22:30:00Z"))).ok).toBe(true);
    expect(await programmeByCode(t.db, fresh.code, new Date("2026-12-31T23:30:00Z"))).toEqual({ ok: false, reason: "expired" });
    // Letting it expire without a new code: the same code, a new last day.
    expect(await setInviteExpiry(contactA, programme.id, { expiresOn: "2026-12-01" }, now)).toEqual({ code: fresh.code, expiresOn: "2026-12-01" });
    expect(await programmeByCode(t.db, fresh.code, new Date("2026-12-02T10:00:00Z"))).toEqual({ ok: false, reason: "expired" });
    expect(await programmeByCode(t.db, "zzzzzzzzzz")).toEqual({ ok: false, reason: "unknown" });
    expect(await programmeByCode(t.db, "../../etc")).toEqual({ ok: false, reason: "unknown" });
    const live = await t.db.select().from(workplaceInvites).where(eq(workplaceInvites.programmeId, programme.id));
    expect(live.filter((i) => i.revokedAt === null)).toHaveLength(1);
  });

  it("a staff-set goal list limits the goals the join page offers", async () => {
    const b = (await getProgrammeForOrganisation(staff, orgB))!;
    await saveProgramme(staff, orgB, form({ goalIds: [String(ensamhet)], minimum: "50" }));
    const found = await programmeByCode(t.db, b.invite!.code);
    expect(found.ok && found.goals.map((g) => g.slug)).toEqual(["ingen-ensamhet"]);
  });

  it("the poster is an A4 PDF with the employer, the goals and the link; none for a rotated code", async () => {
    const b = (await getProgrammeForOrganisation(staff, orgB))!;
    const poster = await invitePosterPdf(t.db, b.invite!.code, { locale: "sv", appUrl: "https://lokala.example" });
    expect(poster.ok).toBe(true);
    if (!poster.ok) return;
    expect(Buffer.from(poster.pdf.subarray(0, 5)).toString()).toBe("%PDF-");
    const text = await pdfText(poster.pdf);
    expect(text).toContain(`https://lokala.example/workplace/${b.invite!.code}`);
    expect(text).toContain("Arbetsgivare B AB (test)");
    expect(text).toContain("Ingen ensamhet");
    const english = await invitePosterPdf(t.db, b.invite!.code, { locale: "en", appUrl: "https://lokala.example" });
    expect(english.ok && (await pdfText(english.pdf))).toContain("Give through your salary");
    await rotateInvite(contactB, b.id, {});
    expect(await invitePosterPdf(t.db, b.invite!.code, { locale: "sv", appUrl: "https://lokala.example" })).toEqual({ ok: false, reason: "revoked" });
  });

  it("closing needs the confirmation step; then nobody joins, the link and poster say it has ended, no new month is listed; closing again is 409", async () => {
    const c = await createOrganisation(t.db, { name: "Arbetsgivare C AB (test)" }, { contacts: 1 });
    const contactC = personContext(t.db, { id: c.contacts[0].id, organisations: [{ organisationId: c.id, isAdmin: true }] });
    const programme = await saveProgramme(contactC, c.id, form());
    const code = programme.invite!.code;
    const status = async () => (await getProgrammeForOrganisation(staff, c.id))!.status;
    await expect(closeProgramme(anonymous, programme.id, { confirm: "yes" })).rejects.toBeInstanceOf(SignInRequired);
    await expect(closeProgramme(contactA, programme.id, { confirm: "yes" })).rejects.toBeInstanceOf(Forbidden);
    expect(await fieldErrors(closeProgramme(contactC, programme.id, {}))).toEqual({ confirm: "confirmation_required" });
    expect(await status()).toBe("active");

    await closeProgramme(contactC, programme.id, { confirm: "yes" });
    expect(await status()).toBe("closed");
    expect(await programmeByCode(t.db, code)).toEqual({ ok: false, reason: "closed" });
    expect(await invitePosterPdf(t.db, code, { locale: "sv", appUrl: "https://lokala.example" })).toEqual({ ok: false, reason: "closed" });
    const employee = personContext(t.db, { id: c.contacts[0].id });
    const join = { name: "Ada", kind: "fixed", amount: "150", goalMode: "one", goal: String(ensamhet), firstMonth: "2027-01", consent: "on" };
    const refused = await joinProgramme(employee, code, join).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Gone);
    expect(refused).toMatchObject({ message: "programme_closed" });
    await expect(rotateInvite(contactC, programme.id, {})).rejects.toBeInstanceOf(Conflict);
    await expect(runPayrollMonth(staff, programme.id, "2027-01")).rejects.toMatchObject({ message: "programme_closed" });
    await expect(closeProgramme(staff, programme.id, { confirm: "yes" })).rejects.toBeInstanceOf(Conflict);
  });

  it("a refused programme form (JavaScript off) comes back with every ticked goal, not only the first", async () => {
    const body = new URLSearchParams({ intent: "save", perMilleOffered: "yes", matchMode: "none", paymentMethod: "bank", differenceRule: "ask_staff", statedHeadcount: "" });
    body.append("goalIds", String(ensamhet));
    body.append("goalIds", String(hemloshet));
    const request = new Request("http://localhost/partner/workplace?index&org=1", { method: "POST", body });
    const refused = (await workplaceProgrammeAction(request, contactA, orgA, "/partner/workplace?")) as { data: { fieldErrors: Record<string, string>; values: Record<string, unknown> }; init: { status: number } };
    expect(refused.init.status).toBe(400);
    expect(Object.keys(refused.data.fieldErrors)).toEqual(["statedHeadcount"]);
    expect(refused.data.values.goalIds).toEqual([String(ensamhet), String(hemloshet)]);
    expect(refused.data.values.intent).toBe("save");
  });
});
