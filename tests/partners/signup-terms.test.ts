import { describe, expect, it } from "vitest";
import { partnerTerms } from "~db/schema";
import { SignInRequired } from "~/services/context";
import { Forbidden, Invalid } from "~/services/errors";
import { currentPartnerTerms, listPartnerTerms, publishPartnerTerms } from "~/services/partners/signup-terms.server";
import { createOrganisation, createStaff } from "../factories";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

describe.each(dbTargets)("partner terms on %s", (target) => {
  const t = useTestDatabase(target);

  it("has no terms until staff publish them; each publication is a new version and the newest is in force", async () => {
    expect(await currentPartnerTerms(t.db)).toBeNull();
    const staff = await createStaff(t.db, "fundraiser");
    const ctx = staffContext(t.db, staff.id, "fundraiser");
    const first = await publishPartnerTerms(ctx, { bodySv: "Villkor ett", bodyEn: "Terms one" });
    // Two staff publishing at once get consecutive versions, not a clash.
    const [a, b] = await Promise.all([publishPartnerTerms(ctx, { bodySv: "Två", bodyEn: "Two" }), publishPartnerTerms(ctx, { bodySv: "Tre", bodyEn: "Three" })]);
    expect(first.version).toBe(1);
    expect([a.version, b.version].sort()).toEqual([2, 3]);
    const current = await currentPartnerTerms(t.db);
    expect(current?.version).toBe(3);
    expect(current?.publishedBy).toBe(staff.id);
    // The earlier versions stay as they were: a sign-up names the version it accepted.
    const listed = await listPartnerTerms(ctx);
    expect(listed.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(listed.find((v) => v.version === 1)).toMatchObject({ bodySv: "Villkor ett", bodyEn: "Terms one", publishedBy: staff.email });
  });

  it("refuses a version without both languages, next to the field, and writes nothing", async () => {
    const staff = await createStaff(t.db, "admin");
    const before = await t.db.select().from(partnerTerms);
    const error = await publishPartnerTerms(staffContext(t.db, staff.id), { bodySv: "Bara svenska", bodyEn: "   " }).catch((e) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect(error.fieldErrors).toEqual({ bodyEn: "required" });
    expect(await t.db.select().from(partnerTerms)).toEqual(before);
  });

  it("lets only staff publish or list them", async () => {
    const org = await createOrganisation(t.db, {}, { contacts: 1, contactsAreAdmins: true });
    const contact = personContext(t.db, { id: org.contacts[0].id, organisations: [{ organisationId: org.id, isAdmin: true }] });
    const input = { bodySv: "Villkor", bodyEn: "Terms" };
    const before = await t.db.select().from(partnerTerms);
    await expect(publishPartnerTerms(anonymousContext(t.db), input)).rejects.toBeInstanceOf(SignInRequired);
    await expect(publishPartnerTerms(contact, input)).rejects.toBeInstanceOf(Forbidden);
    await expect(listPartnerTerms(anonymousContext(t.db))).rejects.toBeInstanceOf(SignInRequired);
    await expect(listPartnerTerms(contact)).rejects.toBeInstanceOf(Forbidden);
    expect(await t.db.select().from(partnerTerms)).toEqual(before);
  });
});
