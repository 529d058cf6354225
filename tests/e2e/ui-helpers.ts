import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, vi } from "vitest";
import { startJourney } from "../setup/browser";
import { linksInMail, mailsTo, signIn } from "../setup/dev-mailbox";
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
 * Signs the tab's context in as `email` over HTTP (the dev mailbox's link, as `signIn` in tests/setup/dev-mailbox.ts)
 * and gives it the session cookie, for journeys whose subject is not the sign-in (identity-journey's is). Signing
 * in in the tab cost three page loads with the app's scripts (the form, the link's page, the page it lands on)
 * only to get this cookie. The tab is not navigated.
 */
export async function signInByCookie(page: Page, baseUrl: string, email: string): Promise<void> {
  const cookie = await signIn(baseUrl, email);
  const at = cookie.indexOf("=");
  await page.context().addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
}

/**
 * The path (and query) of the newest link matching `pattern` in a message to `to` in the dev mailbox, read
 * over HTTP. A message is listed there once the request that queued it has been answered, so this is
 * mostly found at once; it is awaited (vi.waitFor) rather than assumed.
 */
export async function linkFromDevMailbox(baseUrl: string, to: string, pattern: RegExp): Promise<string> {
  // vi.waitFor rather than expect.poll: it may run in a beforeAll hook.
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
