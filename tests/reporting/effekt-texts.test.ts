import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { effektTexts } from "~db/schema";
import { EffektDraft } from "~/components/reports/yearly-report";
import { action as effektAction, loader as effektLoader } from "~/routes/admin.reports.$year_.effekt";
import { SignInRequired, type ServiceContext } from "~/services/context";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { effektDraft } from "~/services/reports/effekt";
import { effektTextsForm, saveEffektTexts } from "~/services/reports/effekt-texts.server";
import { yearlyReportPdf } from "~/services/reports/report-pdf.server";
import { yearlyReport } from "~/services/reports/yearly.server";
import { EFFEKT_TEXT_MAX } from "~/validation/impact";
import { createPerson, createStaff } from "../factories";
import { cookieFor } from "../identity/helpers";
import { pdfText } from "../invoices/helpers";
import { anonymousContext, personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

/**
 * The effektrapport draft's own texts (issue 14 item 4): staff write a text per section and year; the
 * yearly report page and its PDF show it under the question, for all goals and for one, instead of the
 * "for staff to write" prompt. The texts here are made up for the test, never the charity's.
 */
type Failure = { init: { status: number }; data: { fieldErrors: Record<string, string> } };

describe.each(dbTargets)("effektrapport texts per section and year (%s)", (target) => {
  const t = useTestDatabase(target);
  let staff: ServiceContext;
  const saved = async () => Number((await t.db.select({ n: count() }).from(effektTexts))[0].n);
  const blank = { aim: "", strategies: "", capacity: "", progress: "", achieved: "" };

  beforeAll(async () => {
    const person = await createStaff(t.db, "fundraiser");
    staff = personContext(t.db, { id: person.id, email: person.email, roles: ["fundraiser"] });
  });

  it("is staff only, and refuses a too long text or an impossible year next to the field with nothing written", async () => {
    const outsider = personContext(t.db, { id: (await createPerson(t.db)).id });
    await expect(saveEffektTexts(anonymousContext(t.db), { year: "2025", ...blank, aim: "x" })).rejects.toBeInstanceOf(SignInRequired);
    await expect(saveEffektTexts(outsider, { year: "2025", ...blank, aim: "x" })).rejects.toBeInstanceOf(Forbidden);
    await expect(effektTextsForm(outsider, "2025")).rejects.toBeInstanceOf(Forbidden);
    const long = await saveEffektTexts(staff, { year: "2025", ...blank, aim: "Testtext", achieved: "x".repeat(EFFEKT_TEXT_MAX + 1) }).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(Invalid);
    expect((long as Invalid).fieldErrors).toEqual({ achieved: "too_long" });
    const year = await saveEffektTexts(staff, { year: "1999", ...blank, aim: "Testtext" }).catch((e: unknown) => e);
    expect((year as Invalid).fieldErrors).toEqual({ year: "year_invalid" });
    await expect(effektTextsForm(staff, "20x5")).rejects.toBeInstanceOf(NotFound);
    expect(await saved()).toBe(0);
  });

  it("shows a section's saved text in the report page and the PDF, for all goals and one goal; another year keeps the prompt", async () => {
    await saveEffektTexts(staff, { year: "2025", ...blank, aim: "Testmål: ingen ska vara ensam.\n\nAndra stycket om testmålet.", achieved: "Testresultat skrivet av personalen." });
    for (const goalSlug of [null, "ingen-ensamhet"]) {
      const report = await yearlyReport(staff, { year: "2025", goalSlug });
      const draft = effektDraft(report, "sv");
      const section = (key: string) => draft.find((s) => s.key === key)!;
      expect(section("aim").staffText).toBe("Testmål: ingen ska vara ensam.\n\nAndra stycket om testmålet.");
      expect(section("achieved").staffText).toBe("Testresultat skrivet av personalen.");
      expect(section("strategies").staffText).toBe("");

      const html = renderToStaticMarkup(createElement(EffektDraft, { sections: draft, locale: "sv" }));
      expect(html).toContain("<p>Testmål: ingen ska vara ensam.</p><p>Andra stycket om testmålet.</p>");
      expect(html).toContain("Organisationens text");
      // The prompt stays only where nothing is written: three of the five sections.
      expect(html.split("Att skriva för personalen").length - 1).toBe(3);

      const text = (await pdfText((await yearlyReportPdf(staff, { year: "2025", goalSlug })).content)).replace(/\s+/g, " ");
      expect(text).toContain("Organisationens text Testmål: ingen ska vara ensam. Andra stycket om testmålet.");
      expect(text).toContain("Testresultat skrivet av personalen.");
    }
    const other = effektDraft(await yearlyReport(staff, { year: "2024" }), "sv");
    expect(other.every((s) => s.staffText === "")).toBe(true);
  });

  it("saving again replaces changed sections, removes emptied ones and leaves unchanged ones as they were", async () => {
    const before = await t.db.select().from(effektTexts).where(eq(effektTexts.section, "achieved"));
    const result = await saveEffektTexts(staff, { year: "2025", ...blank, aim: "Ny testtext.", achieved: "Testresultat skrivet av personalen." });
    expect(result.changed).toEqual(["aim"]);
    const texts = (await effektTextsForm(staff, "2025")).values;
    expect(texts).toMatchObject({ year: "2025", aim: "Ny testtext.", achieved: "Testresultat skrivet av personalen.", strategies: "" });
    const after = await t.db.select().from(effektTexts).where(eq(effektTexts.section, "achieved"));
    expect(after[0].updatedAt.toISOString()).toBe(before[0].updatedAt.toISOString());
    await saveEffektTexts(staff, { year: "2025", ...blank, aim: "Ny testtext." });
    expect(await t.db.select({ section: effektTexts.section }).from(effektTexts)).toEqual([{ section: "aim" }]);
  });

  it("through the page: the year comes from the address, a refusal is a 400 with the message next to the field in Swedish", async () => {
    const person = await createStaff(t.db, "fundraiser");
    const cookie = await cookieFor(t.db, person.id);
    const request = (body: Record<string, string>, headers: Record<string, string> = { Cookie: cookie }) =>
      new Request("http://127.0.0.1:3999/admin/reports/2026/effekt", { method: "POST", body: new URLSearchParams(body), headers: { Origin: "http://127.0.0.1:3999", ...headers } });
    const args = { params: { year: "2026" }, context: {} };
    const refused = (await effektAction({ request: request({ year: "2026", ...blank, progress: "x".repeat(EFFEKT_TEXT_MAX + 1) }), ...args })) as unknown as Failure;
    expect(refused.init.status).toBe(400);
    expect(refused.data.fieldErrors).toEqual({ progress: "Texten är för lång." });
    const signedOut = await effektAction({ request: request({ ...blank, aim: "x" }, {}), ...args }).catch((e: unknown) => e);
    expect((signedOut as Response).status).toBe(302);
    expect(await t.db.select().from(effektTexts).where(eq(effektTexts.year, 2026))).toEqual([]);

    const done = (await effektAction({ request: request({ year: "1999", ...blank, progress: "Testuppföljning." }), ...args })) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([302, "/admin/reports/2026/effekt?done=saved"]);
    const page = (await effektLoader({ request: new Request("http://127.0.0.1:3999/admin/reports/2026/effekt", { headers: { Cookie: cookie } }), ...args })) as { year: number; values: Record<string, string> };
    expect([page.year, page.values.progress]).toEqual([2026, "Testuppföljning."]);
  });
});
