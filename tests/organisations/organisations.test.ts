import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, emailOutbox, industries, organisationLogos, organisationMembers, organisations } from "~db/schema";
import { consumeSignInLink } from "~/services/auth/login.server";
import { SignInRequired, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { listIndustries, setMemberRoles, updateInvoiceDetails, updateOrganisation } from "~/services/organisations/details.server";
import { detectLogoType, getOrganisationLogo, LOGO_MAX_BYTES, setOrganisationLogo } from "~/services/organisations/logos.server";
import { addContact, addMember, createOrganisation, createOrganisationRecord, getOrganisation, organisationLogoUrl } from "~/services/organisations/organisations.server";
import { anonymousContext, personContext, staffContext, testSystemContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";

/** Image files by their first bytes (the rest does not matter to the check), and things that are not. */
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("IHDR logo bytes")]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("JFIF logo")]);
const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x10, 0, 0, 0]), Buffer.from("WEBPVP8 logo")]);
const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe("logo types by their bytes", () => {
  it.each([
    ["png", png, "image/png"],
    ["jpeg", jpeg, "image/jpeg"],
    ["webp", webp, "image/webp"],
    ["svg", svg, null],
    ["gif", Buffer.from("GIF89a...."), null],
    ["html", Buffer.from("<!doctype html><script>"), null],
    ["riff that is not webp", Buffer.concat([Buffer.from("RIFF"), Buffer.from([0, 0, 0, 0]), Buffer.from("WAVEfmt ")]), null],
  ])("%s → %s", (_name, bytes, type) => expect(detectLogoType(bytes)).toBe(type));
});

