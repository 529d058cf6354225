import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, keptTabs } from "../setup/browser";
import { postForm, signIn } from "../setup/dev-mailbox";
import { linkFromDevMailbox, useUiJourney } from "./ui-helpers";

/**
 * Issue 12's collection journey on one server: a newcomer signs in by email (the first sign-in makes the person), starts a collection for
 * Ingen psykisk ohälsa with a 5 000 kr target, shares its page; two donors give through "Ge till
 * insamlingen" on the payment simulator (300 kr by card, 200 kr by Swish and anonymous); the page and
 * the goal's JSON follow. Then staff hide it (over HTTP with a staff session, as their page posts it):
 * the page and its JSON answer 410, and a donor's greeting is on no public page any more.
 */
const STAFF = "collection.staff@example.com";
const GOAL = "ingen-psykisk-ohalsa";

/** Amounts are written with no-break spaces; compare them as plain spaces. */
const plain = (s: string | null) => (s ?? "").replace(/[\u00a0\u202f]/g, " ");
const goalRaised = async (base: string) => ((await (await fetch(`${base}/api/goals/${GOAL}`)).json()) as { raisedOre: number }).raisedOre;

type Donor = { name: string; email: string; kr: number; method: "Kort" | "Swish"; anonymous: boolean; greeting: string };

/** A donor opens the collection's page (in `page`, a visitor's tab), follows "Ge till insamlingen" and pays on the simulator. */
async function give(page: Page, pageUrl: string, donor: Donor) {
  await page.goto(pageUrl);
  await page.getByRole("link", { name: "Ge till insamlingen" }).click();
  await page.waitForURL(/\/give\?collection=/);
  await page.locator("form.give-form[data-hydrated]").waitFor();
  await page.getByLabel("Annat belopp i kronor").fill(String(donor.kr));
  await page.getByLabel(donor.method, { exact: true }).check();
  await page.getByLabel("Namn", { exact: true }).fill(donor.name);
  await page.getByLabel("E-post", { exact: true }).fill(donor.email);
  if (donor.anonymous) await page.getByLabel("Visa mig som anonym givare").check();
  await page.getByLabel("Hälsning (valfri)").fill(donor.greeting);
  await page.getByRole("button", { name: "Gå vidare till betalning" }).click();
  await page.waitForURL(/\/dev\/checkout\/cs_sim_/);
  await page.getByRole("button", { name: donor.method === "Kort" ? "Betala med kort" : "Betala med Swish" }).click();
  await page.waitForURL(/\/give\/thanks\?ref=/);
  await page.waitForSelector('[data-testid="gift-status"][data-status="paid"]', { timeout: 30_000 });
}

