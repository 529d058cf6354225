import type { Page } from "playwright-core";
import type { FormCase } from "./types";

/**
 * Partnerships (issue 11): staff's partnership, tier, settings and terms forms, invoices, and the
 * public sign-up at /partners/join.
 */

/** /partners/join shows its form only once partner terms are published: publish them if they are not (as staff). */
const joinPage = (lang: "sv" | "en") => async (page: Page, base: string) => {
  await page.goto(`${base}/partners/join${lang === "en" ? "?lang=en" : ""}`);
  if ((await page.locator("form#partner-signup").count()) > 0) return;
  await page.goto(`${base}/admin/partner-terms`);
  await page.getByLabel("Villkor på svenska", { exact: true }).fill("Demo: villkor för formulärtestet.");
  await page.getByLabel("Villkor på engelska", { exact: true }).fill("Demo: terms for the forms test.");
  await page.getByRole("button", { name: "Publicera", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/admin/partner-terms" && url.search.includes("done"));
  await page.goto(`${base}/partners/join${lang === "en" ? "?lang=en" : ""}`);
};

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
];
