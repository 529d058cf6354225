import type { Page } from "playwright-core";
import { postForm } from "../../setup/dev-mailbox";
import { openFollowed, staffSession, visit, type FormCase } from "./types";

/** The demo competition's invite for other teams, as staff read it on its page (path only, see collections.ts). */
const competitionInvitePage = (page: Page, base: string) =>
  openFollowed(page, base, "competition invite", async (page) => {
    await visit(page, `${base}/competitions/demo-mest-insamlat`);
    const url = new URL((await page.getByTestId("competition-invite").textContent())!);
    await visit(page, `${base}${url.pathname}${url.search}`);
  });

/**
 * The scoring mode can be changed only before the start, and every demo competition has started: staff
 * start one, once per server, two teams without a stated headcount (so "per employee" is refused).
 */
const upcomingCompetitions = new Map<string, Promise<string>>();
function upcomingCompetition(base: string): Promise<string> {
  if (!upcomingCompetitions.has(base)) {
    upcomingCompetitions.set(
      base,
      (async () => {
        const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
        const fields = { title: "Formulärtestets tävling", goals: "alla-ar-trygga", startsOn: day(3), endsOn: day(30), mode: "total", "teams[0].name": "Lag A", "teams[1].name": "Lag B" };
        const res = await postForm(base, "/competitions/new", fields, { Cookie: await staffSession(base) });
        const path = res.headers.get("location");
        if (res.status !== 302 || !path) throw new Error(`POST /competitions/new answered ${res.status}`);
        return path;
      })(),
    );
  }
  return upcomingCompetitions.get(base)!;
}

/** Competitions (issue 12): starting one, joining one, its scoring mode. */
export const cases: FormCase[] = [
  { name: "new competition: empty name", persona: "admin", open: "/competitions/new", field: "Tävlingens namn", fill: "", submit: "Starta tävlingen", message: "Fältet måste fyllas i." },
  { name: "new competition (en): bad target", persona: "admin", open: "/competitions/new?lang=en", field: "Shared target in kronor (optional; needed for Together and a match pot)", fill: "abc", submit: "Start the competition", message: "Write the target in kronor, for example 50 000." },
  {
    name: "competition scoring mode: per employee without headcounts",
    persona: "admin",
    open: async (page, base) => void (await visit(page, `${base}${await upcomingCompetition(base)}`)),
    form: "competition-mode",
    field: "Ändra sättet att räkna (fram till start)",
    group: true,
    act: (page) => page.getByLabel("Insamlat per anställd (angivet antal)", { exact: true }).check(),
    submit: "Spara",
    message: "Alla lag måste ha angett antal anställda för att räkna per anställd.",
  },
  { name: "join a competition: empty team name", persona: "admin", open: competitionInvitePage, form: "join-competition", field: "Lagets namn", fill: "", submit: "Gå med", message: "Fältet måste fyllas i." },
];
