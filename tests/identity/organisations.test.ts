import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, organisations } from "~db/schema";
import { action as createAction } from "~/routes/admin.organisations._index";
import { action as orgAction, loader as orgLoader } from "~/routes/admin.organisations.$organisationId";
import { consumeSignInLink } from "~/services/auth/login.server";
import { renderEmail } from "~/services/email/render.server";
import { createOrganisation } from "~/services/organisations/organisations.server";
import { checkOrgNumber } from "~/services/organisations/org-number";
import { defaultCharityIdentity } from "~/services/settings/charity";
import { userContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { createPersonas, useIdentityEnv, type Personas } from "./helpers";

describe("organisation numbers (organisationsnummer package)", () => {
  it.each([
    ["556036-0793", "556036-0793", "limited"],
    ["5560360793", "556036-0793", "limited"],
    ["16556036-0793", "556036-0793", "limited"],
    ["165560360793", "556036-0793", "limited"],
    [" 202100-5489 ", "202100-5489", "public"],
    ["802000-0000", null, null],
  ])("%s → %s", (typed, stored, legalForm) => {
    const checked = checkOrgNumber(typed);
    if (stored === null) expect(checked.ok).toBe(false);
    else expect(checked).toEqual({ ok: true, number: stored, legalForm });
  });

  it("tells a wrong check digit from a wrong shape", () => {
    // 556036-0793 with its last digit changed: right shape, wrong checksum.
    expect(checkOrgNumber("556036-0794")).toEqual({ ok: false, code: "org_number_checksum" });
    expect(checkOrgNumber("556677-8898")).toEqual({ ok: false, code: "org_number_checksum" });
    for (const bad of ["12-34", "556036-07931", "556036 0793", "55603607", "abcdef-ghij"]) expect(checkOrgNumber(bad)).toEqual({ ok: false, code: "org_number" });
  });
});

describe.each(dbTargets)("staff organisation forms on %s", (target) => {
  const ctx = useTestDatabase(target);
  let p: Personas;
  const base = "http://127.0.0.1:3999";
  const post = (path: string, cookie: string, body: Record<string, string>) =>
    new Request(`${base}${path}`, { method: "POST", headers: { Cookie: cookie, Origin: base }, body: new URLSearchParams(body) });

  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(ctx.db, "-orgs");
  });

  it("refuses an organisation number with a wrong check digit, next to the field in the reader's language, and writes nothing", async () => {
    const before = (await ctx.db.select().from(organisations)).length;
    for (const [lang, text] of [
      ["sv", "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna."],
      ["en", "This is not a valid organisation number: the check digit (the last one) does not match the others. Check the digits."],
    ]) {
      const res = (await createAction({ request: post(`/admin/organisations?lang=${lang}`, p.cookie.fundraiser, { name: "Felnummer AB", orgNumber: "556036-0794" }), params: {}, context: {} })) as unknown as {
        init: { status: number };
        data: { fieldErrors: Record<string, string>; values: Record<string, string> };
      };
      expect(res.init.status).toBe(400);
      expect(res.data.fieldErrors).toEqual({ orgNumber: text });
      expect(res.data.values.orgNumber).toBe("556036-0794");
    }
    expect((await ctx.db.select().from(organisations)).length).toBe(before);
  });

  it("stores 12-digit and hyphen-less numbers as NNNNNN-NNNN and shows the legal form", async () => {
    const fundraiser = (await import("~/utils/auth.server")).getCurrentUser;
    const actor = (await fundraiser(new Request(base, { headers: { Cookie: p.cookie.fundraiser } })))!;
    const org = await createOrganisation(userContext(ctx.db, actor), { name: "Tolvsiffrigt AB", orgNumber: "165560360793" });
    expect(org.orgNumber).toBe("556036-0793");
    const res = (await createAction({ request: post("/admin/organisations", p.cookie.fundraiser, { name: "Utan bindestreck", orgNumber: "2021005489" }), params: {}, context: {} })) as Response;
    expect(res.status).toBe(302);
    const id = res.headers.get("Location")!.match(/\/admin\/organisations\/(\d+)\?created=1$/)![1];
    const page = await orgLoader({ request: new Request(`${base}/admin/organisations/${id}?created=1`, { headers: { Cookie: p.cookie.fundraiser } }), params: { organisationId: id }, context: {} });
    expect(page.organisation).toMatchObject({ orgNumber: "202100-5489", legalForm: "Stat, region, kommun eller församling" });
    expect(page.created).toBe(true);
  });

  it("sends a new contact an invitation with a working sign-in link, once, and redirects so the field is empty again", async () => {
    const orgId = String(p.orgA);
    const email = "Ny.Kontakt@Example.com";
    const res = (await orgAction({ request: post(`/admin/organisations/${orgId}`, p.cookie.admin, { intent: "add", email }), params: { organisationId: orgId }, context: {} })) as Response;
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/admin/organisations/${orgId}\\?added=\\d+$`));

    const mails = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.to, "ny.kontakt@example.com"));
    expect(mails.map((m) => [m.template, m.locale])).toEqual([["contact-invitation", "sv"]]);
    const props = mails[0].props as { url: string; organisationName: string };
    expect(props.organisationName).toBe(`Organisation A-orgs AB (test)`);
    const token = new URL(props.url).searchParams.get("token")!;
    expect(props.url.startsWith(`${base}/login/verify?token=`)).toBe(true);
    const signedIn = await consumeSignInLink(ctx.db, { token });
    expect(signedIn?.returnTo).toBe(`/org/${orgId}`);

    const rendered = await renderEmail("contact-invitation", "sv", mails[0].props, defaultCharityIdentity);
    expect(rendered.subject).toBe("Du är kontaktperson för Organisation A-orgs AB (test) på Lokala mål");
    expect(rendered.text).toContain(props.url);
    const en = await renderEmail("contact-invitation", "en", mails[0].props, defaultCharityIdentity);
    expect(en.subject).toBe("You are a contact for Organisation A-orgs AB (test) on Local goals");

    // The page after the redirect: a notice naming the contact, and no typed value to keep.
    const page = await orgLoader({ request: new Request(`${base}${location}`, { headers: { Cookie: p.cookie.admin } }), params: { organisationId: orgId }, context: {} });
    expect(page.added).toEqual({ email: "ny.kontakt@example.com", invited: true });

    // Adding the same person again sends nothing new.
    const again = (await orgAction({ request: post(`/admin/organisations/${orgId}`, p.cookie.admin, { intent: "add", email }), params: { organisationId: orgId }, context: {} })) as Response;
    expect(again.headers.get("Location")).toMatch(/\?existing=\d+$/);
    expect(await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.to, "ny.kontakt@example.com"))).toHaveLength(1);
  });

  it("answers a bad contact address next to the field and sends nothing", async () => {
    const orgId = String(p.orgA);
    const before = (await ctx.db.select().from(emailOutbox)).length;
    const res = (await orgAction({ request: post(`/admin/organisations/${orgId}?lang=en`, p.cookie.admin, { intent: "add", email: "not-an-email" }), params: { organisationId: orgId }, context: {} })) as unknown as {
      init: { status: number };
      data: { fieldErrors: Record<string, string>; values: Record<string, string> };
    };
    expect(res.init.status).toBe(400);
    expect(res.data.fieldErrors.email).toBeTruthy();
    expect(res.data.values.email).toBe("not-an-email");
    expect((await ctx.db.select().from(emailOutbox)).length).toBe(before);
  });
});
