import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { ProgrammeForm } from "~/components/workplace/programme-form";
import { ProgrammeInvite } from "~/components/workplace/programme-invite";
import { ProgrammeOverview } from "~/components/workplace/programme-overview";
import { RunConfirmedNotice } from "~/components/workplace/run-notice";
import { UnderpaidFlags } from "~/components/workplace/underpaid-flags";
import type { EmployerOverview } from "~/services/workplace/employer.server";

const overview: EmployerOverview = {
  programmeId: 1,
  statedHeadcount: 10,
  pledgers: null,
  participationPercent: null,
  totals: [{ month: "2026-10-01", goalId: 3, goalNumber: 3, goalTitle: "Ingen ensamhet", amountOre: "40000", people: 3 }],
  totalsHidden: true,
  match: [{ month: "2026-10-01", matchOre: "25000" }],
  matchUsedThisYearOre: "40000",
  runs: [
    { id: 7, month: "2026-11-01", status: "draft", employeesOre: "45000", matchOre: "22500", invoiceId: null },
    { id: 6, month: "2026-09-01", status: "confirmed", employeesOre: null, matchOre: null, invoiceId: 9 },
  ],
  invoices: [{ id: 9, runId: 6, month: "2026-09-01", number: "1001", status: "paid", totalOre: "45000", paidOre: "45000", dueDate: "2026-10-30", carriedToNumber: null }],
};

/** Badges read the root route's data, so the view renders inside a (memory) data router as on the page. */
const render = (element: ReactElement) => renderToStaticMarkup(<RouterProvider router={createMemoryRouter([{ id: "root", path: "/", element }])} />);

/** The employer view's markup (issue 13 item 7): hidden figures say so (never 0), runs link to their payroll list. */
describe("the employer view's rendering", () => {
  it("says what is hidden, shows the rest and links each run to its list", () => {
    const html = render(<ProgrammeOverview overview={overview} locale="sv" runHref={(id) => `/partner/workplace/runs/${id}`} />).replace(/[\u00a0\u202f]/g, " ");
    expect(html).toContain("Visas inte (färre än 3)");
    expect(html).toContain("400 kr");
    expect(html).toContain("Ingen ensamhet");
    expect(html).toContain('href="/partner/workplace/runs/7"');
    expect(html).toContain("Rader med färre än tre personer visas inte");
    expect(html).toContain("1001");
    const en = render(<ProgrammeOverview overview={{ ...overview, pledgers: 4, participationPercent: 40 }} locale="en" runHref={(id) => `/x/${id}`} />);
    expect(en).toContain("Participation");
    expect(en).toContain("40 %");
  });
});

describe("the join link and the programme form's rendering", () => {
  const programme = {
    id: 4, organisationId: 2, organisationName: "Exempel AB", status: "active" as const, goalIds: [3], perMilleOffered: false, matchMode: "percent" as const, matchPercent: 50,
    matchCapOre: "20000", matchPotOre: null, payrollDay: 25, payrollContactPersonId: null, payCode: "9100", paymentMethod: "bank" as const, statedHeadcount: 40,
    minimumOre: "5000", differenceRule: "ask_staff" as const, demo: false, invite: { code: "abcdefghjk", expiresOn: "2026-12-31" },
  };
  it("shows the link, its last day and the poster; the form starts from the saved settings", () => {
    const invite = render(<ProgrammeInvite programme={programme} appUrl="https://lokala.example" result={undefined} locale="sv" />).replace(/[\u00a0\u202f]/g, " ");
    expect(invite).toContain('href="https://lokala.example/workplace/abcdefghjk"');
    expect(invite).toContain('href="/workplace/abcdefghjk/poster?lang=sv"');
    expect(invite).toContain("Gäller till och med 31 december 2026");
    const form = render(<ProgrammeForm setup={{ programme, goals: [{ id: 3, number: 3, title: "Ingen ensamhet" }, { id: 1, number: 1, title: "Ingen hemlöshet" }], contacts: [], staff: false }} result={undefined} locale="sv" />).replace(/[\u00a0\u202f]/g, " ");
    expect(form).toMatch(/<input[^>]*value="3"[^>]*checked|<input[^>]*checked[^>]*value="3"/);
    expect(form).not.toMatch(/<input[^>]*value="1"[^>]*checked/);
    expect(form).toContain('value="200"');
    expect(form).toContain("Minsta månadsbelopp: 50 kr");
    expect(form).not.toContain('name="minimum"');
  });
});

describe("a confirmed month's notice on its payroll list", () => {
  const run = { invoiceId: 9, invoiceNumber: "1002", invoiceStatus: "sent", employeesOre: "20000", matchOre: "0" };
  const text = (differenceOre: string | null, locale: "sv" | "en" = "sv") => renderToStaticMarkup(<RunConfirmedNotice run={{ ...run, differenceOre }} locale={locale} />).replace(/[\u00a0\u202f]/g, " ");
  it("says by how much and why the invoice differs from the month (difference_ore), and nothing when it does not", () => {
    expect(text("8000")).toContain("Skillnad mot förra månaderna: +80 kr (kvar att betala från tidigare faktura läggs på denna).");
    expect(text("-8000")).toContain("Skillnad mot förra månaderna: −80 kr (för mycket betalt tidigare räknas av).");
    expect(text("-8000", "en")).toContain("Difference from earlier months: −80 kr (an earlier overpayment is deducted).");
    expect(text("0")).not.toContain("Skillnad");
    expect(text("0")).toContain("Faktura 1002, skickad.");
    expect(text("0", "en")).toContain("Invoice 1002, sent.");
    expect(renderToStaticMarkup(<RunConfirmedNotice run={{ ...run, invoiceStatus: "partly_paid", differenceOre: null }} locale="sv" />)).toContain("Faktura 1002, delvis betald.");
  });
});

describe("staff's list of invoices paid short", () => {
  it("offers a note and 'Mark resolved' for an open flag, shows who resolved one and why, and the refusal next to its note", () => {
    const flags = [
      { id: "5", at: "2026-12-27T08:00:00.000Z", invoiceId: 9, invoiceNumber: "1002", paidOre: "12000", shortOre: "8000", resolved: null },
      { id: "4", at: "2026-11-27T08:00:00.000Z", invoiceId: 8, invoiceNumber: "1001", paidOre: "1000", shortOre: "500", resolved: { at: "2026-12-01T09:00:00.000Z", by: "staff:a@example.se", note: "Betalt i januari" } },
    ];
    const html = render(<UnderpaidFlags flags={flags} result={{ message: "x", fieldErrors: { note: "Skriv vad som har gjorts." }, values: { intent: "resolve", anomalyId: "5", note: "" } }} locale="sv" />).replace(/[\u00a0\u202f]/g, " ");
    expect(html).toContain("Fakturor betalda med för lite");
    expect(html).toContain('name="anomalyId" value="5"');
    expect(html).not.toContain('name="anomalyId" value="4"');
    expect(html).toContain("Markera som löst");
    expect(html).toContain("80 kr");
    // The author as staff read it (authorLabel): the email, without the stored `staff:` prefix.
    expect(html).toMatch(/Löst .* av a@example.se: Betalt i januari/);
    expect(html).not.toContain("staff:a@example.se");
    expect(html).toMatch(/id="flag-note-5"[^>]*aria-invalid="true"/);
    expect(html).toContain("Skriv vad som har gjorts.");
  });
});
