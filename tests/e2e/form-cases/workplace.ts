import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { asc, isNotNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import type { Page } from "playwright-core";
import * as schema from "~db/schema";
import { monthName } from "~/i18n/workplace-pledge";
import { monthOf } from "~/services/workplace/pledge-months";
import { postForm } from "../../setup/dev-mailbox";
import { openFollowed, staffSession, visit, type FormCase } from "./types";

/** Staff's payroll giving page of the demo company (issue 13 item 1), from the list at /admin/workplace. */
const workplacePage = (lang: "sv" | "en", employer = "Demoföretaget Exempel AB") => (page: Page, base: string) =>
  openFollowed(page, base, `workplace ${employer} ${lang}`, async (page) => {
    await visit(page, `${base}/admin/workplace`);
    const href = await page.getByRole("link", { name: employer, exact: true }).getAttribute("href");
    // ?lang= picks the page's language for that request only: it goes on the programme page's own address.
    await visit(page, `${base}${href}${lang === "en" ? "?lang=en" : ""}`);
    await page.getByRole("heading", { level: 1, name: employer }).waitFor();
  });

/** The demo employer with a running programme (db/demo/workplace.ts), whose page shows the join link. */
const demoEmployer = "Demo: Exempelverkstaden AB";

/**
 * This month's payroll list of the demo employer, as its contact sees it. The demo confirms only the
 * three months before; the job lists this month on the 1st, so staff make (or make again) the draft
 * first, as /admin/workplace/runs posts it. A refused confirmation writes nothing: the list stays a draft.
 */
const confirmPage = async (page: Page, base: string) => {
  const staff = await staffSession(base);
  const runs = await (await fetch(`${base}/admin/workplace/runs`, { headers: { Cookie: staff } })).text();
  const programmeId = /<option value="(\d+)">Demo: Exempelverkstaden AB<\/option>/.exec(runs)?.[1];
  if (!programmeId) throw new Error("the demo employer is not among /admin/workplace/runs' programmes");
  const month = monthOf(new Date());
  const made = await postForm(base, "/admin/workplace/runs", { programmeId, month: month.slice(0, 7) }, { Cookie: staff });
  if (made.status !== 302) throw new Error(`making this month's list answered ${made.status}`);
  await visit(page, `${base}/partner/workplace`);
  await page.getByRole("link", { name: `Öppna ${monthName(month, "sv")}`, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: `Lönelista ${month.slice(0, 7)}` }).waitFor();
};

/**
 * The demo employer's join page (/workplace/<code>): the demo programme has a live code (db/demo/workplace.ts),
 * whose link staff see on the programme's page. Followed by path only (the link has the app's own address).
 */
const joinPage = (page: Page, base: string) =>
  openFollowed(page, base, "workplace join", async (page) => {
    await workplacePage("sv", demoEmployer)(page, base);
    const url = new URL((await page.getByTestId("workplace-invite-link").getAttribute("href"))!);
    await visit(page, `${base}${url.pathname}`);
  });

/**
 * The demo data has no payroll invoice paid short (every demo month is paid in full), so the resolve form on
 * /admin/workplace/<org> has nothing to show. One is flagged in the server's PGlite before the server starts
 * (one process at a time), as reconcile.server.ts flags an invoice left short after its due date under the demo
 * employer's rule `ask_staff`: the demo employer's first payroll invoice, 100 kr short. Only the flag is
 * written; the invoice itself is not touched.
 */
export async function flagUnderpaidInvoice(dataDir: string): Promise<void> {
  const client = new PGlite(path.join(dataDir, "pglite"));
  try {
    const db = drizzle(client, { schema });
    const [invoice] = await db
      .select({ id: schema.invoices.id, number: schema.invoices.number, totalOre: schema.invoices.totalOre })
      .from(schema.invoices)
      .where(isNotNull(schema.invoices.payrollRunId))
      .orderBy(asc(schema.invoices.id))
      .limit(1);
    if (!invoice) throw new Error("the demo data has no payroll invoice");
    const paidOre = invoice.totalOre - 10_000n;
    await db.insert(schema.paymentAnomalies).values({
      paymentId: null,
      kind: "invoice_underpaid",
      objectId: `invoice:${invoice.id}:${paidOre}`,
      details: { invoiceId: invoice.id, number: invoice.number?.toString() ?? null, totalOre: invoice.totalOre.toString(), paidOre: paidOre.toString(), shortOre: "10000", rule: "ask_staff" },
    });
  } finally {
    await client.close();
  }
}

/** Workplace giving (issue 13). Owned by wjourney: join, change, programme, confirm. */
export const cases: FormCase[] = [
  { name: "workplace programme: match over 100 %", persona: "admin", open: workplacePage("sv"), field: "Matchning i procent (1–100)", fill: "101", submit: "Spara programmet", message: "Skriv en hel procentsats från 1 till 100." },
  { name: "workplace programme: headcount 0", persona: "admin", open: workplacePage("sv"), field: "Antal anställda", fill: "0", submit: "Spara programmet", message: "Skriv antalet anställda som ett helt tal, 1 eller fler." },
  { name: "workplace programme (en): negative cap", persona: "admin", open: workplacePage("en"), field: "Cap per employee and month in kronor (empty = no cap)", fill: "-5", submit: "Save the programme", message: "Type the cap as an amount in kronor, 0 or more." },
  { name: "workplace change: amount under the minimum", persona: "employee", open: "/workplace", field: "Belopp i kronor per månad", fill: "10", submit: "Spara ändringen", message: "Det minsta beloppet i det här programmet är 50 kr i månaden." },
  {
    name: "workplace payroll list: a reported amount that is not kronor",
    persona: "payroll",
    open: confirmPage,
    field: "Faktiskt draget (kr): Demo Alva Anställd",
    fill: "tvåhundra",
    // Ticked, so the server (JavaScript off) gets as far as the amounts.
    act: (page) => page.getByLabel("Beloppen stämmer med lönekörningen").check(),
    submit: "Bekräfta och fakturera",
    message: "Skriv ett belopp i kronor, 0 eller mer, till exempel 250 eller 187,50.",
  },
  { name: "payroll lists (staff): not a month", persona: "admin", open: "/admin/workplace/runs", field: "Månad (ÅÅÅÅ-MM)", fill: "13/2026", submit: "Gör listan (igen)", message: "Skriv månaden som ÅÅÅÅ-MM, till exempel 2026-12." },
  { name: "workplace join link: a last day in the past", persona: "admin", open: workplacePage("sv", demoEmployer), form: "workplace-invite", field: "Sista giltighetsdag (ÅÅÅÅ-MM-DD, tomt = ingen)", fill: "2020-01-01", submit: "Spara giltighetstid", message: "Datumet har redan passerat. Välj i dag eller senare." },
  {
    name: "ask-staff flag: resolved without a note",
    persona: "admin",
    open: workplacePage("sv", demoEmployer),
    field: "Anteckning",
    fill: "",
    submit: "Markera som löst",
    message: "Skriv vad som har gjorts, till exempel att arbetsgivaren betalar resten med nästa faktura.",
  },
  { name: "workplace join: empty name", persona: "admin", open: joinPage, field: "Ditt namn", fill: "", submit: "Gå med", message: "Skriv ditt namn som arbetsgivaren känner dig under." },
];