/** The donor wall's entries as plain text (the page cache may hold the page a second: reload until `done`). */
async function reloadUntil(page: Page, url: string, done: (text: string) => boolean): Promise<string> {
  let text = "";
  await expect
    .poll(
      async () => {
        await page.goto(url);
        text = plain(await page.locator("main").textContent());
        return done(text);
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  return text;
}

describe.runIf(chromiumAvailable())("collection journey in Chromium", () => {
  const journey = useUiJourney({ ADMIN_EMAILS: STAFF });
  const tab = keptTabs(() => journey.browser);
  const stamp = Date.now() % 90_000;
  const title = `Springer för Ingen psykisk ohälsa ${stamp}`;
  const greeting = `Heja dig hela vägen ${stamp}`;

  it("starts a collection, two donors give 300 kr by card and 200 kr by Swish (anonymous), the page shows 500 kr, 10 % and Anonym; the goal went up by 500 kr; hidden by staff it is 410 and its greetings are gone", async () => {
    const base = journey.server.url;
    const raisedBefore = await goalRaised(base);

    // A newcomer (no gift, no account) opens /collections/new, is asked to sign in, follows the emailed
    // link from the dev mailbox and lands back on the form: the first sign-in made the person.
    const organiserEmail = `samlare.${stamp}@example.com`;
    const page = await tab({ person: "organiser" });
    await page.goto(`${base}/collections/new`);
    await page.waitForURL(/\/login\?returnTo=%2Fcollections%2Fnew/);
    await page.getByLabel("E-postadress").fill(organiserEmail);
    await page.getByRole("button", { name: "Skicka inloggningslänk" }).click();
    await page.getByRole("heading", { name: "Kolla din e-post" }).waitFor();
    const link = await linkFromDevMailbox(base, organiserEmail, /\/login\/verify\?token=/);
    await page.goto(`${base}${link}`);
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForURL(/\/collections\/new$/);
    await page.getByRole("heading", { name: "Starta en insamling" }).waitFor();
    await page.getByLabel("Rubrik", { exact: true }).fill(title);
    await page.getByLabel("Berätta varför du samlar in").fill("Jag springer Vårruset.\n\nVarje krona går till samtalsstöd för unga i Västerås.");
    await page.getByLabel("Mål som insamlingen stödjer").selectOption(GOAL);
    await page.getByLabel("Insamlingsmål i kronor (valfritt)").fill("5000");
    await page.getByRole("button", { name: "Starta insamlingen" }).click();
    await page.waitForURL(/\/c\/[a-z0-9-]+(\?|$)/);
    const slug = /\/c\/([a-z0-9-]+)/.exec(page.url())![1];
    const pageUrl = `${base}/c/${slug}`;
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    // Started: the new page says so (?done=created), in a live region.
    expect(await page.getByRole("status").filter({ hasText: "Din insamling är startad!" }).count()).toBe(1);
    // Shared: the page offers its own address to share, and the report link.
    expect(await page.getByTestId("share-link").getAttribute("href")).toMatch(new RegExp(`/c/${slug}$`));
    expect(await page.getByRole("link", { name: "Ge till insamlingen" }).getAttribute("href")).toBe(`/give?collection=${slug}`);
    expect(await page.getByRole("link", { name: "Anmäl", exact: true }).getAttribute("href")).toBe(`/c/${slug}/report`);

    await give(await tab({ person: "donor" }), pageUrl, { name: "Kortgivaren Kim", email: `kort.${stamp}@example.com`, kr: 300, method: "Kort", anonymous: false, greeting });
    await give(await tab({ person: "donor" }), pageUrl, { name: "Hemliga Hedda", email: `swish.${stamp}@example.com`, kr: 200, method: "Swish", anonymous: true, greeting: `Kram ${stamp}` });

    // The page: 500 kr of 5 000 kr, 10 %, two gifts, the anonymous gift as "Anonym" (and not by name).
    const text = await reloadUntil(page, pageUrl, (t) => t.includes("2 gåvor"));
    expect(plain(await page.getByTestId("collection-percent").textContent())).toContain("10 % av målet");
    expect(text).toContain("500 kr");
    const wall = (await page.getByTestId("donor-wall").getByRole("listitem").allTextContents()).map(plain);
    expect(wall).toHaveLength(2);
    expect(wall.find((w) => w.includes("200 kr"))).toMatch(/^Anonym · 200 kr/);
    expect(wall.find((w) => w.includes("300 kr"))).toMatch(/^Kortgivaren Kim · 300 kr/);
    expect(text).not.toContain("Hemliga Hedda");
    expect(text).toContain(greeting);
    await expect.poll(() => goalRaised(base), { timeout: 30_000, interval: 250 }).toBe(raisedBefore + 50_000);
    const listed = (await (await fetch(`${base}/api/goals/${GOAL}`)).json()) as { collections: { slug: string; raisedOre: number; targetOre: number | null }[] };
    expect(listed.collections).toContainEqual({ slug, title, raisedOre: 50_000, targetOre: 500_000 });

    // Staff hide the collection from its moderation page.
    const staff = await signIn(base, STAFF);
    const list = await (await fetch(`${base}/admin/collections`, { headers: { Cookie: staff } })).text();
    const id = new RegExp(`href="/admin/collections/(\\d+)">${title}<`).exec(list)?.[1];
    expect(id, `${title} in /admin/collections`).toBeTruthy();
    const hidden = await postForm(base, `/admin/collections/${id}`, { intent: "hide", reason: "E2E: bryter mot reglerna" }, { Cookie: staff });
    expect(hidden.status).toBe(302);

    // The public gets 410 (the page cache may hold the old page a moment), the page and its JSON.
    await expect.poll(async () => (await fetch(pageUrl)).status, { timeout: 30_000, interval: 250 }).toBe(410);
    expect((await fetch(`${base}/api/collections/${slug}`)).status).toBe(410);
    const gone = await fetch(pageUrl);
    expect(await gone.text()).not.toContain(greeting);
    // The greeting is on no public page or JSON.
    await expect
      .poll(
        async () => {
          const [goalPage, goalJson] = await Promise.all([fetch(`${base}/goals/${GOAL}`).then((r) => r.text()), fetch(`${base}/api/goals/${GOAL}`).then((r) => r.text())]);
          return goalPage.includes(greeting) || goalJson.includes(greeting) || goalPage.includes(title) || goalJson.includes(slug);
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(false);
  }, 240_000);
});
