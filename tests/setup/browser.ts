import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { AxeResults } from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { chromiumArgs, chromiumPath, chromiumTmpDir, describeCpu, sumCpu, type SharedChromium, type SharedChromiumCpu } from "./global-browser";
import { repoRoot, startServer, type RunningServer } from "./server";

export { chromiumPath };
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

/**
 * A Browser on the run's one Chromium (tests/setup/global-browser.ts starts it the first time a file asks, and
 * closes it at the run's end): the file's own connection, whose contexts no other file sees. Its close() only
 * disconnects, closing the file's contexts. If the shared Chromium cannot be reached (it crashed), a new one is
 * asked for once. Outside Vitest's globalSetup (no endpoint provided) the file launches a Chromium of its own.
 * Connected, a download has no path() here: read it with createReadStream() or saveAs().
 *
 * TEST_CPU_LOG: one line per file, the shared Chromium's CPU while the file was connected. Another file using it
 * at the same time (the other worker) is in it too; the whole run's Chromium is the line the teardown writes.
 */
export async function launchBrowser(): Promise<Browser> {
  const shared = inject("sharedChromiumUrl");
  if (!shared) return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, env: { ...process.env, TMPDIR: chromiumTmpDir() } });
  const file = path.relative(repoRoot, expect.getState().testPath ?? "?");
  const cpuBefore = process.env.TEST_CPU_LOG ? await sharedChromiumCpu(shared) : {};
  let stale = "";
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${shared}/chromium?stale=${encodeURIComponent(stale)}`);
    if (!response.ok) throw new Error(`The shared Chromium did not start: ${await response.text()}`);
    const { wsEndpoint } = (await response.json()) as SharedChromium;
    let browser: Browser;
    try {
      browser = await chromium.connect(wsEndpoint, { timeout: 30_000 });
    } catch (error) {
      if (attempt === 2) throw error;
      stale = wsEndpoint;
      continue;
    }
    if (process.env.TEST_CPU_LOG) {
      const close = browser.close.bind(browser);
      browser.close = async (options) => {
        await close(options);
        const cpu = await sharedChromiumCpu(shared);
        for (const [type, before] of Object.entries(cpuBefore)) cpu[type] = (cpu[type] ?? 0) - before;
        appendFileSync(process.env.TEST_CPU_LOG!, `  chromium (shared) while ${file} was connected\t${sumCpu(cpu).toFixed(2)}\t${describeCpu(cpu)}\n`);
      };
    }
    return browser;
  }
}

async function sharedChromiumCpu(shared: string): Promise<Record<string, number>> {
  return ((await (await fetch(`${shared}/cpu`)).json()) as SharedChromiumCpu).byType;
}

export function screenshotPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, `${name}.png`);
}

// axe-core as @axe-core/playwright resolves it (its own dependency), minified: half the source to parse.
const axeSource = readFileSync(createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright")).resolve("axe-core/axe.min.js"), "utf8");

/**
 * An axe-core scan of the page: no serious or critical violations, by every rule axe-core runs by default (as
 * AxeBuilder's analyze() with no tags: WCAG and best practices). As tests/e2e/axe.test.ts's scan: the minified
 * axe-core, added once per document (not again for a second scan of the same page), run in the page itself,
 * violations only, and the rules whose violations are always minor or moderate not run (axe-core reports each
 * violation at its rule's own impact, whatever its checks' say): the verdict on serious and critical is the same. AxeBuilder's
 * analyze() evaluated the full source twice per scan and opened a blank tab for axe.finishRun. A page with
 * frames is still scanned by AxeBuilder, which runs axe-core in each frame through Playwright.
 */
export async function expectNoSeriousA11yViolations(page: Page) {
  let serious: string[];
  if (page.frames().length > 1) {
    const results = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
    serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  } else {
    if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
    serious = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<AxeResults>; _audit: { rules: { id: string; impact?: string }[] } } }).axe;
      const rules: Record<string, { enabled: boolean }> = {};
      for (const rule of axe._audit.rules) if (rule.impact === "minor" || rule.impact === "moderate") rules[rule.id] = { enabled: false };
      const results = await axe.run(document, { rules, resultTypes: ["violations"] });
      return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
  }
  expect(serious).toEqual([]);
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
