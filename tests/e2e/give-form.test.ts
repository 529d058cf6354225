import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, keptTabs, launchBrowser, screenshotPath } from "../setup/browser";
import { postForm, signIn } from "../setup/dev-mailbox";
import { NO_DEMO_DATA, startServer, type RunningServer } from "../setup/server";

const STAFF = "insamling@example.org";

/** Amounts are written with no-break spaces; compare them as plain spaces. */
const plain = (s: string | null) => (s ?? "").replace(/\u00a0/g, " ");

async function fillDonor(page: Page, name: string, lang: "sv" | "en" = "sv") {
  await page.getByLabel(lang === "sv" ? "Namn" : "Name").fill(name);
  await page.getByLabel(lang === "sv" ? "E-post" : "Email").fill(`${name.toLowerCase().replace(/\W+/g, ".")}@example.com`);
}

/** The simulated Checkout page's summary line (what the donor is about to pay). */
async function checkoutSummary(page: Page): Promise<string> {
  await page.waitForURL(/\/dev\/checkout\/cs_sim_/);
  await page.locator("#sim-title").waitFor();
  return plain(await page.locator(".simulator strong").first().textContent());
}

const mainText = async (page: Page) => plain(await page.locator("main").textContent());
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** Switches the page to English as a reader does (the header's language button sets the cookie). */
async function english(page: Page) {
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.getByRole("heading", { level: 1, name: "Give a gift" }).waitFor();
}

describe.runIf(chromiumAvailable())("journey in Chromium: the give form and the payment simulator", () => {
  // As useJourney, with more time for the server to start on a busy machine (seeding demo data).
  const journey = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    [journey.server, journey.browser] = await Promise.all([startServer({ ADMIN_EMAILS: STAFF, ...NO_DEMO_DATA }, 180_000), launchBrowser()]);
  }, 200_000);
  afterAll(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  // One tab with JavaScript and one without, kept for the file (a new context per test cost more than the test's loads).
  const tab = keptTabs(() => journey.browser);

  it("charges a typed 300 kr without the 'Annat belopp' radio clicked, with JavaScript", async () => {
    const page = await tab({ viewport: { width: 390, height: 844 } });
    await page.goto(`${journey.server.url}/give`);
    await page.locator("form.give-form[data-hydrated]").waitFor();
    expect(await page.getByLabel("250 kr").isChecked()).toBe(true);
    await page.getByLabel("Annat belopp i kronor").fill("300");
    // The form shows the choice it will send: the typed amount, not the preset.
    expect(await page.getByLabel("Annat belopp", { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel("250 kr").isChecked()).toBe(false);
    await page.getByLabel("Kort").check();
    await fillDonor(page, "JS Givare");
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    expect(await checkoutSummary(page)).toBe("Engångsgåva på 300 kr till där behovet är störst.");
    await page.getByRole("button", { name: "Betala med kort" }).click();
    await page.waitForSelector('[data-testid="gift-status"][data-status="paid"]', { timeout: 15_000 });
    expect(plain(await page.getByTestId("gift-status").textContent())).toContain("300 kr");
  }, 90_000);

  it("charges a typed 300 kr without the 'Annat belopp' radio clicked, without JavaScript", async () => {
    const page = await tab({ javaScriptEnabled: false });
    await page.goto(`${journey.server.url}/give`);
    expect(await page.getByLabel("250 kr").isChecked()).toBe(true);
    await page.getByLabel("Annat belopp i kronor").fill("300");
    await page.getByLabel("Kort").check();
    await fillDonor(page, "Utan JS Givare");
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    expect(await checkoutSummary(page)).toBe("Engångsgåva på 300 kr till där behovet är störst.");
  }, 90_000);

  it("does not turn a monthly Swish gift into a card gift silently: refused on the form without JavaScript, not selectable with it", async () => {
    const page = await tab({ javaScriptEnabled: false });
    await page.goto(`${journey.server.url}/give`);
    await page.getByLabel("Varje månad").check();
    await page.getByLabel("Swish").check();
    await fillDonor(page, "Månad Swish");
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    await page.waitForSelector("#method-error");
    expect(new URL(page.url()).pathname).toBe("/give");
    expect(await page.locator("#method-error").textContent()).toBe("Swish kan inte användas för månadsgåvor. Välj Kort för en månadsgåva, eller En gång för att ge med Swish.");
    // The hint says it before anything is sent, too.
    expect(await page.locator("#method-hint").textContent()).toContain("Swish kan inte användas för återkommande betalningar");

    const js = await tab();
    await js.goto(`${journey.server.url}/give`);
    await js.locator("form.give-form[data-hydrated]").waitFor();
    expect(await js.getByLabel("Swish").isChecked()).toBe(true);
    await js.getByLabel("Varje månad").check();
    expect(await js.getByLabel("Kort").isChecked()).toBe(true);
    expect(await js.getByLabel("Swish").isDisabled()).toBe(true);
    await js.getByLabel("En gång").check();
    expect(await js.getByLabel("Swish").isDisabled()).toBe(false);
  }, 90_000);

  it("fits the simulator on a 390 px screen, says 'Ingen gåva har dragits.' once after a Swish timeout, and shows statuses in the reader's language", async () => {
    for (const lang of ["sv", "en"] as const) {
      const page = await tab({ viewport: { width: 390, height: 844 } });
      await page.goto(`${journey.server.url}/give`);
      if (lang === "en") await english(page);
      await page.getByLabel(lang === "sv" ? "Annat belopp i kronor" : "Other amount in kronor").fill("120");
      await page.getByLabel("Swish").check();
      await fillDonor(page, `Tid ${lang}`, lang);
      await page.getByRole("button", { name: lang === "sv" ? "Gå vidare till betalning" : "Continue to payment" }).click();
      await checkoutSummary(page);
      const simulator = page.url();
      await page.screenshot({ path: screenshotPath(`give-simulator-390-${lang}`), fullPage: true });
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
      const title = page.locator("#sim-title");
      expect(await title.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);

      await page.getByRole("button", { name: lang === "sv" ? /gå ut/ : /expire/ }).click();
      await page.waitForURL(/\/give\/cancelled\?ref=.*reason=swish_timeout/);
      await page.getByTestId("swish-timeout").waitFor();
      const text = await mainText(page);
      expect(occurrences(text, lang === "sv" ? "Ingen gåva har dragits." : "No gift has been taken."), text).toBe(1);

      await page.goto(simulator);
      const done = page.getByTestId("simulator-done");
      await done.waitFor();
      const status = plain(await done.textContent());
      expect(status).toBe(lang === "sv" ? "Den här betalningen är redan avslutad: utgången eller avbruten." : "This payment has already finished: expired or cancelled.");
    }
  }, 120_000);

  it("shows a paid payment's status in Swedish on the simulator, and the card-update page fits 390 px", async () => {
    const page = await tab({ viewport: { width: 390, height: 844 } });
    await page.goto(`${journey.server.url}/give`);
    await page.getByLabel("100 kr").check();
    await page.getByLabel("Kort").check();
    await fillDonor(page, "Status Givare");
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    await checkoutSummary(page);
    const simulator = page.url();
    await page.getByRole("button", { name: "Betala med kort" }).click();
    await page.waitForURL(/\/give\/thanks/);
    await page.goto(simulator);
    await page.getByTestId("simulator-done").waitFor();
    const status = plain(await page.getByTestId("simulator-done").textContent());
    expect(status).toBe("Den här betalningen är redan avslutad: betald.");
    expect(status).not.toMatch(/paid|expired|failed/);

    await page.goto(`${journey.server.url}/dev/checkout/card-update?return=${encodeURIComponent(`${journey.server.url}/give/monthly/1.${"a".repeat(32)}`)}`);
    await page.getByRole("link", { name: "Tillbaka" }).waitFor();
    expect(await page.getByRole("link", { name: "Tillbaka" }).getAttribute("href")).toBe(`/give/monthly/1.${"a".repeat(32)}`);
    await page.screenshot({ path: screenshotPath("give-card-update-390"), fullPage: true });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
  }, 90_000);

  it("records the donor's consent only when the box is ticked and the gift paid, without JavaScript; the staff donor CSV lists exactly them", async () => {
    const page = await tab({ javaScriptEnabled: false });
    const donors = [
      { name: "Ja Givare", tick: true },
      { name: "Nej Givare", tick: false },
    ];
    for (const donor of donors) {
      await page.goto(`${journey.server.url}/give`);
      const box = page.getByLabel("Ja, Västerås stadsmission får kontakta mig med tack, nyheter och förfrågningar om stöd.");
      expect(await box.isChecked()).toBe(false);
      expect(await box.getAttribute("aria-describedby")).toBe("consent-hint");
      if (donor.tick) await box.check();
      await page.getByLabel("100 kr").check();
      await page.getByLabel("Kort").check();
      await fillDonor(page, donor.name);
      await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
      await checkoutSummary(page);
      await page.getByRole("button", { name: "Betala med kort" }).click();
      await page.waitForSelector('[data-testid="gift-status"][data-status="paid"]', { timeout: 15_000 });
    }
    // A ticked box on a refused form stays ticked (the server's 400 keeps it).
    await page.goto(`${journey.server.url}/give`);
    await page.getByLabel("Ja, Västerås stadsmission får kontakta mig med tack, nyheter och förfrågningar om stöd.").check();
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    await page.waitForSelector("#name-error");
    expect(await page.getByLabel("Ja, Västerås stadsmission får kontakta mig med tack, nyheter och förfrågningar om stöd.").isChecked()).toBe(true);

    const staff = await signIn(journey.server.url, STAFF);
    // What the page's button sends (a document POST) is sent on to the file, which comes as a download.
    const posted = await postForm(journey.server.url, "/admin/exports", { kind: "donors" }, { Cookie: staff });
    expect(posted.status).toBe(302);
    expect(posted.headers.get("location")).toBe("/admin/exports/file?kind=donors");
    const res = await fetch(`${journey.server.url}/admin/exports/file?kind=donors`, { headers: { Cookie: staff } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="/);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const emails = (await res.text()).split("\r\n").slice(1).map((line) => line.split(";")[1]);
    expect(emails).toContain("ja.givare@example.com");
    expect(emails).not.toContain("nej.givare@example.com");
    // The period files go the same way: the page checks the period, the file route sends the SIE file.
    const sie = await postForm(journey.server.url, "/admin/exports", { kind: "sie", from: "2026-01-01", to: "2026-12-31" }, { Cookie: staff });
    expect(sie.headers.get("location")).toBe("/admin/exports/file?kind=sie&from=2026-01-01&to=2026-12-31");
    const file = await fetch(`${journey.server.url}${sie.headers.get("location")}`, { headers: { Cookie: staff } });
    expect(file.headers.get("content-type")).toBe("text/plain; charset=IBM437");
    expect(Buffer.from(await file.arrayBuffer()).toString("latin1")).toMatch(/^#FLAGGA 0\r\n/);
  }, 120_000);

  it("leaves a gift cancelled at the simulator expired, not waiting", async () => {
    const page = await tab({ javaScriptEnabled: false });
    await page.goto(`${journey.server.url}/give`);
    await page.getByLabel("500 kr").check();
    await page.getByLabel("Kort").check();
    await fillDonor(page, "Avbryt Givare");
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    await checkoutSummary(page);
    const simulator = page.url();
    await page.getByRole("link", { name: "Avbryt och gå tillbaka" }).click();
    await page.waitForURL(/\/give\/cancelled\?ref=/);
    expect(occurrences(await mainText(page), "Ingen gåva har dragits.")).toBe(1);
    await page.goto(simulator);
    expect(await page.getByTestId("simulator-done").getAttribute("data-status")).toBe("expired");
  }, 90_000);
});
