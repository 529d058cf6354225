import { describe, expect, it } from "vitest";
import { chromiumAvailable, expectNoSeriousA11yViolations, keptTabs, screenshotPath, useJourney } from "../setup/browser";
import { mailsTo, signIn } from "../setup/dev-mailbox";

/** Amounts are written with no-break spaces; compare them as plain spaces. */
const plain = (s: string | null) => (s ?? "").replace(/\u00a0/g, " ");

/** "1 234 kr" / "1 234,50 kr" (no-break spaces) → öre. */
function oreOf(text: string): number {
  const m = /^([\d\s\u00a0]+)(?:,(\d{2}))?\s*kr$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  return Number(m[1].replace(/[\s\u00a0]/g, "")) * 100 + Number(m[2] ?? 0);
}

describe.runIf(chromiumAvailable())("journey in Chromium: a 250 kr Swish gift on the payment simulator", () => {
  const journey = useJourney();
  const tab = keptTabs(() => journey.browser);

  it("gives 250 kr by Swish to Alla är trygga, finds the receipt in the dev mailbox, and sees the goal go up by 250 kr", async () => {
    const page = await tab({ viewport: { width: 390, height: 844 } });
    const email = `e2e.${Date.now()}@example.com`;

    await page.goto(`${journey.server.url}/goals/alla-ar-trygga`);
    const before = oreOf((await page.getByTestId("raised").first().textContent()) ?? "");

    await page.getByRole("link", { name: "Ge en gåva till det här målet" }).click();
    await page.waitForURL(/\/give\?goal=alla-ar-trygga$/);
    await page.getByLabel("Till vilket mål?").waitFor();
    expect(await page.getByLabel("Till vilket mål?").inputValue()).toBe("alla-ar-trygga");
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel("En gång").check();
    await page.getByLabel("250 kr").check();
    await page.getByLabel("Swish").check();
    await page.getByLabel("Namn").fill("E2E Givare");
    await page.getByLabel("E-post").fill(email);
    await page.getByLabel("Hälsning (valfri)").fill("<script>alert(1)</script> Tack!");
    await page.screenshot({ path: screenshotPath("give-form-mobile"), fullPage: true });
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();

    await page.waitForURL(/\/dev\/checkout\/cs_sim_/);
    // Client-side navigation changes the URL before the new page renders: wait for its content.
    await page.getByText("SIMULATOR – inga riktiga pengar").waitFor();
    expect(await page.getByText("SIMULATOR – inga riktiga pengar").count()).toBe(1);
    expect(await page.getByText("Engångsgåva på 250 kr till Alla är trygga.").count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("button", { name: "Betala med Swish" }).click();

    await page.waitForURL(/\/give\/thanks\?ref=/);
    await page.waitForSelector('[data-testid="gift-status"][data-status="paid"]', { timeout: 15_000 });
    expect(plain(await page.getByTestId("gift-status").textContent())).toContain("250 kr till Alla är trygga");
    await expectNoSeriousA11yViolations(page);

    // The receipt, queued when the payment was recorded and listed in the dev mailbox (awaited over HTTP).
    await expect.poll(() => mailsTo(journey.server.url, email), { timeout: 20_000 }).not.toEqual([]);
    await page.goto(`${journey.server.url}/dev/mail`);
    await page.getByRole("row").filter({ hasText: email }).getByRole("link", { name: /Tack för din gåva på 250/ }).first().click();
    await page.waitForURL(/\/dev\/mail\/\d+/);
    await page.waitForFunction(() => !document.querySelector("main table") && document.querySelector("main")?.textContent?.includes("250"));
    const body = (await page.locator("main").textContent()) ?? "";
    const frame = page.frameLocator("iframe").first();
    const html = (await frame.locator("body").count()) ? ((await frame.locator("body").textContent()) ?? "") : "";
    const mail = `${body}\n${html}`;
    expect(mail).toContain("250");
    expect(mail).toContain("Alla är trygga");
    expect(mail).toContain("Swish");
    expect(mail).toContain("Västerås stadsmission");

    await page.goto(`${journey.server.url}/goals/alla-ar-trygga`);
    const after = oreOf((await page.getByTestId("raised").first().textContent()) ?? "");
    expect(after - before).toBe(25_000);
    const api = (await (await fetch(`${journey.server.url}/api/goals`)).json()) as { slug: string; raisedOre: number }[];
    expect(api.find((g) => g.slug === "alla-ar-trygga")!.raisedOre).toBe(after);
  }, 90_000);

  it("answers bad input next to the field without JavaScript, and lets a timed-out Swish payment be tried again", async () => {
    const page = await tab({ javaScriptEnabled: false });
    await page.goto(`${journey.server.url}/give`);
    await page.getByLabel("Annat belopp", { exact: true }).check();
    await page.getByLabel("Annat belopp i kronor").fill("2");
    await page.getByLabel("Swish").check();
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    await page.waitForSelector("#amount-error");
    expect(plain(await page.locator("#amount-error").textContent())).toBe("Det minsta beloppet är 20 kr.");
    expect(await page.locator("#name-error").textContent()).toBe("Skriv ditt namn.");

    await page.getByLabel("Annat belopp i kronor").fill("120");
    await page.getByLabel("Namn").fill("Tidsgräns Givare");
    await page.getByLabel("E-post").fill("tid@example.com");
    await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
    await page.waitForURL(/\/dev\/checkout\/cs_sim_/);
    await page.getByRole("button", { name: /gå ut/ }).click();
    await page.waitForURL(/\/give\/cancelled\?ref=.*reason=swish_timeout/);
    await page.getByTestId("swish-timeout").waitFor();
    expect(await page.getByTestId("swish-timeout").count()).toBe(1);
    await page.getByRole("link", { name: "Försök igen" }).click();
    await page.waitForURL(/\/give\?/);
    await page.getByLabel("Annat belopp i kronor").waitFor();
    expect(await page.getByLabel("Annat belopp i kronor").inputValue()).toBe("120");
  }, 90_000);

  it("shows staff the gift in /admin/payments and lets them version the split in /admin/allocation", async () => {
    const page = await tab();
    // The demo admin, signed in by the emailed link over HTTP and the cookie given to the tab: the browser's sign-in is
    // identity-journey's, and here it cost four page loads with JavaScript only to get the cookie.
    const [name, ...value] = (await signIn(journey.server.url, "admin@example.com")).split("=");
    await page.context().addCookies([{ name, value: value.join("="), url: journey.server.url }]);
    await page.goto(`${journey.server.url}/admin/payments`);

    await page.getByRole("heading", { level: 1, name: "Betalningar" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: "E2E Givare" }).first();
    const text = plain(await row.textContent());
    for (const part of ["Betald", "Engångsgåva", "Swish", "250 kr", "Alla är trygga", "Gåvosidan"]) expect(text).toContain(part);
    // The greeting is shown as text.
    expect(text).toContain("<script>alert(1)</script> Tack!");
    await expectNoSeriousA11yViolations(page);

    await page.getByRole("link", { name: "Fördelning av gåvor utan valt mål" }).click();
    await page.waitForURL(/\/admin\/allocation$/);
    await expectNoSeriousA11yViolations(page);
    const fields = page.getByRole("textbox", { name: /Andel i procent/ });
    expect(await fields.count()).toBe(5);
    for (const [i, v] of ["50", "20", "20", "5", "4"].entries()) await fields.nth(i).fill(v);
    await page.getByRole("button", { name: "Spara ny fördelning" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toBe("Andelarna måste tillsammans bli exakt 100 %.");
    await fields.nth(4).fill("5");
    await page.getByRole("button", { name: "Spara ny fördelning" }).click();
    await page.waitForURL(/\/admin\/allocation\?saved$/);
    expect(await page.getByRole("status").textContent()).toContain("sparad");
    expect(plain(await page.getByRole("region", { name: "Tidigare versioner" }).textContent())).toContain("#1: 50 %");
  }, 90_000);
});
