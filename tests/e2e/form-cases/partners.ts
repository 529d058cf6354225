import type { Page } from "playwright-core";
import { bgMaxFromPayments, encodeBgMax } from "~/services/invoices/bgmax-writer";
import { postForm } from "../../setup/dev-mailbox";
import { testSeller } from "../../invoices/helpers";
import { openFollowed, staffSession, visit, type FormCase } from "./types";

/**
 * Partnerships (issue 11): staff's partnership, tier, settings and terms forms, invoices, and the
 * public sign-up at /partners/join.
 */

/** /partners/join shows its form only once partner terms are published: publish them if they are not (as staff). */
const joinPage = (lang: "sv" | "en") => async (page: Page, base: string) => {
  await visit(page, `${base}/partners/join${lang === "en" ? "?lang=en" : ""}`);
  if ((await page.locator("form#partner-signup").count()) > 0) return;
  await visit(page, `${base}/admin/partner-terms`);
  await page.getByLabel("Villkor på svenska", { exact: true }).fill("Demo: villkor för formulärtestet.");
  await page.getByLabel("Villkor på engelska", { exact: true }).fill("Demo: terms for the forms test.");
  await page.getByRole("button", { name: "Publicera", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/admin/partner-terms" && url.search.includes("done"));
  await visit(page, `${base}/partners/join${lang === "en" ? "?lang=en" : ""}`);
};

/** A partnership of the demo data, opened from the list at /admin/partnerships by its company's name. */
const partnershipPage = (company: string) => (page: Page, base: string) =>
  openFollowed(page, base, `partnership ${company}`, async (page) => {
    await visit(page, `${base}/admin/partnerships`);
    await page.getByRole("link", { name: company, exact: true }).click();
    await page.getByRole("heading", { level: 1 }).waitFor();
  });

/**
 * The demo data has no open invoice and no unmatched bank payment, so staff make one of each, once per
 * server, as their pages post them: the settings a bank invoice needs (as tests/e2e/partner-signup does),
 * a draft issued to the demo company, and a BgMax file paying an OCR number no invoice has.
 */
const invoiceFixtures = new Map<string, Promise<{ invoicePath: string }>>();
function invoiceFixture(base: string) {
  if (!invoiceFixtures.has(base)) invoiceFixtures.set(base, makeInvoiceFixture(base));
  return invoiceFixtures.get(base)!;
}
async function makeInvoiceFixture(base: string): Promise<{ invoicePath: string }> {
  const staff = await staffSession(base);
  const post = async (path: string, fields: Record<string, string>) => {
    const res = await postForm(base, path, fields, { Cookie: staff });
    if (res.status >= 400) throw new Error(`POST ${path} answered ${res.status}`);
    return res;
  };
  await post("/admin/settings", { name: testSeller.name, organisationNumber: testSeller.organisationNumber, address: testSeller.address, email: "faktura@example.se", phone: "", website: "" });
  await post("/admin/settings", { intent: "bankgiro", bankgiro: testSeller.bankgiro });
  const form = await (await fetch(`${base}/admin/invoices/new`, { headers: { Cookie: staff } })).text();
  const organisationId = /<option value="(\d+)">Demoföretaget Exempel AB<\/option>/.exec(form)?.[1];
  if (!organisationId) throw new Error("the demo company is not among /admin/invoices/new's organisations");
  const today = new Date().toISOString().slice(0, 10);
  const draft = await post(
    "/admin/invoices/new",
    { organisationId, issueDate: today, dueDate: today, buyerName: "Demoföretaget Exempel AB", buyerAddress: "Demovägen 1, 722 00 Västerås", buyerEmail: "faktura@exempel-ab.example.com", locale: "sv", delivery: "bank", "lines[0].text": "Formulärtestets faktura", "lines[0].amount": "1000", total: "1000" },
  );
  const invoicePath = draft.headers.get("location");
  if (draft.status !== 302 || !invoicePath) throw new Error(`the invoice draft answered ${draft.status}`);
  await post(invoicePath, { intent: "issue" });
  const file = encodeBgMax(bgMaxFromPayments(testSeller.bankgiro.replace("-", ""), [{ ocr: "1234567897", amountOre: 50_000n, date: today }]));
  const upload = new FormData();
  upload.set("file", new Blob([Buffer.from(file)], { type: "text/plain" }), "bgmax.txt");
  const imported = await fetch(`${base}/admin/invoices/import`, { method: "POST", body: upload, headers: { Cookie: staff, Origin: base }, redirect: "manual" });
  if (imported.status >= 400) throw new Error(`the BgMax import answered ${imported.status}`);
  return { invoicePath };
}

/** The demo data has no tier benefit: staff add one to the partner tier, once per server, for the edit form. */
const tierBenefits = new Map<string, Promise<void>>();
function tierBenefit(base: string): Promise<void> {
  if (!tierBenefits.has(base)) {
    tierBenefits.set(
      base,
      (async () => {
        const res = await postForm(base, "/admin/tiers", { intent: "add", tier: "partner", textSv: "Demo: förmån för formulärtestet", textEn: "Demo: benefit for the forms test" }, { Cookie: await staffSession(base) });
        if (res.status !== 302) throw new Error(`adding a tier benefit answered ${res.status}`);
      })(),
    );
  }
  return tierBenefits.get(base)!;
}

export const cases: FormCase[] = [
  { name: "partner sign-up: wrong check digit", persona: "admin", open: joinPage("sv"), field: "Organisationsnummer", fill: "556036-0794", submit: "Skicka anmälan", message: "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna." },
  { name: "partner sign-up (en): bad postal code", persona: "admin", open: joinPage("en"), field: "Postal code", fill: "12", submit: "Send sign-up", message: "Enter the postal code as five digits, for example 722 12." },
  { name: "new partnership: bad agreed amount", persona: "admin", open: "/admin/partnerships/new", field: "Överenskommet årsbelopp (kr)", fill: "abc", submit: "Spara partnerskapet", message: "Skriv beloppet i kronor, till exempel 25000 eller 25 000." },
  { name: "edit partnership: impossible end date", persona: "admin", open: "/admin/partnerships/1", field: "Slutdatum", fill: "2027-13-45", submit: "Spara ändringarna", message: "Skriv ett datum som ÅÅÅÅ-MM-DD, till exempel 2027-12-31." },
  { name: "partnership settings: 61 months", persona: "admin", open: "/admin/partnerships/settings", field: "Ett godkännande gäller i antal månader", fill: "61", submit: "Spara inställningarna", message: "Skriv ett antal månader mellan 1 och 60." },
  { name: "partnership settings (en): 0 days", persona: "admin", open: "/admin/partnerships/settings?lang=en", field: "Renewal reminder, days before the period ends", fill: "0", submit: "Save the settings", message: "Enter a number of days between 1 and 365." },
  { name: "tier: bad minimum", persona: "admin", open: "/admin/tiers", form: "min-partner", field: "Minsta årsbelopp (kr)", fill: "abc", submit: "Spara beloppet", message: "Skriv beloppet i kronor, till exempel 25000 eller 25 000." },
  { name: "partner terms: empty Swedish text", persona: "admin", open: "/admin/partner-terms", field: "Villkor på svenska", fill: "", submit: "Publicera", message: "Fältet måste fyllas i." },
  { name: "new invoice: bad buyer email", persona: "admin", open: "/admin/invoices/new", field: "E-post för fakturor", fill: "inte-en-adress", submit: "Spara utkast", message: "Skriv en giltig e-postadress, till exempel faktura@foretag.se." },
  { name: "BgMax import: no file", persona: "admin", open: "/admin/invoices/import", field: "BgMax-fil", submit: "Läs in", message: "Välj en BgMax-fil att ladda upp." },
  { name: "tier: new benefit without its Swedish text", persona: "admin", open: "/admin/tiers", form: "add-partner", field: "Förmån på svenska", fill: "", submit: "Lägg till förmånen", message: "Fältet måste fyllas i." },
  {
    name: "tier: edited benefit without its Swedish text",
    persona: "admin",
    open: async (page, base) => (await tierBenefit(base), void (await visit(page, `${base}/admin/tiers`))),
    form: "benefit-*",
    field: "Förmån på svenska",
    fill: "",
    submit: "Spara",
    message: "Fältet måste fyllas i.",
  },
  { name: "partnership sign-off: note too long", persona: "admin", open: partnershipPage("Demo: Exempelbolaget Bygg AB"), form: "sign-off", field: "Motivering (krävs för exkluderad bransch)", fill: "x".repeat(2001), submit: "Godkänn", message: "Texten är för lång." },
  {
    name: "invoice mark-paid: not a date",
    persona: "admin",
    open: async (page, base) => void (await visit(page, `${base}${(await invoiceFixture(base)).invoicePath}`)),
    form: "mark-paid",
    field: "Betalningsdag",
    fill: "31/12",
    submit: "Registrera betalning",
    message: "Skriv ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-12-31.",
  },
  {
    name: "unmatched bank payment: handled without a note",
    persona: "admin",
    open: async (page, base) => (await invoiceFixture(base), void (await visit(page, `${base}/admin/invoices/unmatched`))),
    form: "resolve-*",
    field: "Anteckning",
    fill: "",
    act: (page) => page.locator('form[id^="resolve-"]').first().getByLabel("Hanterad utanför appen").check(),
    submit: "Spara",
    message: "Skriv en anteckning om hur betalningen hanterades.",
  },
];
