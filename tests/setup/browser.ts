import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { childPids, treeCpuSeconds } from "./cpu";
import { repoRoot, startServer, type RunningServer } from "./server";

const headlessShellPath = "/usr/bin/chromium-headless-shell";

/**
 * The Chromium the journeys drive: CHROMIUM_PATH if set, else Chromium's headless shell when installed
 * (Debian's chromium-headless-shell, the same version as chromium; what Playwright itself runs headless
 * tests on), else the full /usr/bin/chromium. The headless shell costs about half the CPU for the same
 * work (a new context and tab 0.78 CPU-s against 1.40, a page load 0.17 against 0.34).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync(headlessShellPath) ? headlessShellPath : "/usr/bin/chromium");
export const artifactsDir = path.join(repoRoot, "artifacts");

let announced = false;

/**
 * Whether the Chromium journeys can run. Without Chromium they are reported as not run (with how to
 * install it), except under CI=true, where a missing Chromium is a failure.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) {
    if (!announced) console.info(`Browser journeys run on ${chromiumPath}.`);
    announced = true;
    return true;
  }
  const message = `Chromium not found at ${chromiumPath}: browser journeys NOT RUN. Install it with: apt-get install -y chromium-headless-shell (or chromium, or set CHROMIUM_PATH).`;
  if (process.env.CI === "true") throw new Error(message);
  console.warn(message);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  process.env.TMPDIR ??= path.join(repoRoot, "tmp");
  mkdirSync(process.env.TMPDIR, { recursive: true });
  const before = process.env.TEST_CPU_LOG ? new Set(chromiumChildren()) : null;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  if (before) {
    // Chromium's CPU, read just before it is closed (after, its renderers' time is mostly lost: tests/setup/cpu.ts).
    const pid = chromiumChildren().find((p) => !before.has(p));
    const close = browser.close.bind(browser);
    browser.close = (options) => {
      const cpu = pid === undefined ? undefined : treeCpuSeconds(pid);
      if (cpu !== undefined) appendFileSync(process.env.TEST_CPU_LOG!, `  chromium of ${path.relative(repoRoot, expect.getState().testPath ?? "?")}\t${cpu.toFixed(2)}\n`);
      return close(options);
    };
  }
  return browser;
}

/** This process's children that are Chromium ("chromium", or "chromium-headle…" for the headless shell). */
function chromiumChildren(): number[] {
  return childPids("self").filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("chromium");
    } catch {
      return false;
    }
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, `${name}.png`);
}

/** An axe-core scan of the page: no serious or critical violations. */
export async function expectNoSeriousA11yViolations(page: Page) {
  // Violations only: axe then skips collecting the nodes of every passed and incomplete check.
  const results = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/**
 * A journey's fixtures: the production server and Chromium, started together before the file's tests
 * and stopped after them. Read `journey.server` and `journey.browser` inside the tests.
 */
export function useJourney(env: Record<string, string> = {}, startTimeoutMs = 110_000) {
  const journey = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    Object.assign(journey, await startJourney(env, startTimeoutMs));
  }, startTimeoutMs + 10_000);
  afterAll(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  return journey;
}

/**
 * The server and Chromium, started side by side. If one fails the other is stopped before the error
 * is thrown: a Chromium left running by a failed start stayed in the worker process for the rest of the
 * run (the file's afterAll never saw it).
 */
export async function startJourney(env: Record<string, string>, startTimeoutMs: number): Promise<{ server: RunningServer; browser: Browser }> {
  const [server, browser] = await Promise.allSettled([startServer(env, startTimeoutMs), launchBrowser()]);
  if (server.status === "fulfilled" && browser.status === "fulfilled") return { server: server.value, browser: browser.value };
  if (server.status === "fulfilled") await server.value.stop();
  if (browser.status === "fulfilled") await browser.value.close();
  throw server.status === "rejected" ? server.reason : (browser as PromiseRejectedResult).reason;
}

/** What a kept tab is asked for: JavaScript on or off, its size, and whose it is when two people act at once. */
export interface TabOptions {
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
  /** A second (third…) person in the same test gets a tab of their own: a cookie jar of their own. */
  person?: string;
}

/**
 * Tabs kept for a file's tests, one per JavaScript setting and person, in a browser context of its own, made
 * when first asked for and closed after the file. Each ask clears the context's cookies (a signed-out visitor
 * in the reader's default language, as a new context is) and sets the tab's size (default 1280×720,
 * Playwright's). A new context with its tab costs Chromium's headless shell about 0.8 CPU-s, and the tab's first
 * load compiles the app's scripts again (0.53 CPU-s against 0.17 for a load in a used tab, the lead's probe);
 * clearing the cookies costs next to nothing. The cache stays, as a returning visitor's does. The tab is
 * where the last test left it: every test opens its first page by a navigation.
 */
export function keptTabs(browser: () => Browser) {
  const kept = new Map<string, Promise<Page>>();
  afterAll(async () => {
    for (const page of kept.values()) await page.then((p) => p.context().close()).catch(() => undefined);
    kept.clear();
  });
  return async function tab({ javaScriptEnabled = true, viewport = { width: 1280, height: 720 }, person = "" }: TabOptions = {}): Promise<Page> {
    const key = `${javaScriptEnabled} ${person}`;
    let page = await kept.get(key)?.catch(() => undefined);
    if (!page || page.isClosed()) {
      const made = browser()
        .newContext({ javaScriptEnabled, viewport })
        .then((context) => context.newPage());
      kept.set(key, made);
      page = await made;
    }
    await page.context().clearCookies();
    await page.setViewportSize(viewport);
    page.setDefaultTimeout(30_000); // Playwright's, in case the last test changed it
    return page;
  };
}

/**
 * A link of the site's navigation. On a phone the navigation is folded into the "Meny" disclosure
 * (details/summary), which is opened first; on a wide screen it is the row in the header.
 */
export async function siteNavLink(page: import("playwright-core").Page, name: string) {
  const menu = page.locator("details.site-menu");
  if (await menu.isVisible()) {
    if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator("summary").click();
    return menu.getByRole("link", { name, exact: true });
  }
  return page.locator("nav.site-nav").getByRole("link", { name, exact: true });
}
