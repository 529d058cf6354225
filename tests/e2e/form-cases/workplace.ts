import type { Page } from "playwright-core";
import type { FormCase } from "./types";

/** Staff's payroll giving page of the demo company (issue 13 item 1), from the list at /admin/workplace. */
const workplacePage = (lang: "sv" | "en") => async (page: Page, base: string) => {
  await page.goto(`${base}/admin/workplace`);
  const href = await page.getByRole("link", { name: "Demoföretaget Exempel AB", exact: true }).getAttribute("href");
  // ?lang= picks the page's language for that request only: it goes on the programme page's own address.
  await page.goto(`${base}${href}${lang === "en" ? "?lang=en" : ""}`);
  await page.getByRole("heading", { level: 1, name: "Demoföretaget Exempel AB" }).waitFor();
};

/** Workplace giving (issue 13). Owned by wjourney: join, change, programme, confirm. */
export const cases: FormCase[] = [
  { name: "workplace programme: match over 100 %", persona: "admin", open: workplacePage("sv"), field: "Matchning i procent (1–100)", fill: "101", submit: "Spara programmet", message: "Skriv en hel procentsats från 1 till 100." },
  { name: "workplace programme: headcount 0", persona: "admin", open: workplacePage("sv"), field: "Antal anställda", fill: "0", submit: "Spara programmet", message: "Skriv antalet anställda som ett helt tal, 1 eller fler." },
  { name: "workplace programme (en): negative cap", persona: "admin", open: workplacePage("en"), field: "Cap per employee and month in kronor (empty = no cap)", fill: "-5", submit: "Save the programme", message: "Type the cap as an amount in kronor, 0 or more." },
];
