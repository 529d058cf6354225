import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, expectNoSeriousA11yViolations, keptTabs, screenshotPath, siteNavLink, useJourney } from "../setup/browser";

/** Waits for the page's h1 to read `name` (client-side navigation updates the URL before it renders). */
async function h1(page: Page, name: string) {
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor({ timeout: 10_000 });
  return page.getByRole("heading", { level: 1 }).textContent();
}

describe.runIf(chromiumAvailable())("journey in Chromium: home → goal → English", () => {
  const journey = useJourney();
  const tab = keptTabs(() => journey.browser);

  it("opens home, goes to a goal, switches language, passes axe, on a phone-sized screen", async () => {
    const page = await tab({ viewport: { width: 390, height: 844 } });
    await page.goto(journey.server.url);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("Ett mänskligare Västerås");
    expect(await page.locator(".goal-grid > li").count()).toBe(5);
    await expectNoSeriousA11yViolations(page);
    await page.screenshot({ path: screenshotPath("home-mobile"), fullPage: true });

    await page.getByRole("link", { name: "Alla är trygga" }).click();
    expect(await h1(page, "Alla är trygga")).toBe("Alla är trygga");
    expect(page.url()).toMatch(/\/goals\/alla-ar-trygga$/);
    expect(await page.getByRole("heading", { name: "Det här gör vi idag" }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);

    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    expect(await h1(page, "Everyone is safe")).toBe("Everyone is safe");
    expect(page.url()).toMatch(/\/goals\/alla-ar-trygga$/);
    await expectNoSeriousA11yViolations(page);
    await page.screenshot({ path: screenshotPath("goal-english-mobile"), fullPage: true });

    // The choice is remembered on the next page.
    await (await siteNavLink(page, "About and contact")).click();
    expect(await h1(page, "About Västerås stadsmission")).toBe("About Västerås stadsmission");
    expect(page.url()).toMatch(/\/about$/);
    await expectNoSeriousA11yViolations(page);
  }, 120_000); // 12 s alone on a quiet machine; over 30 s in CI beside the forms table's browsers

  it("works before JavaScript loads: the goal page and the language switch without scripts", async () => {
    const page = await tab({ javaScriptEnabled: false });
    await page.goto(`${journey.server.url}/goals/ingen-hemloshet`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Ingen hemlöshet");
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.waitForSelector('html[lang="en"]');
    expect(page.url()).toMatch(/\/goals\/ingen-hemloshet$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("No homelessness");
    const notFound = await page.goto(`${journey.server.url}/goals/finns-inte`);
    expect(notFound?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
  });

  it("the journeys' axe check fails on a serious or critical violation, by WCAG rules and best practices, and not on a moderate one", async () => {
    const page = await tab();
    const moderateOnly = `<html lang="sv"><head><title>Planterad</title></head><body><div><h1>Rubrik</h1><h3>Hoppar över h2</h3><h2></h2></div></body></html>`;
    await page.setContent(moderateOnly); // no landmark (region), a skipped heading level, an empty heading: moderate and minor
    await expectNoSeriousA11yViolations(page);
    // An image with no text (image-alt, WCAG, critical) and a positive tabindex (tabindex, a best practice, serious).
    await page.setContent(moderateOnly.replace("</h1>", '</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1"><a href="/x" tabindex="2">Länk</a>'));
    const failure = await expectNoSeriousA11yViolations(page).then(
      () => "passed",
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/'image-alt: img'/);
    expect(failure).toMatch(/'tabindex: a'/);
  });

  it("shows a visible focus ring and a skip link for keyboard users", async () => {
    const page = await tab();
    await page.goto(journey.server.url);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused.text).toBe("Hoppa till innehållet");
    expect(focused.outline).not.toBe("none");
    await page.screenshot({ path: screenshotPath("home-desktop") });
  });
});
