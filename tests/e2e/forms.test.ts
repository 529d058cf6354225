import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable } from "../setup/browser";
import { signedInContext, useUiJourney } from "./ui-helpers";

/**
 * Every form of the app (issue 10, item 2), submitted in Chromium with JavaScript off and on, each
 * with a bad value: the app's message (never the browser's) ends up next to the field, and the
 * field's `aria-describedby` names an element holding it, with `aria-invalid` set. Without
 * JavaScript the message comes from the server (a POST answered 4xx); with it, from the same schema
 * in the browser or from the server, whichever refuses first: the text is the same.
 */
type Persona = "anonymous" | "admin";

interface FormCase {
  name: string;
  persona: Persona;
  /** The page (with ?lang=en for an English case). */
  open: string | ((page: Page, base: string) => Promise<void>);
  /** The field: its label, or a radio group's legend (`group: true`). */
  field: string;
  group?: boolean;
  /** What to do to it (fill is the default), and anything else the form needs first. */
  fill?: string;
  act?: (page: Page) => Promise<void>;
  submit: string;
  message: string;
}

const orgPage = async (page: Page, base: string) => {
  await page.goto(`${base}/admin/organisations`);
  await page.getByRole("link", { name: "Demoföretaget Exempel AB" }).click();
  await page.getByRole("heading", { level: 1, name: "Demoföretaget Exempel AB" }).waitFor();
};

const orgEditPage = async (page: Page, base: string) => {
  await orgPage(page, base);
  await page.getByRole("link", { name: "Ändra uppgifter" }).click();
  await page.getByRole("heading", { level: 1, name: "Ändra uppgifter: Demoföretaget Exempel AB" }).waitFor();
};

/** Staff's payroll giving page of the demo company (issue 13 item 1), from the list at /admin/workplace. */
const workplacePage = (lang: "sv" | "en") => async (page: Page, base: string) => {
  await page.goto(`${base}/admin/workplace`);
  const href = await page.getByRole("link", { name: "Demoföretaget Exempel AB", exact: true }).getAttribute("href");
  // ?lang= picks the page's language for that request only: it goes on the programme page's own address.
  await page.goto(`${base}${href}${lang === "en" ? "?lang=en" : ""}`);
  await page.getByRole("heading", { level: 1, name: "Demoföretaget Exempel AB" }).waitFor();
};

const cases: FormCase[] = [
  { name: "login: bad address", persona: "anonymous", open: "/login", field: "E-postadress", fill: "inte-en-adress", submit: "Skicka inloggningslänk", message: "Skriv en giltig e-postadress, till exempel namn@exempel.se." },
  { name: "login (en): empty address", persona: "anonymous", open: "/login?lang=en", field: "Email address", fill: "", submit: "Send sign-in link", message: "Enter your email address." },
  { name: "settings: bad email", persona: "admin", open: "/admin/settings", field: "E-post", fill: "inte-en-adress", submit: "Spara", message: "Skriv en giltig e-postadress." },
  { name: "settings: bad website", persona: "admin", open: "/admin/settings", field: "Webbplats", fill: "inte en adress", submit: "Spara", message: "Skriv en hel webbadress som börjar med https://." },
  { name: "goal: bad yearly target", persona: "admin", open: "/admin/goals/alla-ar-trygga", field: "Årsmål i kronor (tomt om inget mål är beslutat)", fill: "-5", submit: "Spara", message: "Skriv ett belopp i kronor, större än 0 och högst 1 000 000 000." },
  { name: "goal (en): bad yearly target", persona: "admin", open: "/admin/goals/alla-ar-trygga?lang=en", field: "Yearly target in kronor (empty if no target is decided)", fill: "abc", submit: "Save", message: "Type an amount in kronor, above 0 and at most 1,000,000,000." },
  { name: "new organisation: empty name", persona: "admin", open: "/admin/organisations", field: "Namn", fill: "", submit: "Lägg till organisation", message: "Fältet måste fyllas i." },
  {
    name: "new organisation: wrong check digit",
    persona: "admin",
    open: "/admin/organisations",
    field: "Organisationsnummer (valfritt)",
    fill: "556036-0794",
    submit: "Lägg till organisation",
    message: "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna.",
  },
  {
    name: "edit organisation: personnummer-shaped number with a wrong check digit",
    persona: "admin",
    open: orgEditPage,
    field: "Organisationsnummer (valfritt)",
    fill: "121212-1213",
    submit: "Spara",
    message: "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna.",
  },
  { name: "edit organisation: bad postal code", persona: "admin", open: orgEditPage, field: "Postnummer", fill: "12", submit: "Spara", message: "Skriv postnumret som fem siffror, till exempel 722 12." },
  { name: "organisation contact: bad address", persona: "admin", open: orgPage, field: "E-postadress", fill: "inte-en-adress", submit: "Lägg till och skicka inbjudan", message: "Skriv en giltig e-postadress, till exempel namn@exempel.se." },
  { name: "staff member: bad address", persona: "admin", open: "/admin/people", field: "E-postadress", fill: "inte-en-adress", submit: "Lägg till", message: "Skriv en giltig e-postadress, till exempel namn@exempel.se." },
  { name: "allocation: bad percentage", persona: "admin", open: "/admin/allocation", field: "Andel i procent för #1 Ingen hemlöshet", fill: "abc", submit: "Spara ny fördelning", message: "Skriv en procentsats mellan 0 och 100, med högst två decimaler." },
  { name: "workplace programme: match over 100 %", persona: "admin", open: workplacePage("sv"), field: "Matchning i procent (1–100)", fill: "101", submit: "Spara programmet", message: "Skriv en hel procentsats från 1 till 100." },
  { name: "workplace programme: headcount 0", persona: "admin", open: workplacePage("sv"), field: "Antal anställda", fill: "0", submit: "Spara programmet", message: "Skriv antalet anställda som ett helt tal, 1 eller fler." },
  { name: "workplace programme (en): negative cap", persona: "admin", open: workplacePage("en"), field: "Cap per employee and month in kronor (empty = no cap)", fill: "-5", submit: "Save the programme", message: "Type the cap as an amount in kronor, 0 or more." },
  { name: "settings (en): empty name", persona: "admin", open: "/admin/settings?lang=en", field: "Name", fill: "", submit: "Save", message: "This field is required." },
];

