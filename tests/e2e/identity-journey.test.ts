import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, screenshotPath, siteNavLink, useJourney } from "../setup/browser";

/** From the login confirmation to the sign-in link, through the dev mailbox, as a person would. */
async function followLinkInDevMailbox(page: Page, to: string) {
  await page.getByRole("link", { name: "Öppna utvecklarbrevlådan" }).click();
  await page.waitForURL(/\/dev\/mail$/);
  const row = page.getByRole("row").filter({ hasText: to }).first();
  await row.getByRole("link").click();
  await page.waitForURL(/\/dev\/mail\/\d+$/);
  // The dev mailbox renders a message not sent yet as it would be sent: its links are there at once.
  await page.getByTestId("mail-links").waitFor();
  await page.getByTestId("mail-links").getByRole("link").first().click();
  await page.waitForURL(/\/login\/verify\?token=/);
}

describe.runIf(chromiumAvailable())("journey in Chromium: sign in through the dev mailbox, account, sign out", () => {
  const journey = useJourney();

  it("signs in with a magic link, reaches /account and the staff pages, and signs out (with JavaScript, phone-sized, no CSP violations)", async () => {
    const context: BrowserContext = await journey.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));

    await page.goto(`${journey.server.url}/account`);
    await page.waitForURL(/\/login\?returnTo=%2Faccount$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Logga in");
    await page.getByLabel("E-postadress").fill("admin@example.com");
    await page.getByRole("button", { name: "Skicka inloggningslänk" }).click();
    await page.getByRole("heading", { name: "Kolla din e-post" }).waitFor();

    await followLinkInDevMailbox(page, "admin@example.com");
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole("heading", { level: 1, name: "Mitt konto" }).waitFor();
    expect(await page.getByTestId("account-email").textContent()).toBe("admin@example.com");
    await page.screenshot({ path: screenshotPath("account-mobile"), fullPage: true });

    // The staff area is reachable from the navigation.
    await (await siteNavLink(page, "Administration")).click();
    await page.waitForURL(/\/admin$/);
    await page.getByRole("heading", { level: 1, name: "Översikt" }).waitFor();
    // Every staff page and the dev mailbox render for the admin. Their axe-core scans are in
    // tests/e2e/axe.test.ts, which scans every page of the access matrix (these, /login and /account
    // included) as each persona allowed to see it at 390 and 1280 px: scanning them here again cost this
    // journey most of its time (eleven scans) and found nothing that file does not.
    for (const [path, heading] of [
      ["/admin/people", "Personer och roller"],
      ["/admin/organisations", "Organisationer"],
      ["/admin/settings", "Organisationens uppgifter i mejl"],
      ["/admin/audit", "Händelselogg"],
      ["/admin/email", "Utgående mejl"],
      ["/admin/goals", "De lokala målen"],
      ["/admin/goals/alla-ar-trygga", "Mål #2: Alla är trygga"],
      ["/dev/mail", "Utvecklarbrevlåda"],
    ]) {
      await page.goto(new URL(path, page.url()).href);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    }
    expect(await page.content()).toContain("admin@example.com");
    await page.goto(new URL("/admin/audit", page.url()).href);
    expect(await page.getByRole("cell", { name: "Inloggning" }).count()).toBeGreaterThan(0);
    await page.goto(new URL("/admin/organisations", page.url()).href);
    await page.getByRole("link", { name: "Demoföretaget Exempel AB" }).click();
    await page.getByRole("heading", { level: 1, name: "Demoföretaget Exempel AB" }).waitFor();

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "lm_session")!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe("Lax");

    await (await siteNavLink(page, "Mitt konto")).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole("button", { name: "Logga ut", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await (await siteNavLink(page, "Logga in")).waitFor();
    expect(await (await siteNavLink(page, "Mitt konto")).count()).toBe(0);

    // The old cookie, put back by hand, no longer opens the account: the session is gone on the journey.server.
    await context.addCookies([{ ...session }]);
    // The link in the email points at APP_URL (localhost), so stay on the origin the browser is on.
    await page.goto(new URL("/account", page.url()).href);
    await page.waitForURL(/\/login\?returnTo=/);

    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    expect(problems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
    await context.close();
  }, 240_000); // generous: under CI load beside the axe and forms files a page load can take seconds

  it("works without JavaScript: a contact signs in and sees only their organisation", async () => {
    const context = await journey.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${journey.server.url}/login`);
    await page.getByLabel("E-postadress").fill("kontakt@exempel-ab.example.com");
    await page.getByRole("button", { name: "Skicka inloggningslänk" }).click();
    await page.getByRole("heading", { name: "Kolla din e-post" }).waitFor();
    await followLinkInDevMailbox(page, "kontakt@exempel-ab.example.com");
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole("link", { name: "Demoföretaget Exempel AB" }).click();
    await page.waitForURL(/\/org\/\d+$/);
    expect(await page.getByTestId("org-name").textContent()).toContain("Demoföretaget Exempel AB");
    const ownId = Number(new URL(page.url()).pathname.split("/").pop());
    // Another organisation's page: 403 for this contact.
    // The link in the email points at APP_URL (localhost): stay on that origin, where the cookie is.
    const other = await page.goto(new URL(`/org/${ownId + 1}`, page.url()).href);
    expect(other?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Ingen behörighet");
    const admin = await page.goto(new URL("/admin", page.url()).href);
    expect(admin?.status()).toBe(403);
    await context.close();
  }, 120_000);
});