describe.each(dbTargets)("organisations and contacts on %s", (target) => {
  const t = useTestDatabase(target);
  let p: Personas;
  let staff: ServiceContext;
  let contactA: ServiceContext;
  let plainContactA: ServiceContext;
  let contactB: ServiceContext;
  let anonymous: ServiceContext;

  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(t.db, "-o11");
    staff = staffContext(t.db, p.ids.fundraiser, "fundraiser");
    contactA = personContext(t.db, { id: p.ids.contactA, organisations: [{ organisationId: p.orgA, isAdmin: true }] });
    // A contact of A who is not its admin: may still change the invoice details and the logo.
    plainContactA = personContext(t.db, { id: p.ids.donor, organisations: [{ organisationId: p.orgA, isAdmin: false }] });
    contactB = personContext(t.db, { id: p.ids.contactB, organisations: [{ organisationId: p.orgB, isAdmin: true }] });
    anonymous = anonymousContext(t.db);
  });

  const count = async (table: typeof organisations | typeof organisationLogos | typeof emailOutbox) => (await t.db.select().from(table)).length;

  it("seeds the 21 SNI 2007 sections in Swedish and English", async () => {
    const rows = await listIndustries(staff);
    expect(rows.map((r) => r.slug)).toEqual("abcdefghijklmnopqrstu".split("").map((l) => `sni2007-${l}`));
    expect(rows[0]).toMatchObject({ nameSv: "A Jordbruk, skogsbruk och fiske", nameEn: "A Agriculture, forestry and fishing", excluded: false });
    expect(rows.find((r) => r.slug === "sni2007-f")).toMatchObject({ nameSv: "F Byggverksamhet", nameEn: "F Construction" });
    await expect(listIndustries(anonymous)).rejects.toBeInstanceOf(SignInRequired);
  });

  it("staff create an organisation with every field, normalised; contacts and anonymous visitors may not", async () => {
    const [construction] = await t.db.select().from(industries).where(eq(industries.slug, "sni2007-f"));
    const org = await createOrganisation(staff, {
      name: "Byggexemplet AB (test)",
      orgNumber: "165560160680",
      address: "Exempelgatan 1",
      postalCode: "72212",
      city: "Västerås",
      website: "www.exempel.se",
      industryId: String(construction.id),
      invoiceEmail: "Faktura@Exempel.se",
      invoiceReference: "Anna Exempel",
      purchaseOrder: "PO-123",
      isPublic: "on",
    });
    expect(org).toMatchObject({
      orgNumber: "556016-0680",
      postalCode: "722 12",
      website: "https://www.exempel.se/",
      industryId: construction.id,
      invoiceEmail: "faktura@exempel.se",
      isPublic: true,
    });
    const { organisation } = await getOrganisation(staff, org.id);
    expect(organisation).toMatchObject({ legalForm: "limited", industry: { nameSv: "F Byggverksamhet" }, logoUrl: null });

    const before = await count(organisations);
    await expect(createOrganisation(contactA, { name: "Intrång AB" })).rejects.toBeInstanceOf(Forbidden);
    await expect(createOrganisation(anonymous, { name: "Intrång AB" })).rejects.toBeInstanceOf(SignInRequired);
    await expect(createOrganisation(staff, { name: "Fel AB", website: "javascript:alert(1)", postalCode: "1234" })).rejects.toMatchObject({
      status: 400,
      fieldErrors: { website: "website", postalCode: "postal_code" },
    });
    await expect(createOrganisation(staff, { name: "Fel AB", industryId: "999999" })).rejects.toMatchObject({ status: 400, fieldErrors: { industryId: "invalid_id" } });
    expect(await count(organisations)).toBe(before);
  });

  it("refuses a second organisation with the same number, however it is typed, naming the existing one", async () => {
    const first = await createOrganisation(staff, { name: "Förste AB (test)", orgNumber: "802005-1952" });
    const before = await count(organisations);
    for (const typed of ["802005-1952", "8020051952", "168020051952"]) {
      const error = await createOrganisation(staff, { name: "Andre AB (test)", orgNumber: typed }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ status: 409, message: "organisation_exists", fieldErrors: { orgNumber: "organisation_exists" }, params: { id: first.id, name: "Förste AB (test)" } });
    }
    // The helper other areas use (partner sign-up) refuses it the same way.
    await expect(t.db.transaction((tx) => createOrganisationRecord(tx, { name: "Tredje AB", orgNumber: "802005-1952" }, testSystemContext(t.db).actor))).rejects.toMatchObject({
      message: "organisation_exists",
      params: { id: first.id },
    });
    // An edit that would take another organisation's number, too.
    const other = await createOrganisation(staff, { name: "Annan AB (test)" });
    await expect(updateOrganisation(staff, other.id, { name: "Annan AB (test)", orgNumber: "802005-1952" })).rejects.toMatchObject({ status: 409, params: { id: first.id } });
    expect(await count(organisations)).toBe(before + 1);
    // Two registrations at once: one wins, the other is the same 409, never a 500.
    const raced = await Promise.allSettled([
      createOrganisation(staff, { name: "Samtidig 1 AB", orgNumber: "556036-0793" }),
      createOrganisation(staff, { name: "Samtidig 2 AB", orgNumber: "5560360793" }),
    ]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = raced.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409, message: "organisation_exists" });
  });

  it("staff edit everything and it is audited; a contact may change only the invoice details, of their own organisation", async () => {
    const org = await createOrganisation(staff, { name: "Ändra AB (test)" });
    const saved = await updateOrganisation(staff, org.id, { name: "Ändrat AB (test)", orgNumber: "556016-0680x" }).catch((e: unknown) => e);
    expect(saved).toMatchObject({ status: 400, fieldErrors: { orgNumber: "org_number" } });
    await updateOrganisation(staff, org.id, { name: "Ändrat AB (test)", city: "Västerås", isPublic: "on" });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.organisationId, org.id), eq(auditLog.action, "organisation_changed")));
    expect(audit.details).toMatchObject({ changes: { name: ["Ändra AB (test)", "Ändrat AB (test)"], city: [null, "Västerås"], isPublic: [false, true] } });

    await expect(updateOrganisation(contactA, p.orgA, { name: "Kapat AB" })).rejects.toBeInstanceOf(Forbidden);
    await updateInvoiceDetails(plainContactA, p.orgA, { invoiceEmail: "ekonomi@a.example.com", invoiceReference: "Ref A", purchaseOrder: "PO 9" });
    const [a] = await t.db.select().from(organisations).where(eq(organisations.id, p.orgA));
    expect(a).toMatchObject({ invoiceEmail: "ekonomi@a.example.com", invoiceReference: "Ref A", purchaseOrder: "PO 9" });
    await expect(updateInvoiceDetails(contactB, p.orgA, { invoiceEmail: "kapad@b.example.com" })).rejects.toBeInstanceOf(Forbidden);
    await expect(updateInvoiceDetails(anonymous, p.orgA, { invoiceEmail: "kapad@b.example.com" })).rejects.toBeInstanceOf(SignInRequired);
    await expect(updateInvoiceDetails(contactA, p.orgA, { invoiceEmail: "inte-en-adress" })).rejects.toMatchObject({ status: 400, fieldErrors: { invoiceEmail: "email_invalid" } });
    const [after] = await t.db.select().from(organisations).where(eq(organisations.id, p.orgA));
    expect(after.invoiceEmail).toBe("ekonomi@a.example.com");
    await expect(getOrganisation(contactB, p.orgA)).rejects.toBeInstanceOf(Forbidden);
  });

  it("stores a logo's bytes as they were sent, typed by their bytes, and replaces the old one", async () => {
    const org = await createOrganisation(staff, { name: "Logga AB (test)", isPublic: "on" });
    const first = await setOrganisationLogo(staff, org.id, png);
    expect(first.contentType).toBe("image/png");
    const served = await getOrganisationLogo(anonymous, first.logoId);
    expect(Buffer.compare(served.bytes, png)).toBe(0);
    expect(served).toMatchObject({ contentType: "image/png", isPublic: true });

    const second = await setOrganisationLogo(staff, org.id, webp);
    expect((await getOrganisationLogo(anonymous, second.logoId)).contentType).toBe("image/webp");
    await expect(getOrganisationLogo(anonymous, first.logoId)).rejects.toBeInstanceOf(NotFound);
    expect(await t.db.select({ id: organisationLogos.id }).from(organisationLogos).where(eq(organisationLogos.organisationId, org.id))).toEqual([{ id: second.logoId }]);
    const { organisation } = await getOrganisation(staff, org.id);
    expect(organisation.logoUrl).toBe(`/logos/${second.logoId}`);
    expect(organisationLogoUrl({ logoId: null })).toBeNull();

    // JPEG from a contact of the organisation (not its admin); a file of exactly 1 MB is accepted.
    const big = Buffer.concat([jpeg, Buffer.alloc(LOGO_MAX_BYTES - jpeg.length)]);
    const third = await setOrganisationLogo(plainContactA, p.orgA, big);
    expect((await getOrganisationLogo(contactA, third.logoId)).bytes.length).toBe(LOGO_MAX_BYTES);
  });

  it("refuses SVG, other types, empty and too large files on the logo field, and other organisations' people; nothing written", async () => {
    const before = await count(organisationLogos);
    const refusal = (bytes: Uint8Array | null) => setOrganisationLogo(contactA, p.orgA, bytes).catch((e: unknown) => e);
    expect(await refusal(svg)).toMatchObject({ status: 400, fieldErrors: { logo: "logo_type" } });
    expect(await refusal(Buffer.from("GIF89a"))).toMatchObject({ status: 400, fieldErrors: { logo: "logo_type" } });
    expect(await refusal(null)).toMatchObject({ status: 400, fieldErrors: { logo: "logo_required" } });
    expect(await refusal(Buffer.concat([png, Buffer.alloc(LOGO_MAX_BYTES)]))).toMatchObject({ status: 400, fieldErrors: { logo: "logo_too_large" } });
    await expect(setOrganisationLogo(contactB, p.orgA, png)).rejects.toBeInstanceOf(Forbidden);
    await expect(setOrganisationLogo(anonymous, p.orgA, png)).rejects.toBeInstanceOf(SignInRequired);
    expect(await count(organisationLogos)).toBe(before);
  });

  it("shows a hidden organisation's logo only to its contacts and staff", async () => {
    const { logoId } = await setOrganisationLogo(staff, p.orgB, png);
    expect((await getOrganisationLogo(contactB, logoId)).isPublic).toBe(false);
    expect((await getOrganisationLogo(staff, logoId)).contentType).toBe("image/png");
    await expect(getOrganisationLogo(contactA, logoId)).rejects.toBeInstanceOf(Forbidden);
    await expect(getOrganisationLogo(anonymous, logoId)).rejects.toBeInstanceOf(SignInRequired);
  });

  it("adds a contact with roles and sends one invitation with a sign-in link; roles are merged, never a second email", async () => {
    const mails = await count(emailOutbox);
    const added = await addMember(staff, p.orgA, { email: "Ekonomi@A.example.com", name: "Eva Ekonomi", roles: ["invoicing", "main"] });
    expect(added).toMatchObject({ added: true, email: "ekonomi@a.example.com" });
    const membership = and(eq(organisationMembers.organisationId, p.orgA), eq(organisationMembers.personId, added.personId));
    expect((await t.db.select().from(organisationMembers).where(membership))[0]).toMatchObject({ roles: ["invoicing", "main"], isAdmin: false });
    const [mail] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.to, "ekonomi@a.example.com"));
    expect(mail.template).toBe("contact-invitation");
    const token = new URL((mail.props as { url: string }).url).searchParams.get("token")!;
    expect((await consumeSignInLink(t.db, { token }))?.returnTo).toBe(`/org/${p.orgA}`);

    // The same person again, through the helper other areas use: the roles are added, no new email.
    const again = await t.db.transaction((tx) => addContact(tx, { organisationId: p.orgA, email: "ekonomi@a.example.com", roles: ["payroll"] }, staff.actor));
    expect(again).toMatchObject({ added: false, personId: added.personId });
    expect((await t.db.select().from(organisationMembers).where(membership))[0].roles).toEqual(["main", "invoicing", "payroll"]);
    expect(await count(emailOutbox)).toBe(mails + 1);

    await setMemberRoles(contactA, p.orgA, { personId: String(added.personId), roles: ["marketing"] });
    expect((await t.db.select().from(organisationMembers).where(membership))[0].roles).toEqual(["marketing"]);
    await expect(setMemberRoles(contactA, p.orgA, { personId: String(added.personId), roles: ["boss"] })).rejects.toMatchObject({ status: 400, fieldErrors: { roles: "contact_role" } });
    await expect(addMember(staff, p.orgA, { email: "x@example.com", roles: "ceo" })).rejects.toMatchObject({ status: 400, fieldErrors: { roles: "contact_role" } });
  });

  it("refuses contact changes by another organisation's contact or a non-admin contact, writing nothing", async () => {
    const mails = await count(emailOutbox);
    await expect(addMember(contactB, p.orgA, { email: "intrang@example.com", roles: ["main"] })).rejects.toBeInstanceOf(Forbidden);
    await expect(addMember(plainContactA, p.orgA, { email: "intrang@example.com" })).rejects.toBeInstanceOf(Forbidden);
    await expect(addMember(anonymous, p.orgA, { email: "intrang@example.com" })).rejects.toBeInstanceOf(SignInRequired);
    await expect(setMemberRoles(contactB, p.orgA, { personId: String(p.ids.contactA), roles: [] })).rejects.toBeInstanceOf(Forbidden);
    expect(await count(emailOutbox)).toBe(mails);
    const rows = await t.db.select().from(organisationMembers).where(eq(organisationMembers.organisationId, p.orgA)).orderBy(asc(organisationMembers.personId));
    expect(rows.find((r) => r.personId === p.ids.contactA)?.roles).toEqual([]);
  });
});
