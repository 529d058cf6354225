import type { Page } from "playwright-core";
import type { FormCase } from "./types";

/** The demo competition's invite for other teams, as staff read it on its page (path only, see collections.ts). */
const competitionInvitePage = async (page: Page, base: string) => {
  await page.goto(`${base}/competitions/demo-mest-insamlat`);
  const url = new URL((await page.getByTestId("competition-invite").textContent())!);
  await page.goto(`${base}${url.pathname}${url.search}`);
};

/** Competitions (issue 12): starting one. */
export const cases: FormCase[] = [
  { name: "new competition: empty name", persona: "admin", open: "/competitions/new", field: "Tävlingens namn", fill: "", submit: "Starta tävlingen", message: "Fältet måste fyllas i." },
  { name: "new competition (en): bad target", persona: "admin", open: "/competitions/new?lang=en", field: "Shared target in kronor (optional; needed for Together and a match pot)", fill: "abc", submit: "Start the competition", message: "Write the target in kronor, for example 50 000." },
  { name: "join a competition: empty team name", persona: "admin", open: competitionInvitePage, form: "join-competition", field: "Lagets namn", fill: "", submit: "Gå med", message: "Fältet måste fyllas i." },
];
