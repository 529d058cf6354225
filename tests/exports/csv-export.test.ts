import { describe, expect, it } from "vitest";
import { donorConsents, ledgerEntries, payments } from "~db/schema";
import { SignInRequired } from "~/services/context";
import { Forbidden, Invalid } from "~/services/errors";
import { exportConsentingDonors, exportCsv } from "~/services/exports/csv-export.server";
import { readAll } from "~/services/exports/stream.server";
import { createPerson, createStaff, goalId } from "../factories";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

/**
 * CSV exports (issue 14 item 5): the period's payments and ledger entries in Swedish days, Excel's
 * form (BOM, `;`, CRLF, decimal comma), and the donor list with only those whose consent is in force.
 */
const rowsOf = (bytes: Buffer) => {
  const text = bytes.toString("utf8");
  expect(text.startsWith("\ufeff")).toBe(true);
  expect(text.endsWith("\r\n")).toBe(true);
  return text.slice(1, -2).split("\r\n").map((line) => line.split(";"));
};

describe.each(dbTargets)("CSV exports (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it("payments and ledger entries of a period, by Swedish day; donors only with a consent in force", async () => {
    const staff = staffContext(ctx.db, (await createStaff(ctx.db)).id, "fundraiser");
    const g1 = await goalId(ctx.db, "alla-ar-trygga");
    const pay = async (at: string, amountOre: bigint, email: string, status = "paid") => {
      const [p] = await ctx.db
        .insert(payments)
        .values({ channel: "one_off_gift", status, method: "card", amountOre, goalId: g1, donorName: "=Åsa Öberg", donorEmail: email, createdAt: new Date(at), paidAt: new Date(at) })
        .returning();
      await ctx.db.insert(ledgerEntries).values({ goalId: g1, amountOre, channel: "one_off_gift", kind: "allocation", paymentId: p.id, entryKey: `alloc:${p.id}:${g1}`, createdAt: new Date(at) });
      return p.id;
    };
    const inside = await pay("2026-02-28T23:30:00Z", 12_345n, "asa@example.com");
    const outside = await pay("2026-03-31T22:30:00Z", 5_000n, "asa@example.com");

    const paymentsCsv = rowsOf(await readAll((await exportCsv(staff, "payments", { from: "2026-03-01", to: "2026-03-31" })).stream));
    expect(paymentsCsv.map((r) => r[0])).toEqual(["Id", String(inside)]);
    expect(paymentsCsv[1]).toContain("123,45");
    expect(paymentsCsv[1]).toContain("Engångsgåva");
    // A name that starts like a formula cannot run in Excel.
    expect(paymentsCsv[1]).toContain("'=Åsa Öberg");
    const ledgerCsv = rowsOf(await readAll((await exportCsv(staff, "ledger", { from: "2026-04-01", to: "2026-04-30" })).stream));
    expect(ledgerCsv.slice(1).map((r) => r[6])).toEqual([String(outside)]);
    const invoicesCsv = rowsOf(await readAll((await exportCsv(staff, "invoices", { from: "2026-03-01", to: "2026-03-31" })).stream));
    expect(invoicesCsv).toHaveLength(1);

    const consenting = await createPerson(ctx.db, { email: "asa@example.com", name: "Åsa Öberg" });
    const withdrawn = await createPerson(ctx.db, { email: "bo@example.com", name: "Bo Withdrawn" });
    await createPerson(ctx.db, { email: "cecilia@example.com", name: "Cecilia Gave" });
    await pay("2026-03-05T10:00:00Z", 10_000n, "cecilia@example.com");
    await ctx.db.insert(donorConsents).values([
      { personId: consenting.id, givenAt: new Date("2026-01-01T10:00:00Z"), source: "give_page" },
      { personId: withdrawn.id, givenAt: new Date("2026-01-01T10:00:00Z"), withdrawnAt: new Date("2026-02-01T10:00:00Z"), source: "give_page" },
    ]);
    const donors = rowsOf(await readAll((await exportConsentingDonors(staff)).stream));
    expect(donors.slice(1).map((r) => r[1])).toEqual(["asa@example.com"]);
    // Two paid gifts to that address: 123,45 + 50,00 kr.
    expect(donors[1].slice(4, 6)).toEqual(["2", "173,45"]);
  });

  it("refuses a bad period next to the field and is staff only", async () => {
    const staff = staffContext(ctx.db, (await createStaff(ctx.db)).id, "fundraiser");
    const error = await exportCsv(staff, "payments", { from: "2026-03-31", to: "2026-03-01" }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).fieldErrors).toEqual({ to: "period_reversed" });
    const outsider = personContext(ctx.db, { id: 999_999, roles: [] });
    for (const c of [anonymousContext(ctx.db), outsider]) {
      await expect(exportCsv(c, "ledger", { from: "2026-03-01", to: "2026-03-31" })).rejects.toBeInstanceOf(c === outsider ? Forbidden : SignInRequired);
      await expect(exportConsentingDonors(c)).rejects.toBeInstanceOf(c === outsider ? Forbidden : SignInRequired);
    }
  });
});