/** The texts of the elements the control's aria-describedby names. */
async function describedTexts(page: Page, control: Locator): Promise<string[]> {
  const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.map((t) => (t ?? "").replace(/[\u00a0\u202f]/g, " ").trim());
}

describe.runIf(chromiumAvailable())("every form, JavaScript off and on: a bad value gets the app's message next to the field", () => {
  const journey = useUiJourney();
  const contexts = new Map<string, BrowserContext>();

  async function contextFor(browser: Browser, persona: Persona, javaScriptEnabled: boolean): Promise<BrowserContext> {
    const key = `${persona}:${javaScriptEnabled}`;
    let context = contexts.get(key);
    if (!context) {
      const viewport = { width: 1280, height: 900 };
      if (persona === "anonymous") context = await browser.newContext({ javaScriptEnabled, viewport });
      else {
        // Signed in once (with JavaScript); the JavaScript-off context gets the same session cookie.
        const signed = contexts.get(`${persona}:signed`) ?? (await signedInContext(browser, journey.server.url, "admin@example.com", { viewport }));
        contexts.set(`${persona}:signed`, signed);
        context = await browser.newContext({ javaScriptEnabled, viewport, storageState: await signed.storageState() });
      }
      contexts.set(key, context);
    }
    return context;
  }

  afterAll(async () => {
    for (const c of contexts.values()) await c.close();
  });

  describe.each([false, true])("JavaScript %s", (javaScript) => {
    beforeAll(async () => {
      for (const persona of new Set(cases.map((c) => c.persona))) await contextFor(journey.browser, persona, javaScript);
    }, 120_000);

    it.each(cases)("$name", async (c) => {
      const page = await (await contextFor(journey.browser, c.persona, javaScript)).newPage();
      page.setDefaultTimeout(20_000);
      try {
        if (typeof c.open === "string") await page.goto(`${journey.server.url}${c.open}`);
        else await c.open(page, journey.server.url);
        // With JavaScript, wait until the form is hydrated (AppForm marks it), so the click is handled by it.
        if (javaScript) await page.locator("form[data-hydrated]").first().waitFor();
        const control = c.group ? page.getByRole("group", { name: c.field, exact: true }) : page.getByLabel(c.field, { exact: true });
        if (c.fill !== undefined) await control.fill(c.fill);
        await c.act?.(page);
        const posted = javaScript ? null : page.waitForResponse((r) => r.request().method() === "POST");
        await page.getByRole("button", { name: c.submit, exact: true }).click();
        // Without JavaScript nothing but the server can refuse: the POST must come back 4xx.
        if (posted) expect((await posted).status()).toBeGreaterThanOrEqual(400);
        await expect.poll(() => control.getAttribute("aria-invalid")).toBe("true");
        expect(await describedTexts(page, control)).toContain(c.message);
        // Next to the field: the message is inside the field's own wrapper.
        const wrapper = (await control.evaluate((el) => (el.tagName === "FIELDSET" ? el : el.parentElement)?.textContent ?? "")).replace(/[\u00a0\u202f]/g, " ");
        expect(wrapper).toContain(c.message);
        expect(await control.evaluate((el) => (el as HTMLInputElement).form?.noValidate ?? (el as HTMLFieldSetElement).form?.noValidate ?? true)).toBe(true);
      } finally {
        await page.close();
      }
    }, 90_000);
  });
});
