import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoices, ledgerEntries, payments } from "~db/schema";
import { localeCookie } from "~/i18n/locale.server";
import { action as detailAction, loader as detailLoader } from "~/routes/admin.invoices.$id";
import { loader as pdfLoader } from "~/routes/admin.invoices.$id_.pdf";
import { loader as listLoader } from "~/routes/admin.invoices._index";
import { action as newAction, loader as newLoader } from "~/routes/admin.invoices.new";
import { action as settingsAction } from "~/routes/admin.settings";
import { getCharityBankgiro } from "~/services/settings/charity-bankgiro.server";
import { setEnvForTests } from "~/utils/env.server";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { completeInvoiceSettings, pdfText, staffContext } from "./helpers";

const url = (path: string) => `http://127.0.0.1:3999${path}`;
type Failure = { init: { status: number }; data: { message: string; fieldErrors: Record<string, string>; values: Record<string, string> } };

describe.each(dbTargets)("the staff invoice pages (%s)", (target) => {
  const t = useTestDatabase(target);
  let p: Personas;
  let english: string;
  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(t.db);
    english = `${p.cookie.fundraiser}; ${await localeCookie.serialize("en")}`;
  });
  afterAll(() => setEnvForTests(undefined));

  const post = (path: string, cookie: string, body: Record<string, string>) =>
    new Request(url(path), { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: url("") }, body: new URLSearchParams(body) });
  const get = (path: string, cookie: string) => new Request(url(path), { headers: { Cookie: cookie } });
  const draft = (over: Record<string, string> = {}) => ({
    organisationId: String(p.orgA),
    issueDate: "2026-11-20",
    dueDate: "2026-12-20",
    buyerName: "Åkeri Öberg AB",
    buyerOrgNumber: "556677-8899",
    buyerAddress: "Industrigatan 4, 721 30 Västerås",
    buyerEmail: "faktura@oberg.example.se",
    buyerReference: "PO-4711",
    delivery: "bank",
    "lines[0].text": "Partneravgift 2027",
    "lines[0].amount": "600",
    "lines[0].goal": "",
    "lines[1].text": "Julinsamling",
    "lines[1].amount": "400",
    "lines[1].goal": "",
    // Rows left blank are ignored.
    "lines[2].text": "",
    "lines[2].amount": "",
    "lines[2].goal": "",
    ...over,
  });
  const invoiceCount = async () => Number((await t.db.select({ n: count() }).from(invoices))[0].n);
  const create = async (body: Record<string, string>) => {
    const res = (await newAction({ request: post("/admin/invoices/new", p.cookie.fundraiser, body), params: {}, context: {} })) as Response;
    expect(res.status).toBe(302);
    return Number(/^\/admin\/invoices\/(\d+)$/.exec(res.headers.get("Location") ?? "")?.[1]);
  };

  it("refuses a bad line with 400 and the field's message in the reader's language, writing nothing", async () => {
    const bad = draft({ "lines[1].amount": "12,3x" });
    const en = (await newAction({ request: post("/admin/invoices/new", english, bad), params: {}, context: {} })) as unknown as Failure;
    expect(en.init.status).toBe(400);
    expect(en.data.fieldErrors).toEqual({ "lines[1].amount": "Enter the amount in kronor, for example 1500 or 1 500.50." });
    expect(en.data.values["lines[1].amount"]).toBe("12,3x");
    const sv = (await newAction({ request: post("/admin/invoices/new", p.cookie.fundraiser, bad), params: {}, context: {} })) as unknown as Failure;
    expect([sv.init.status, sv.data.fieldErrors["lines[1].amount"]]).toEqual([400, "Skriv beloppet i kronor, till exempel 1500 eller 1 500,50."]);
    expect(await invoiceCount()).toBe(0);
  });

  it("shows the missing settings, creates a draft, issues it, takes a payment into the ledger and serves the PDF", async () => {
    const form = await newLoader({ request: get("/admin/invoices/new", p.cookie.fundraiser), params: {}, context: {} });
    expect(form.missingSettings).toContain("bankgiro");
    expect(form.organisations.map((o) => o.id)).toContain(p.orgA);

    const id = await create(draft());
    const detail = await detailLoader({ request: get(`/admin/invoices/${id}`, p.cookie.fundraiser), params: { id: String(id) }, context: {} });
    expect(detail.invoice).toMatchObject({ status: "draft", totalOre: "100000", buyerReference: "PO-4711", delivery: "bank" });
    expect(detail.lines.map((l) => [l.text, l.amountOre])).toEqual([
      ["Partneravgift 2027", "60000"],
      ["Julinsamling", "40000"],
    ]);

    // The bankgiro field on /admin/settings: a wrong check digit is refused next to the field, a right one saved.
    const wrong = (await settingsAction({ request: post("/admin/settings", english, { intent: "bankgiro", bankgiro: "900-1232" }), params: {}, context: {} })) as unknown as Failure;
    expect([wrong.init.status, wrong.data.fieldErrors.bankgiro]).toEqual([400, "This is not a valid bankgiro number (7 or 8 digits with the right check digit, for example 123-4567)."]);
    expect(await getCharityBankgiro(t.db)).toBe("");
    await completeInvoiceSettings(await staffContext(t.db));
    const saved = (await settingsAction({ request: post("/admin/settings", p.cookie.fundraiser, { intent: "bankgiro", bankgiro: "9001231" }), params: {}, context: {} })) as Response;
    expect([saved.status, saved.headers.get("Location")]).toEqual([302, "/admin/settings?done=bankgiro"]);
    expect(await getCharityBankgiro(t.db)).toBe("900-1231");

    const issued = (await detailAction({ request: post(`/admin/invoices/${id}`, p.cookie.fundraiser, { intent: "issue" }), params: { id: String(id) }, context: {} })) as Response;
    expect(issued.headers.get("Location")).toBe(`/admin/invoices/${id}?done=issued`);
    const [row] = await t.db.select().from(invoices).where(eq(invoices.id, id));
    expect(row.status).toBe("sent");

    const badPay = (await detailAction({ request: post(`/admin/invoices/${id}`, english, { intent: "paid", paidOn: "2026-11-25", amount: "0", reference: "" }), params: { id: String(id) }, context: {} })) as unknown as Failure;
    expect([badPay.init.status, badPay.data.fieldErrors.amount]).toEqual([400, "The amount must be greater than zero."]);
    const paid = (await detailAction({ request: post(`/admin/invoices/${id}`, p.cookie.fundraiser, { intent: "paid", paidOn: "2026-11-25", amount: "1000", reference: "BG 778899" }), params: { id: String(id) }, context: {} })) as Response;
    expect(paid.headers.get("Location")).toBe(`/admin/invoices/${id}?done=paid`);
    const [ledger] = await t.db
      .select({ s: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` })
      .from(ledgerEntries)
      .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
      .where(eq(payments.companyInvoiceId, id));
    expect(ledger.s).toBe("100000");

    const list = await listLoader({ request: get("/admin/invoices?status=paid", p.cookie.fundraiser), params: {}, context: {} });
    expect(list.invoices.map((i) => i.id)).toEqual([id]);
    expect(list.totals).toMatchObject({ count: 1, totalOre: "100000", paidOre: "100000", outstandingOre: "0" });
    const none = await listLoader({ request: get("/admin/invoices?overdue=1", p.cookie.fundraiser), params: {}, context: {} });
    expect(none.invoices).toEqual([]);

    const pdf = (await pdfLoader({ request: get(`/admin/invoices/${id}/pdf`, p.cookie.fundraiser), params: { id: String(id) }, context: {} })) as Response;
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect(pdf.headers.get("Content-Disposition")).toBe(`attachment; filename="faktura-${row.number}.pdf"`);
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain(row.ocrReference as string);
  });

  it("issues a Stripe-delivered draft from the same action (through the Stripe simulator)", async () => {
    const id = await create(draft({ delivery: "stripe" }));
    const res = (await detailAction({ request: post(`/admin/invoices/${id}`, p.cookie.fundraiser, { intent: "issue" }), params: { id: String(id) }, context: {} })) as Response;
    expect(res.headers.get("Location")).toBe(`/admin/invoices/${id}?done=issued`);
    const [row] = await t.db.select().from(invoices).where(eq(invoices.id, id));
    expect([row.status, row.number !== null, row.stripeInvoiceId !== null]).toEqual(["sent", true, true]);
  });

  it("answers a person who is not staff with 403 and writes nothing", async () => {
    const before = await invoiceCount();
    const refused = async (work: () => Promise<unknown>) => {
      const thrown = await work().catch((e: unknown) => e);
      return (thrown as Response).status;
    };
    expect(await refused(() => listLoader({ request: get("/admin/invoices", p.cookie.contactA), params: {}, context: {} }))).toBe(403);
    expect(await refused(() => newAction({ request: post("/admin/invoices/new", p.cookie.contactA, draft()), params: {}, context: {} }))).toBe(403);
    expect(await refused(() => detailLoader({ request: get("/admin/invoices/1", p.cookie.contactA), params: { id: "1" }, context: {} }))).toBe(403);
    expect(await refused(() => pdfLoader({ request: get("/admin/invoices/1/pdf", p.cookie.contactA), params: { id: "1" }, context: {} }))).toBe(403);
    expect(await invoiceCount()).toBe(before);
  });
});
