import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, vi } from "vitest";
import { startJourney } from "../setup/browser";
import { linksInMail, mailsTo } from "../setup/dev-mailbox";
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
 * the dev mailbox. The link points at APP_URL; only its path and query are used, on `baseUrl`.
 */
export async function signedInContext(browser: Browser, baseUrl: string, email: string, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signInOn(page, baseUrl, email);
  await page.close();
  return context;
}

/** Signs the tab's context in as `email` the same way (a kept tab: see keptTabs); the tab is left on the page it lands on. */
export async function signInOn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("E-postadress").fill(email);
  await page.getByRole("button", { name: "Skicka inloggningslänk" }).click();
  await page.getByRole("heading", { name: "Kolla din e-post" }).waitFor();
  const href = await linkFromDevMailbox(baseUrl, email, /\/login\/verify\?token=/);
  await page.goto(`${baseUrl}${href}`);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/**
 * The path (and query) of the newest link matching `pattern` in a message to `to` in the dev mailbox, read
 * over HTTP. A message is listed there once the request that queued it has been answered, so this is
 * mostly found at once; it is awaited (vi.waitFor) rather than assumed.
 */
export async function linkFromDevMailbox(baseUrl: string, to: string, pattern: RegExp): Promise<string> {
  // vi.waitFor rather than expect.poll: signedInContext runs in beforeAll hooks too.
  return vi.waitFor(
    async () => {
      for (const id of (await mailsTo(baseUrl, to)).reverse()) {
        const link = (await linksInMail(baseUrl, id)).find((href) => pattern.test(href));
        if (link) return new URL(link).pathname + new URL(link).search;
      }
      throw new Error(`no link matching ${pattern} in a message to ${to}`);
    },
    { timeout: 30_000, interval: 100 },
  );
}
