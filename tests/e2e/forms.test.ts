import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchBrowser } from "../setup/browser";
import { startServer, type RunningServer } from "../setup/server";
import { allCases as cases, personaEmails, type Persona } from "./form-cases";
import { signedInContext } from "./ui-helpers";

/**
 * Every form of the app (issue 10, item 2), submitted in Chromium with JavaScript off and on, each
 * with a bad value: the app's message (never the browser's) ends up next to the field, and the
 * field's `aria-describedby` names an element holding it, with `aria-invalid` set. Without
 * JavaScript the message comes from the server (a POST answered 4xx); with it, from the same schema
 * in the browser or from the server, whichever refuses first: the text is the same.
 * The rows live per area in ./form-cases/<area>.ts.
 */

/** The texts of the elements the control's aria-describedby names. */
async function describedTexts(page: Page, control: Locator): Promise<string[]> {
  const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.map((t) => (t ?? "").replace(/[\u00a0\u202f]/g, " ").trim());
}

describe.runIf(chromiumAvailable())("every form, JavaScript off and on: a bad value gets the app's message next to the field", () => {
  const journey = {} as { server: RunningServer; browser: Browser };
  // useUiJourney's fixtures with a longer wait: on the shared 2-core machine, loaded by seven people's
  // work, the server's start (PGlite, demo data) has taken over 110 s.
  beforeAll(async () => {
    [journey.server, journey.browser] = await Promise.all([startServer({}, 240_000), launchBrowser()]);
  }, 250_000);
  afterAll(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  const contexts = new Map<string, BrowserContext>();

  async function contextFor(browser: Browser, persona: Persona, javaScriptEnabled: boolean): Promise<BrowserContext> {
    const key = `${persona}:${javaScriptEnabled}`;
    let context = contexts.get(key);
    if (!context) {
      const viewport = { width: 1280, height: 900 };
      if (persona === "anonymous") context = await browser.newContext({ javaScriptEnabled, viewport });
      else {
        // Signed in once (with JavaScript); the JavaScript-off context gets the same session cookie.
        const signed = contexts.get(`${persona}:signed`) ?? (await signedInContext(browser, journey.server.url, personaEmails[persona], { viewport }));
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
