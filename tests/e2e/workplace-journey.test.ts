import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bgMaxFromPayments, encodeBgMax } from "~/services/invoices/bgmax-writer";
import { pdfText, testSeller } from "../invoices/helpers";
import { chromiumAvailable, keptTabs, launchBrowser } from "../setup/browser";
import { mailsTo, postForm, signIn } from "../setup/dev-mailbox";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../setup/db";
import { startServer, type RunningServer } from "../setup/server";
import { paxmlSchemaErrors } from "../workplace/paxml-check";
import { linkFromDevMailbox, signInByCookie } from "./ui-helpers";

/**
 * Issue 13's acceptance journey, on one server and one browser per database (the embedded PGlite, and
 * PostgreSQL when TEST_DATABASE_URL is set): the employer's contact sets up payroll giving and
 * downloads the poster; an employee opens the link printed on it, signs in by email and pledges
 * 150 kr a month to Ingen ensamhet; staff make the month's list; the contact downloads the PAXml file
 * and confirms (one invoice: 150 kr plus the 50 % match, 75 kr); staff import a BgMax file paying the
 * invoice's OCR number; Ingen ensamhet's raised amount goes up by exactly 225 kr.
 *
 * Staff's own steps (settings, the organisation and its contact, making the month's list, the BgMax
 * upload) go over HTTP with a staff session, as their pages post them. The demo data is off so that
 * nothing but this journey moves the goal's figure.
 */
const STAFF = "workplace.staff@example.com";
const GOAL = "ingen-ensamhet";
const PLEDGE_KR = 150;
const MATCH_KR = 75; // 50 % of 150 kr, under the 100 kr cap

const targets = process.env.TEST_DATABASE_URL ? (["pglite", "postgres"] as const) : (["pglite"] as const);

const goalRaised = async (base: string) => ((await (await fetch(`${base}/api/goals/${GOAL}`)).json()) as { raisedOre: number }).raisedOre;
/** Amounts are written with no-break spaces; compare them as plain spaces. */
const plain = (s: string | null) => (s ?? "").replace(/[\u00a0\u202f]/g, " ");

/** Clicks a download link and returns the file's bytes (streamed: the file is on the shared Chromium's side, which has no path for it here). */
async function download(page: Page, name: string | RegExp): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The server for one database: PGlite in its data directory, or a copy of the run's migrated PostgreSQL template. */
function useServer(target: (typeof targets)[number]) {
  const holder = {} as { server: RunningServer; dbUrl?: URL };
  beforeAll(async () => {
    const env: Record<string, string> = { ADMIN_EMAILS: STAFF, DEMO_DATA: "0" };
    if (target === "postgres") {
      holder.dbUrl = await createScratchPostgresDatabase(inject("postgresTemplate") || undefined);
      env.DATABASE_URL = holder.dbUrl.toString();
    }
    holder.server = await startServer(env, 110_000);
  }, 120_000);
  afterAll(async () => {
    await holder.server?.stop();
    if (holder.dbUrl) await dropScratchPostgresDatabase(holder.dbUrl);
  });
  return holder;
}

