import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { bgMaxFromPayments, encodeBgMax } from "~/services/invoices/bgmax-writer";
import { testSeller } from "../invoices/helpers";
import { orgNumber } from "../partners/helpers";
import { chromiumAvailable, expectNoSeriousA11yViolations, keptTabs } from "../setup/browser";
import { mailsTo, postForm, signIn } from "../setup/dev-mailbox";
import { useUiJourney } from "./ui-helpers";

/**
 * Issue 11's two sign-up journeys on one server: a company signs up at /partners/join for Alla är
 * trygga as vänföretag and pays by card on the simulator; another pays by bank invoice, staff import
 * a BgMax file with its OCR reference. Staff's own steps (tier minimum, terms, settings, sign-off,
 * the BgMax upload) go over HTTP with a staff session, as their pages post them.
 */
const STAFF = "signup.staff@example.com";
const FEE_KR = 5000;

type GoalJson = { raisedOre: number; partners: { name: string; tier: string; website: string | null }[] };
const goalJson = async (base: string) => (await (await fetch(`${base}/api/goals/alla-ar-trygga`)).json()) as GoalJson;

async function fillSignup(page: Page, base: string, company: { name: string; orgNumber: string; email: string; payment: RegExp; invoiceEmail?: string }) {
  await page.goto(`${base}/partners/join?goal=alla-ar-trygga&tier=vanforetag`);
  await page.getByRole("heading", { name: "Bli partner till ett lokalt mål" }).waitFor();
  await page.locator("form[data-hydrated]").waitFor();
  expect(await page.getByLabel("Mål", { exact: true }).inputValue()).toBe("alla-ar-trygga");
  expect(await page.getByLabel(/^Vänföretag/).isChecked()).toBe(true);
  await page.getByLabel("Belopp per år (kr)", { exact: true }).fill(String(FEE_KR));
  await page.getByLabel("Företagets namn", { exact: true }).fill(company.name);
  await page.getByLabel("Organisationsnummer", { exact: true }).fill(company.orgNumber);
  await page.getByLabel("Utdelningsadress", { exact: true }).fill("Storgatan 1");
  await page.getByLabel("Postnummer", { exact: true }).fill("72211");
  await page.getByLabel("Ort", { exact: true }).fill("Västerås");
  await page.getByLabel("Bransch", { exact: true }).selectOption({ index: 1 });
  await page.getByLabel("Namn", { exact: true }).fill("Kim Kontakt");
  await page.getByLabel("E-post", { exact: true }).fill(company.email);
  if (company.invoiceEmail) await page.getByLabel("E-post för fakturor", { exact: true }).fill(company.invoiceEmail);
  await page.getByLabel(/Jag har läst och godkänner partnervillkoren/).check();
  await page.getByLabel(company.payment).check();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "Skicka anmälan" }).click();
}

/** Staff sign the company's partnership off (its page's sign-off form). */
async function signOff(base: string, cookie: string, companyName: string) {
  const list = await (await fetch(`${base}/admin/partnerships`, { headers: { Cookie: cookie } })).text();
  const id = new RegExp(`href="/admin/partnerships/(\\d+)">${companyName}<`).exec(list)?.[1];
  expect(id, `${companyName} in /admin/partnerships`).toBeTruthy();
  const res = await postForm(base, `/admin/partnerships/${id}`, { intent: "signoff", note: "" }, { Cookie: cookie });
  expect(res.status).toBe(302);
  return Number(id);
}

