import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { organisations } from "~db/schema";
import { action as createAction } from "~/routes/admin.organisations._index";
import { action as editAction, loader as editLoader } from "~/routes/admin.organisations.$organisationId_.edit";
import { loader as logoLoader } from "~/routes/logos.$logoId";
import { action as ownAction, loader as ownLoader } from "~/routes/org.$organisationId";
import { dbTargets, useTestDatabase } from "../setup/db";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";

/**
 * The organisation pages' routes, called as Remix calls them (a Request with the session cookie):
 * the duplicate number's 409 with the existing organisation's id for the link, the contacts' own page
 * (invoice details, logo upload typed by its bytes), and the logo served with its own type and nosniff.
 */
const base = "http://127.0.0.1:3999";
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("IHDR route logo")]);
const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

type Failure = { init: { status: number }; data: { ok: false; error: string; fieldErrors: Record<string, string>; params?: Record<string, unknown> } };

function post(path: string, cookie: string, body: Record<string, string> | FormData) {
  return new Request(`${base}${path}`, { method: "POST", headers: { Cookie: cookie, Origin: base }, body: body instanceof FormData ? body : new URLSearchParams(body) });
}

function upload(file: Buffer, name: string, type: string) {
  const form = new FormData();
  form.set("intent", "logo");
  form.set("logo", new File([new Uint8Array(file)], name, { type }));
  return form;
}

async function outcome(work: () => unknown): Promise<unknown> {
  try {
    return await work();
  } catch (thrown) {
    return thrown;
  }
}

describe.each(dbTargets)("organisation routes on %s", (target) => {
  const t = useTestDatabase(target);
  let p: Personas;
  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(t.db, "-routes");
  });

  it("a duplicate organisation number is a 409 on the field, in the reader's language, with the existing organisation's id", async () => {
    const created = (await createAction({ request: post("/admin/organisations", p.cookie.fundraiser, { name: "Original AB (test)", orgNumber: "556016-0680" }), params: {}, context: {} })) as Response;
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("Location")!.match(/\/admin\/organisations\/(\d+)/)![1]);
    const before = (await t.db.select().from(organisations)).length;

    const sv = (await createAction({ request: post("/admin/organisations", p.cookie.fundraiser, { name: "Kopia AB", orgNumber: "165560160680" }), params: {}, context: {} })) as unknown as Failure;
    expect(sv.init.status).toBe(409);
    expect(sv.data.fieldErrors.orgNumber).toBe("Det finns redan en organisation med det här organisationsnumret: Original AB (test).");
    expect(sv.data.params).toMatchObject({ id });
    const en = (await createAction({ request: post("/admin/organisations?lang=en", p.cookie.fundraiser, { name: "Kopia AB", orgNumber: "5560160680" }), params: {}, context: {} })) as unknown as Failure;
    expect(en.data.fieldErrors.orgNumber).toBe("An organisation with this organisation number already exists: Original AB (test).");

    // The edit page refuses another organisation's number the same way.
    const params = { organisationId: String(p.orgB) };
    const edited = (await editAction({ request: post(`/admin/organisations/${p.orgB}/edit`, p.cookie.admin, { name: "B AB", orgNumber: "556016-0680" }), params, context: {} })) as unknown as Failure;
    expect(edited.init.status).toBe(409);
    expect(edited.data.params).toMatchObject({ id });
    expect((await t.db.select().from(organisations)).length).toBe(before);
    const form = await editLoader({ request: new Request(`${base}/admin/organisations/${p.orgB}/edit`, { headers: { Cookie: p.cookie.admin } }), params, context: {} });
    expect(form.values.orgNumber).toBe("");
  });

  it("a contact changes their organisation's invoice details; another organisation's contact is refused", async () => {
    const params = { organisationId: String(p.orgA) };
    const saved = (await ownAction({ request: post(`/org/${p.orgA}`, p.cookie.contactA, { intent: "invoice", invoiceEmail: "Faktura@A.example.com", invoiceReference: "Ref", purchaseOrder: "" }), params, context: {} })) as {
      ok: boolean;
    };
    expect(saved.ok).toBe(true);
    const page = await ownLoader({ request: new Request(`${base}/org/${p.orgA}`, { headers: { Cookie: p.cookie.contactA } }), params, context: {} });
    expect(page.organisation).toMatchObject({ invoiceEmail: "faktura@a.example.com", invoiceReference: "Ref", purchaseOrder: null });

    const bad = (await ownAction({ request: post(`/org/${p.orgA}?lang=en`, p.cookie.contactA, { intent: "invoice", invoiceEmail: "nope" }), params, context: {} })) as unknown as Failure;
    expect(bad.init.status).toBe(400);
    expect(bad.data.fieldErrors.invoiceEmail).toBeTruthy();

    const intruder = await outcome(() => ownAction({ request: post(`/org/${p.orgA}`, p.cookie.contactB, { intent: "invoice", invoiceEmail: "kapad@b.example.com" }), params, context: {} }));
    expect((intruder as Response).status).toBe(403);
    expect((await outcome(() => ownLoader({ request: new Request(`${base}/org/${p.orgA}`, { headers: { Cookie: p.cookie.contactB } }), params, context: {} })) as Response).status).toBe(403);
    const [a] = await t.db.select().from(organisations).where(eq(organisations.id, p.orgA));
    expect(a.invoiceEmail).toBe("faktura@a.example.com");
  });

  it("uploads a logo typed by its bytes (not its name or claimed type) and serves it with that type and nosniff", async () => {
    const params = { organisationId: String(p.orgA) };
    // A PNG sent as "logo.svg", image/svg+xml: stored and served as the PNG it is.
    const ok = (await ownAction({ request: post(`/org/${p.orgA}`, p.cookie.contactA, upload(png, "logo.svg", "image/svg+xml")), params, context: {} })) as { ok: boolean };
    expect(ok.ok).toBe(true);
    const page = await ownLoader({ request: new Request(`${base}/org/${p.orgA}`, { headers: { Cookie: p.cookie.contactA } }), params, context: {} });
    const logoId = page.organisation.logoUrl!.match(/^\/logos\/(\d+)$/)![1];

    const res = (await logoLoader({ request: new Request(`${base}/logos/${logoId}`, { headers: { Cookie: p.cookie.contactA } }), params: { logoId }, context: {} })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), png)).toBe(0);
    // A's organisation is not public: B's contact and visitors do not get it.
    expect((await outcome(() => logoLoader({ request: new Request(`${base}/logos/${logoId}`, { headers: { Cookie: p.cookie.contactB } }), params: { logoId }, context: {} })) as Response).status).toBe(403);
    const visitor = (await outcome(() => logoLoader({ request: new Request(`${base}/logos/${logoId}`), params: { logoId }, context: {} }))) as Response;
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/login\?returnTo=/);

    // An SVG sent as "logo.png", image/png: refused next to the field, in the reader's language.
    const refused = (await ownAction({ request: post(`/org/${p.orgA}?lang=en`, p.cookie.contactA, upload(svg, "logo.png", "image/png")), params, context: {} })) as unknown as Failure;
    expect(refused.init.status).toBe(400);
    expect(refused.data.fieldErrors.logo).toBe("The image must be a PNG, JPEG or WebP file (SVG and other formats are not accepted).");
    const after = await ownLoader({ request: new Request(`${base}/org/${p.orgA}`, { headers: { Cookie: p.cookie.contactA } }), params, context: {} });
    expect(after.organisation.logoUrl).toBe(`/logos/${logoId}`);
  });
});
