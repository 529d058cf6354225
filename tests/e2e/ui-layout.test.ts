import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, keptTabs, screenshotPath } from "../setup/browser";
import { signInByCookie, useUiJourney } from "./ui-helpers";

/** Gap in CSS pixels between the bottom of the site header and the top of the page's h1. */
async function headerToHeadingGap(page: Page): Promise<number> {
  return page.evaluate(() => {
    const header = document.querySelector(".site-header")!.getBoundingClientRect();
    const h1 = document.querySelector("main h1")!.getBoundingClientRect();
    return h1.top - header.bottom;
  });
}

describe.runIf(chromiumAvailable())("layout in Chromium: error page title, sticky footer, heading spacing, the payments table at 1280 px", () => {
  const journey = useUiJourney();
  const tab = keptTabs(() => journey.browser);

  it("gives the 404 page a title in the reader's language and keeps the footer at the bottom of a short page", async () => {
    const page = await tab({ viewport: { width: 1280, height: 1100 } });
    const res = await page.goto(`${journey.server.url}/no-such-page`);
    expect(res?.status()).toBe(404);
    expect(await page.title()).toBe("Sidan finns inte – Lokala mål");
    // The short 404 page: the footer's bottom edge is the viewport's bottom edge, no band under it.
    const { footerBottom, viewport, docHeight } = await page.evaluate(() => ({
      footerBottom: document.querySelector(".site-footer")!.getBoundingClientRect().bottom,
      viewport: window.innerHeight,
      docHeight: document.documentElement.scrollHeight,
    }));
    expect(docHeight).toBe(viewport);
    expect(Math.abs(footerBottom - viewport)).toBeLessThan(1);
    // Every page's footer leads to the public transparency page (issue 14 item 2) and to the about page.
    expect(await page.locator(".site-footer").getByRole("link", { name: "Insyn: så används pengarna" }).getAttribute("href")).toBe("/insyn");
    expect(await page.locator(".site-footer").getByRole("link", { name: "Om Västerås stadsmission" }).getAttribute("href")).toBe("/about");
    await page.screenshot({ path: screenshotPath("ui-404-desktop") });

    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.reload();
    expect(await page.title()).toBe("Page not found – Local goals");
  }, 90_000);

  it("leaves space between the header and the heading on /give, /about and /admin (phone and desktop)", async () => {
    const page = await tab();
    await signInByCookie(page, journey.server.url, "admin@example.com");
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      for (const path of ["/give", "/about", "/admin"]) {
        await page.goto(`${journey.server.url}${path}`);
        const gap = await headerToHeadingGap(page);
        expect(gap, `${path} at ${viewport.width} px`).toBeGreaterThanOrEqual(16);
        if (viewport.width === 1280) await page.screenshot({ path: screenshotPath(`ui-heading-${path.slice(1)}-desktop`) });
      }
    }
  }, 90_000);

  it("fits /admin/payments in 1280 px: no sideways scrolling, dates on one line, numbers right-aligned, long text cut with a title", async () => {
    const page = await tab({ viewport: { width: 1280, height: 900 } });
    await signInByCookie(page, journey.server.url, "admin@example.com");
    await page.goto(`${journey.server.url}/admin/payments`);
    const table = page.getByRole("region", { name: "Betalningar (senaste 200)" });
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("ui-admin-payments-1280"), fullPage: true });
    const m = await table.evaluate((region) => {
      const row = region.querySelector("tbody tr")!;
      const cells = [...row.querySelectorAll("td")];
      const date = cells[1];
      const range = document.createRange();
      range.selectNodeContents(date);
      const lineHeight = parseFloat(getComputedStyle(date).lineHeight);
      return {
        regionScroll: region.scrollWidth - region.clientWidth,
        pageScroll: document.documentElement.scrollWidth - window.innerWidth,
        tableRight: region.querySelector("table")!.getBoundingClientRect().right,
        dateHeight: range.getBoundingClientRect().height,
        lineHeight,
        amountAlign: getComputedStyle(cells[5]).textAlign,
        amountHeaderAlign: getComputedStyle(region.querySelectorAll("thead th")[5]).textAlign,
      };
    });
    expect(m.regionScroll).toBe(0);
    expect(m.pageScroll).toBe(0);
    expect(m.tableRight).toBeLessThanOrEqual(1280);
    // One line of text: the date's own box is no taller than one line.
    expect(m.dateHeight).toBeLessThan(m.lineHeight * 1.5);
    expect(m.amountAlign).toBe("right");
    expect(m.amountHeaderAlign).toBe("right");
    // Text that is cut keeps its whole value in the title.
    const cut = table.locator("[title]").first();
    expect(await cut.getAttribute("title")).toBe(await cut.textContent());
  }, 90_000);
});