describe.runIf(chromiumAvailable())("partner sign-up journeys in Chromium", () => {
  const journey = useUiJourney({ ADMIN_EMAILS: STAFF });
  const tab = keptTabs(() => journey.browser);
  let staff = "";
  const stamp = Date.now() % 90_000;

  it("a company signs up for Alla är trygga as vänföretag paying by card; signed off, it is on the goal's wall and in the API, and the goal's raised amount went up by the fee", async () => {
    const base = journey.server.url;
    staff = await signIn(base, STAFF);
    expect((await postForm(base, "/admin/tiers", { intent: "minimum", tier: "vanforetag", minYearly: String(FEE_KR) }, { Cookie: staff })).status).toBe(302);
    expect((await postForm(base, "/admin/partner-terms", { bodySv: "E2E-villkor (test)", bodyEn: "E2E terms (test)" }, { Cookie: staff })).status).toBe(302);
    const before = await goalJson(base);

    const company = { name: `Kortbolaget ${stamp} AB`, orgNumber: orgNumber(stamp), email: `kort.${stamp}@example.com`, payment: /^Med kort nu/ };
    const page = await tab();
    await fillSignup(page, base, company);
    await page.waitForURL(/\/dev\/checkout\/cs_sim_/);
    await page.getByRole("button", { name: "Betala med kort" }).click();
    await page.waitForURL(/\/partners\/join\/thanks\?ref=/);
    await page.getByText("Betalningen är mottagen.", { exact: false }).waitFor();
    // The contact got a sign-in link (the invitation) and the sign-up's emails.
    expect((await mailsTo(base, company.email)).length).toBeGreaterThanOrEqual(3);

    // Paid, not yet signed off: not on the wall.
    expect((await goalJson(base)).partners.map((p) => p.name)).not.toContain(company.name);
    const partnershipId = await signOff(base, staff, company.name);
    const after = await goalJson(base);
    expect(after.partners).toContainEqual(expect.objectContaining({ name: company.name, tier: "vanforetag" }));
    expect(after.raisedOre - before.raisedOre).toBe(FEE_KR * 100);
    await page.goto(`${base}/goals/alla-ar-trygga`);
    await page.getByText(company.name).first().waitFor();

    // The contact downloads the partnership's certificate from the partner dashboard's route.
    const contact = await signIn(base, company.email);
    const year = new Date().getUTCFullYear();
    const pdf = await fetch(`${base}/partner/certificates/${partnershipId}/${year}`, { headers: { Cookie: contact } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toMatch(/application\/pdf/);
  }, 180_000);

  it("a company pays by bank invoice: the invoice PDF is emailed, staff import a BgMax file with its OCR reference, the partnership becomes active", async () => {
    const base = journey.server.url;
    if (!staff) staff = await signIn(base, STAFF);
    const identity = { name: testSeller.name, organisationNumber: testSeller.organisationNumber, address: testSeller.address, email: "faktura@example.se", phone: "", website: "" };
    expect((await postForm(base, "/admin/settings", identity, { Cookie: staff })).status).toBeLessThan(400);
    expect((await postForm(base, "/admin/settings", { intent: "bankgiro", bankgiro: testSeller.bankgiro }, { Cookie: staff })).status).toBe(302);

    const company = { name: `Fakturabolaget ${stamp} AB`, orgNumber: orgNumber(stamp + 1), email: `faktura.${stamp}@example.com`, invoiceEmail: `ekonomi.${stamp}@example.com`, payment: /^Faktura med bankgiro/ };
    const page = await tab();
    await fillSignup(page, base, company);
    await page.waitForURL(/\/partners\/join\/thanks\?ref=/);
    await page.getByText(`Fakturan är skickad till ${company.invoiceEmail}`, { exact: false }).waitFor();

    // The invoice email in the dev mailbox (its PDF attachment is checked in tests/partners/signup.test.ts:
    // the dev mailbox page does not list attachments); its OCR reference is what the company pays with.
    const [mailId] = await mailsTo(base, company.invoiceEmail);
    expect(mailId).toBeTruthy();
    const mail = await (await fetch(`${base}/dev/mail/${mailId}`)).text();
    const ocr = /OCR-nummer (\d+)/.exec(mail)?.[1];
    expect(ocr).toBeTruthy();

    await signOff(base, staff, company.name);
    expect((await goalJson(base)).partners.map((p) => p.name)).not.toContain(company.name);
    const file = encodeBgMax(bgMaxFromPayments(testSeller.bankgiro.replace("-", ""), [{ ocr: ocr!, amountOre: BigInt(FEE_KR * 100), date: new Date().toISOString().slice(0, 10) }]));
    const upload = new FormData();
    upload.set("file", new Blob([Buffer.from(file)], { type: "text/plain" }), "bgmax.txt");
    const imported = await fetch(`${base}/admin/invoices/import`, { method: "POST", body: upload, headers: { Cookie: staff, Origin: base }, redirect: "manual" });
    expect(imported.status).toBeLessThan(400);
    expect((await goalJson(base)).partners).toContainEqual(expect.objectContaining({ name: company.name, tier: "vanforetag" }));
  }, 180_000);
});
