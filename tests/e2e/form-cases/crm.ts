import type { Page } from "playwright-core";
import { openFollowed, visit, type FormCase } from "./types";

/**
 * The demo company's CRM page with one of its folded forms ("Ny händelse", "Ny uppgift") opened. Its
 * forms post to the page's action address; with ?lang=en on the page they keep it (AppForm adds it), so an
 * English page's refusal is English.
 */
const crmPage = (summary: string, lang: "sv" | "en" = "sv") => async (page: Page, base: string) => {
  await openFollowed(page, base, `crm ${lang}`, async (page) => {
    await visit(page, `${base}/admin/organisations`);
    const href = await page.getByRole("link", { name: "Demoföretaget Exempel AB", exact: true }).getAttribute("href");
    await visit(page, `${base}/admin/crm/organisations/${href!.split("/").pop()}${lang === "en" ? "?lang=en" : ""}`);
  });
  await page.locator("summary", { hasText: summary }).click();
};

/** CRM (issue 11): tasks at /admin/tasks and on an organisation's CRM page, and its interactions. */
export const cases: FormCase[] = [
  { name: "task: bad due date", persona: "admin", open: "/admin/tasks", field: "Förfallodag", fill: "31/12", submit: "Spara uppgiften", message: "Skriv ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-12-31." },
  { name: "organisation task: empty title", persona: "admin", open: crmPage("Ny uppgift"), field: "Uppgift", fill: "", submit: "Spara uppgiften", message: "Fältet måste fyllas i." },
  { name: "interaction: empty text", persona: "admin", open: crmPage("Ny händelse"), field: "Vad hände?", fill: "", submit: "Spara händelsen", message: "Fältet måste fyllas i." },
  { name: "interaction: bad date", persona: "admin", open: crmPage("Ny händelse"), field: "Datum", fill: "igår", submit: "Spara händelsen", message: "Skriv ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-12-31." },
  { name: "interaction (en): empty text", persona: "admin", open: crmPage("New entry", "en"), field: "What happened?", fill: "", submit: "Save the entry", message: "This field is required." },
];
