import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, keptTabs, screenshotPath } from "../setup/browser";
import { linkFromDevMailbox, useUiJourney } from "./ui-helpers";

const plain = (s: string | null) => (s ?? "").replace(/\u00a0/g, " ");

/** A paid 300 kr monthly card gift made through /give and the simulator (in `page`); returns the path of the manage link in the receipt. */
async function monthlyGiftManagePath(page: Page, baseUrl: string, email: string): Promise<string> {
  await page.goto(`${baseUrl}/give?frequency=monthly&amount=300&method=card`);
  await page.getByLabel("Namn").fill("Månadsgivare E2E");
  await page.getByLabel("E-post").fill(email);
  await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
  await page.waitForURL(/\/dev\/checkout\/cs_sim_/);
  await page.getByRole("button", { name: "Betala med kort" }).click();
  await page.waitForURL(/\/give\/thanks\?ref=/);
  await page.waitForSelector('[data-testid="gift-status"][data-status="paid"]', { timeout: 15_000 });
  return linkFromDevMailbox(baseUrl, email, /\/give\/monthly\//);
}

describe.runIf(chromiumAvailable())("journey in Chromium: stopping a monthly gift asks first, and a stopped gift reads as stopped", () => {
  const journey = useUiJourney();
  const tab = keptTabs(() => journey.browser);

  for (const javaScriptEnabled of [false, true]) {
    it(`asks "Är du säker?" before stopping, can be cancelled, and then shows one notice with a way to start again (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const managePath = await monthlyGiftManagePath(await tab(), journey.server.url, `monthly.${javaScriptEnabled ? "js" : "nojs"}.${Date.now()}@example.com`);
      // A visitor of their own (the cookies cleared), as the receipt's reader.
      const page = await tab({ javaScriptEnabled, viewport: { width: 390, height: 844 } });
      page.setDefaultTimeout(10_000);
      await page.goto(`${journey.server.url}${managePath}`);
      await page.getByTestId("monthly-status").and(page.locator('[data-status="active"]')).waitFor();
      expect(plain(await page.locator("main").textContent())).toContain("Du ger 300 kr i månaden");

      // The first click only asks.
      await page.getByRole("link", { name: "Avsluta gåvan …" }).click();
      await page.getByRole("heading", { name: "Är du säker på att du vill avsluta månadsgåvan?" }).waitFor();
      expect(await page.getByTestId("monthly-status").getAttribute("data-status")).toBe("active");
      await page.screenshot({ path: screenshotPath(`ui-monthly-confirm-${javaScriptEnabled ? "js" : "nojs"}`), fullPage: true });

      // Cancelling keeps the gift.
      await page.getByRole("link", { name: "Nej, behåll gåvan" }).click();
      await page.getByRole("heading", { name: "Ändra belopp" }).waitFor();
      expect(await page.getByRole("heading", { name: "Är du säker på att du vill avsluta månadsgåvan?" }).count()).toBe(0);
      await page.reload();
      expect(await page.getByTestId("monthly-status").getAttribute("data-status")).toBe("active");

      // Asked again and confirmed: stopped.
      await page.getByRole("link", { name: "Avsluta gåvan …" }).click();
      await page.getByRole("button", { name: "Ja, avsluta gåvan" }).click();
      await page.waitForURL(/\?done=stopped$/);
      await page.locator('[data-testid="monthly-status"][data-status="canceled"]').waitFor();
      const main = plain(await page.locator("main").textContent());
      // One notice that it has ended, what it was, and how to start a new one; nothing that says it goes on.
      expect(main.match(/avslutad/g)).toHaveLength(1);
      expect(main).not.toContain("Du ger");
      expect(main).not.toContain("Tack!");
      expect(main).toContain("Du gav 300 kr i månaden till där behovet är störst.");
      expect(await page.getByRole("button").filter({ hasText: /Avsluta|Spara|Uppdatera/ }).count()).toBe(0);
      const again = page.getByRole("link", { name: /Starta en ny månadsgåva/ });
      expect(await again.getAttribute("href")).toBe("/give?frequency=monthly&amount=300");
      await page.screenshot({ path: screenshotPath(`ui-monthly-stopped-${javaScriptEnabled ? "js" : "nojs"}`), fullPage: true });

      // Coming back later (no ?done): still the one notice.
      await page.goto(`${journey.server.url}${managePath}`);
      expect(plain(await page.locator("main").textContent()).match(/avslutad/g)).toHaveLength(1);
    }, 120_000);
  }
});
