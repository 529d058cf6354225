import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { PGlite } from "@electric-sql/pglite";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import * as schema from "~db/schema";
import { localeCookie } from "~/i18n/locale.server";
import { setEnvForTests } from "~/utils/env.server";
import { createPaidGift } from "../factories";
import { TEST_SESSION_SECRET, createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";
import { chromiumAvailable, launchBrowser, screenshotPath } from "../setup/browser";
import { freshDataDir, startServer, type RunningServer } from "../setup/server";

/*
 * Issue 14 acceptance: an axe-core scan of the fundraiser dashboard (/admin, as staff, in Swedish and
 * English, and its 400 page for a bad period) and of /insyn passes (no serious or critical
 * violations) on a phone (390 px) and a desktop (1280 px), with every <details> open so the charts'
 * tables are scanned too; and each chart is an image with a text alternative. One server, one browser.
 */

const viewports = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
] as const;

describe.runIf(chromiumAvailable())("axe-core on the dashboard and /insyn", () => {
  let server: RunningServer;
  let browser: Browser;
  let personas: Personas;

  beforeAll(async () => {
    // The staff session and some money are written into the server's database before it starts
    // (PGlite allows one process at a time): gifts through the webhook path, and goal 1 a target.
    useIdentityEnv();
    const dataDir = freshDataDir({});
    const client = new PGlite(path.join(dataDir, "pglite"));
    const db = drizzle(client, { schema }) as unknown as Db;
    personas = await createPersonas(db, "-axe-dash");
    await createPaidGift(db, { goal: "alla-ar-trygga", amountOre: 25_000n });
    await createPaidGift(db, { goal: null, amountOre: 50_000n, method: "swish" });
    const [goal] = await db.select({ id: schema.goals.id }).from(schema.goals).where(eq(schema.goals.number, 1));
    await db.update(schema.goals).set({ targetOre: 1_000_000_00n }).where(eq(schema.goals.id, goal.id));
    await client.close();
    setEnvForTests(undefined);
    [server, browser] = await Promise.all([startServer({ DATA_DIR: dataDir, SESSION_SECRET: TEST_SESSION_SECRET }, 110_000), launchBrowser()]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  // The Swedish dashboard and /insyn at both widths; the English one and the 400 page once each (the
  // same markup in other words: a scan takes about a minute on a busy 2-core machine).
  const pages = [
    { name: "dashboard", url: "/admin", persona: "fundraiser" as const, status: 200, widths: viewports },
    { name: "dashboard-en", url: "/admin?from=2026-01&to=2026-12", persona: "admin" as const, status: 200, english: true, widths: [viewports[1]] },
    { name: "dashboard-bad-period", url: "/admin?from=2026-02-30&to=2025-01-01", persona: "fundraiser" as const, status: 400, widths: [viewports[0]] },
    { name: "insyn", url: "/insyn", persona: "anonymous" as const, status: 200, widths: viewports },
  ];

  it.each(pages)("$name has no serious or critical violations", async ({ name, url, persona, status, english, widths }) => {
    const problems: string[] = [];
    for (const viewport of widths) {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, locale: english ? "en-GB" : "sv-SE" });
      const lang = english ? (await localeCookie.serialize("en")).split(";")[0] : "";
      const cookies = [personas.cookie[persona], lang].filter(Boolean).join("; ");
      for (const pair of cookies ? cookies.split("; ") : []) {
        const [cookieName, ...value] = pair.split("=");
        await context.addCookies([{ name: cookieName, value: value.join("="), url: server.url }]);
      }
      const page = await context.newPage();
      const response = await page.goto(`${server.url}${url}`, { waitUntil: "load" });
      expect(response?.status(), `${url} as ${persona}`).toBe(status);
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => d.setAttribute("open", "")));
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      for (const v of results.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        problems.push(`${viewport.name} ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
      if (name.startsWith("dashboard") && status === 200) {
        // Every chart is an image with a name and a description from its <title> and <desc>.
        const charts = await page.locator("svg[role=img]").evaluateAll((svgs) =>
          svgs.map((svg) => {
            const [titleId, descId] = (svg.getAttribute("aria-labelledby") ?? "").split(" ");
            return { title: document.getElementById(titleId)?.textContent ?? "", desc: document.getElementById(descId)?.textContent ?? "" };
          }),
        );
        expect(charts.length).toBeGreaterThanOrEqual(3);
        for (const c of charts) expect(c.title.length * c.desc.length, JSON.stringify(c)).toBeGreaterThan(0);
      }
      await page.screenshot({ path: screenshotPath(`${name}-${viewport.width}`), fullPage: true });
      await context.close();
    }
    expect(problems, url).toEqual([]);
  }, 300_000);
});
