import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, screenshotPath } from "../setup/browser";
import { linkFromDevMailbox, signInByCookie, useUiJourney } from "./ui-helpers";

interface FormCase {
  name: string;
  /** The page, or a function that opens it (for pages found by following links). */
  open: string | ((page: Page, base: string) => Promise<void>);
  field: string;
  value: string;
  submit: string;
  message: string;
}

async function openDemoOrganisation(page: Page, base: string) {
  await page.goto(`${base}/admin/organisations`);
  await page.getByRole("link", { name: "Demoföretaget Exempel AB" }).click();
  await page.getByRole("heading", { level: 1, name: "Demoföretaget Exempel AB" }).waitFor();
}

/** Staff forms not yet on app/components/form (the others are in tests/e2e/forms.test.ts, JavaScript off and on): a value the browser would stop, refused by the server. */
const cases: FormCase[] = [
  { name: "correction, bad amount", open: "/admin/corrections", field: "Belopp i kronor", value: "tio", submit: "Bokför rättelsen", message: "Skriv ett belopp större än 0, till exempel 150 eller 150,50 (högst 1 000 000 kr)." },
  { name: "move of undesignated money, no reason", open: "/admin/corrections", field: "Orsak till flytten", value: "", submit: "Flytta pengarna", message: "Skriv en orsak (minst 3 tecken)." },
];

describe.runIf(chromiumAvailable())("staff forms in Chromium: the app's own messages next to the fields, never the browser's", () => {
  const journey = useUiJourney();
  // One tab, signed in once and used by every test: a new tab is a new renderer, whose first load compiles the app's scripts again.
  let page: Page;
  beforeAll(async () => {
    page = await (await journey.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInByCookie(page, journey.server.url, "admin@example.com");
    page.setDefaultTimeout(15_000);
  }, 120_000);
  afterAll(() => page?.context().close());

  it.each(cases)("$name: the app's message, tied to the field with aria-invalid and aria-describedby", async ({ name, open, field, value, submit, message }) => {
    if (typeof open === "string") await page.goto(`${journey.server.url}${open}`);
    else await open(page, journey.server.url);
    const input = page.getByLabel(field, { exact: true });
    await input.fill(value);
    const answer = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: submit, exact: true }).click();
    // The browser's validation would have stopped the POST: it must reach the server and be refused there.
    expect((await answer).status()).toBeGreaterThanOrEqual(400);
    await expect.poll(() => input.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
    const texts = await Promise.all(describedBy.split(" ").filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(texts.map((t) => (t ?? "").replace(/\u00a0/g, " "))).toContain(message);
    // Next to the field: the message is in the same field wrapper as the input.
    expect(await input.evaluate((el, msg) => (el.parentElement?.textContent ?? "").replace(/\u00a0/g, " ").includes(msg), message)).toBe(true);
    expect(await input.evaluate((el) => (el as HTMLInputElement).form?.noValidate)).toBe(true);
    await page.screenshot({ path: screenshotPath(`ui-admin-form-${name.replace(/[^a-z]+/gi, "-").toLowerCase()}`) });
  }, 60_000);

  it("adding a contact empties the field, says the invitation was sent, and the contact receives it (JavaScript on)", async () => {
    await openDemoOrganisation(page, journey.server.url);
    const email = `kontakt.${Date.now()}@example.com`;
    await page.getByLabel("E-postadress", { exact: true }).fill(email);
    await page.getByRole("button", { name: "Lägg till och skicka inbjudan" }).click();
    await page.getByRole("status").filter({ hasText: `${email} är tillagd som kontaktperson och har fått en inbjudan` }).waitFor();
    expect(await page.getByLabel("E-postadress", { exact: true }).inputValue()).toBe("");
    // Once in the contacts list (the CRM timeline beside it names the new contact too).
    expect(await page.getByRole("region", { name: "Kontaktpersoner" }).getByRole("listitem").filter({ hasText: email }).count()).toBe(1);
    const link = await linkFromDevMailbox(journey.server.url, email, /\/login\/verify\?token=/);
    expect(link).toMatch(/^\/login\/verify\?token=/);
  }, 60_000);
});
