import type { Page } from "playwright-core";
import { openFollowed, visit, type FormCase } from "./types";

/**
 * A demo team's invite link (/c/<team>/join?code=…), as staff read it in the organiser's box on the
 * competition's page (staff may organise every competition). The link is printed with the app's own
 * address, so only its path is followed on the test's server.
 */
const teamInvitePage = (page: Page, base: string) =>
  openFollowed(page, base, "team invite", async (page) => {
    await visit(page, `${base}/competitions/demo-mest-insamlat`);
    const link = await page.locator('section[aria-labelledby="organiser-heading"] li code').first().textContent();
    const url = new URL(link!);
    await visit(page, `${base}${url.pathname}${url.search}`);
  });

/** Collections (issue 12): start one, its owner's forms, a visitor's report, staff's moderation. */
export const cases: FormCase[] = [
  { name: "new collection: target under 100 kr", persona: "admin", open: "/collections/new", field: "Insamlingsmål i kronor (valfritt)", fill: "50", submit: "Starta insamlingen", message: "Insamlingsmålet måste vara minst 100 kr." },
  { name: "new collection (en): last day passed", persona: "admin", open: "/collections/new?lang=en", field: "Last day (optional)", fill: "2020-01-01", submit: "Start the collection", message: "The last day cannot be in the past." },
  { name: "collection owner: target under 100 kr", persona: "collector", open: "/account/collections/demo-varruset", form: "edit", field: "Mål i kronor (frivilligt)", fill: "50", submit: "Spara", message: "Målet måste vara minst 100 kr." },
  { name: "collection owner (en): bad end date", persona: "collector", open: "/account/collections/demo-varruset?lang=en", form: "edit", field: "End date (optional)", fill: "31/12/2027", submit: "Save", message: "Enter a date as YYYY-MM-DD." },
  { name: "report a collection: empty reason", persona: "anonymous", open: "/c/demo-varruset/report", field: "Vad är fel?", fill: "", submit: "Skicka anmälan", message: "Fältet måste fyllas i." },
  { name: "hide a collection: empty reason", persona: "admin", open: "/admin/collections/1", form: "hide", field: "Anledning", fill: "", submit: "Dölj insamlingen", message: "Fältet måste fyllas i." },
  { name: "collection owner: thank-you too long", persona: "collector", open: "/account/collections/demo-varruset", form: "thanks", field: "Ditt tack", fill: "x".repeat(1001), submit: "Spara", message: "Texten är för lång." },
  { name: "hide a greeting: empty reason", persona: "admin", open: "/admin/collections/1", form: "hide-greeting-*", field: "Anledning", fill: "", submit: "Dölj hälsningen", message: "Fältet måste fyllas i." },
  { name: "join a team: empty title", persona: "admin", open: teamInvitePage, form: "team-join", field: "Rubrik för din sida", fill: "", submit: "Starta min sida", message: "Fältet måste fyllas i." },
];