let browser: Browser;
beforeAll(async () => {
  if (chromiumAvailable()) browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
// The contact's and the employee's tabs, kept for both databases' journeys (their cookies cleared for each).
const tab = keptTabs(() => browser);

describe.runIf(chromiumAvailable()).each(targets)("workplace giving journey in Chromium (%s)", (target) => {
  const holder = useServer(target);
  const stamp = Date.now() % 90_000;

  it("an employee joins from the poster's link and pledges 150 kr a month to Ingen ensamhet; the contact downloads the month's PAXml and confirms; staff import a BgMax file for the invoice; the goal rises by 150 kr plus the 75 kr match", async () => {
    const base = holder.server.url;
    const company = `Journeybolaget ${stamp} AB`;
    const contactEmail = `kontakt.${stamp}@example.com`;
    const invoiceEmail = `ekonomi.${stamp}@example.com`;
    const employeeEmail = `elin.${stamp}@example.com`;
    const employeeNumber = `E-${stamp}`;

    // Staff: the charity's invoice details, the employer and its contact.
    const staff = await signIn(base, STAFF);
    const identity = { name: testSeller.name, organisationNumber: testSeller.organisationNumber, address: testSeller.address, email: "faktura@example.se", phone: "", website: "" };
    expect((await postForm(base, "/admin/settings", identity, { Cookie: staff })).status).toBeLessThan(400);
    expect((await postForm(base, "/admin/settings", { intent: "bankgiro", bankgiro: testSeller.bankgiro }, { Cookie: staff })).status).toBe(302);
    const created = await postForm(base, "/admin/organisations", { name: company, invoiceEmail, address: "Storgatan 1", postalCode: "72211", city: "Västerås" }, { Cookie: staff });
    expect(created.status).toBe(302);
    const orgId = Number(/\/admin\/organisations\/(\d+)/.exec(created.headers.get("location") ?? "")?.[1]);
    expect(orgId).toBeGreaterThan(0);
    const added = await postForm(base, `/admin/organisations/${orgId}`, { intent: "add", email: contactEmail, name: "Kim Kontakt", isAdmin: "on" }, { Cookie: staff });
    expect(added.status).toBe(302);
    const raisedBefore = await goalRaised(base);

    // The contact sets the programme up: two goals, 50 % match up to 100 kr, pay code 9100, bank invoice.
    const contact = await tab({ person: "contact" });
    await signInByCookie(contact, base, contactEmail);
    await contact.goto(`${base}/partner/workplace?org=${orgId}`);
    await contact.getByRole("heading", { name: "Löneavdragsgivande", level: 1 }).waitFor();
    await contact.locator("form#workplace-programme[data-hydrated]").waitFor();
    await contact.getByLabel(/Ingen ensamhet/).check();
    await contact.getByLabel(/Ingen hemlöshet/).check();
    await contact.getByLabel("En procentsats av varje medarbetares gåva, upp till ett tak per månad").check();
    await contact.getByLabel("Matchning i procent (1–100)").fill("50");
    await contact.getByLabel("Tak per medarbetare och månad i kronor (tomt = inget tak)").fill("100");
    await contact.getByLabel("Löneutbetalningsdag (1–31)").fill("25");
    await contact.getByLabel("Löneart för avdraget i PAXml-filen").fill("9100");
    await contact.getByLabel("Antal anställda", { exact: true }).fill("40");
    await contact.getByRole("button", { name: "Spara programmet" }).click();
    await contact.getByRole("status").filter({ hasText: "Programmet är sparat." }).waitFor();

    // The poster (A4 PDF) prints the join link; the employee types what it says.
    const poster = await download(contact, "Ladda ner affisch (A4, PDF)");
    const posterText = await pdfText(new Uint8Array(poster));
    expect(posterText).toContain(company);
    expect(posterText).toContain("Ingen ensamhet");
    const printed = /https?:\/\/\S+\/workplace\/([A-Za-z0-9_-]+)/.exec(posterText);
    expect(printed, posterText).toBeTruthy();
    const code = printed![1];
    expect(await contact.getByTestId("workplace-invite-link").getAttribute("href")).toBe(printed![0]);
    const programmeId = await contact.locator('form#workplace-invite input[name="programmeId"]').inputValue();

    // The employee: the poster's link, sign in by email (a newcomer), back on the form, 150 kr to Ingen ensamhet.
    const employee = await tab({ person: "employee" });
    await employee.goto(`${base}/workplace/${code}`);
    await employee.getByText(company).first().waitFor();
    await employee.getByRole("link", { name: "Logga in och gå med" }).click();
    await employee.waitForURL(/\/login\?returnTo=/);
    await employee.getByLabel("E-postadress").fill(employeeEmail);
    await employee.getByRole("button", { name: "Skicka inloggningslänk" }).click();
    await employee.getByRole("heading", { name: "Kolla din e-post" }).waitFor();
    const signInLink = await linkFromDevMailbox(base, employeeEmail, /\/login\/verify\?token=/);
    await employee.goto(`${base}${signInLink}`);
    await employee.getByRole("button", { name: "Logga in" }).click();
    await employee.waitForURL(new RegExp(`/workplace/${code}$`));
    await employee.locator("form#workplace-join[data-hydrated]").waitFor();
    await employee.getByLabel("Ditt namn").fill("Elin Exempelsson");
    await employee.getByLabel("Belopp i kronor per månad").fill(String(PLEDGE_KR));
    await employee.getByLabel("Mål", { exact: true }).selectOption({ label: "Ingen ensamhet" });
    const month = await employee.getByLabel("Första löneperiod").inputValue();
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    await employee.getByLabel("Anställningsnummer (frivilligt)").fill(employeeNumber);
    await employee.getByLabel(/^Jag ger min arbetsgivare i uppdrag/).check();
    await employee.getByRole("button", { name: "Gå med" }).click();
    await employee.waitForURL(/\/workplace\?done=joined$/);
    await employee.getByRole("status").filter({ hasText: "Du är med!" }).waitFor();
    expect(plain(await employee.locator("main").textContent())).toContain(`${PLEDGE_KR} kr i månaden`);

    // Staff make the month's list (the job does it on the 1st; staff may make it now).
    const listed = await postForm(base, "/admin/workplace/runs", { programmeId, month }, { Cookie: staff });
    expect(listed.status).toBe(302);
    // Staff reach the same list from the employer's page (its link once pointed at a route that does not exist).
    const employerPage = await (await fetch(`${base}/admin/workplace/${orgId}`, { headers: { Cookie: staff } })).text();
    const runLink = /href="(\/[a-z/]*workplace\/runs\/\d+)"/.exec(employerPage)?.[1];
    expect(runLink, employerPage).toBeTruthy();
    expect((await fetch(`${base}${runLink}`, { headers: { Cookie: staff } })).status).toBe(200);

    // The contact opens the month's list from the programme page, downloads the PAXml file and confirms.
    await contact.goto(`${base}/partner/workplace?org=${orgId}`);
    await contact.getByRole("link", { name: /^Öppna / }).first().click();
    await contact.waitForURL(/\/partner\/workplace\/runs\/\d+$/);
    await contact.getByRole("heading", { name: `Lönelista ${month}` }).waitFor();
    const row = plain(await contact.getByRole("row").filter({ hasText: "Elin Exempelsson" }).textContent());
    expect(row).toContain(employeeNumber);
    expect(row).toContain(`${PLEDGE_KR} kr`);
    const paxml = (await download(contact, "PAXml 2.0 (lönesystem)")).toString("utf8");
    expect(paxmlSchemaErrors(paxml)).toBeNull();
    const deductions = [...paxml.matchAll(/<lonetrans postid="\d+" anstid="([^"]+)">([\s\S]*?)<\/lonetrans>/g)];
    expect(deductions).toHaveLength(1);
    expect(deductions[0][1]).toBe(employeeNumber);
    expect(deductions[0][2]).toContain("<lonart>9100</lonart>");
    expect(deductions[0][2]).toContain(`<belopp>${PLEDGE_KR}.00</belopp>`);
    await contact.getByLabel("Beloppen stämmer med lönekörningen").check();
    await contact.getByRole("button", { name: "Bekräfta och fakturera" }).click();
    await contact.waitForURL(/\?done=confirmed$/);
    const confirmed = plain(await contact.getByRole("status").filter({ hasText: "Bekräftad. Faktura" }).textContent());
    expect(confirmed).toContain(`Anställdas avdrag: ${PLEDGE_KR} kr`);
    expect(confirmed).toContain(`Arbetsgivarens matchning: ${MATCH_KR} kr`);

    // The invoice went to the employer's invoice address with its OCR number; staff import the bank's file.
    let mailId = 0;
    await expect.poll(async () => ((mailId = (await mailsTo(base, invoiceEmail))[0] ?? 0), mailId), { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    const mail = await (await fetch(`${base}/dev/mail/${mailId}`)).text();
    const ocr = /OCR-nummer (\d+)/.exec(mail)?.[1];
    expect(ocr, mail).toBeTruthy();
    expect(await goalRaised(base)).toBe(raisedBefore);
    const totalOre = BigInt((PLEDGE_KR + MATCH_KR) * 100);
    const file = encodeBgMax(bgMaxFromPayments(testSeller.bankgiro.replace("-", ""), [{ ocr: ocr!, amountOre: totalOre, date: new Date().toISOString().slice(0, 10) }]));
    const upload = new FormData();
    upload.set("file", new Blob([Buffer.from(file)], { type: "text/plain" }), "bgmax.txt");
    const imported = await fetch(`${base}/admin/invoices/import`, { method: "POST", body: upload, headers: { Cookie: staff, Origin: base }, redirect: "manual" });
    expect(imported.status).toBe(200);

    // Ingen ensamhet rose by exactly the employee's 150 kr and the employer's 75 kr.
    await expect.poll(() => goalRaised(base), { timeout: 30_000, interval: 250 }).toBe(raisedBefore + Number(totalOre));
    // The employee's page lists the month as deducted and paid.
    await employee.goto(`${base}/workplace`);
    const history = plain(await employee.locator("main").textContent());
    expect(history).toContain("Ingen ensamhet");
    expect(history).not.toContain("Inga månader är avdragna och betalda än.");
  }, 240_000);
});
