import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startJourney } from "../setup/browser";
import type { RunningServer } from "../setup/server";

/**
 * useJourney's fixtures (the production server and Chromium), with a longer wait for the server:
 * on a busy shared machine PGlite's first start with migrations and demo data can take close to a
 * minute, which is useJourney's limit.
 */
export function useUiJourney(env: Record<string, string> = {}) {
  const journey = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    Object.assign(journey, await startJourney(env, 110_000));
  }, 120_000);
  afterAll(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  return journey;
}

/**
 * Signs a browser context in as `email` the way a person does: the sign-in form, then the link from
 * the dev mailbox (the outbox worker sends within a moment, so the message page is reloaded until
 * the link is there). The link points at APP_URL; only its path and query are used, on `baseUrl`.
 */
export async function signedInContext(browser: Browser, baseUrl: string, email: string, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("E-postadress").fill(email);
  await page.getByRole("button", { name: "Skicka inloggningslänk" }).click();
  await page.getByRole("heading", { name: "Kolla din e-post" }).waitFor();
  const href = await linkFromDevMailbox(page, baseUrl, email, /\/login\/verify\?token=/);
  await page.goto(`${baseUrl}${href}`);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.close();
  return context;
}

/** The path (and query) of the newest link matching `pattern` in a message to `to` in the dev mailbox. */
export async function linkFromDevMailbox(page: Page, baseUrl: string, to: string, pattern: RegExp): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    await page.goto(`${baseUrl}/dev/mail`);
    const rows = page.getByRole("row").filter({ hasText: to });
    if ((await rows.count()) > 0) {
      await rows.first().getByRole("link").first().click();
      await page.waitForURL(/\/dev\/mail\/\d+$/);
      const links = page.getByTestId("mail-links").getByRole("link");
      await page.getByTestId("mail-links").waitFor();
      for (const href of await links.evaluateAll((els) => els.map((a) => (a as HTMLAnchorElement).href))) {
        if (pattern.test(href)) {
          const url = new URL(href);
          return url.pathname + url.search;
        }
      }
    }
    await page.waitForTimeout(150);
  }
  throw new Error(`no link matching ${pattern} in a message to ${to}`);
}
