import { readFileSync } from "node:fs";
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { bgmaxImports, bgmaxPayments, invoiceLines, invoices, ledgerEntries, payments } from "~db/schema";
import { bgmaxImportMessages, bgmaxUnmatchedMessages } from "~/i18n/bgmax";
import { anonymousActor, SignInRequired, type Actor, type ServiceContext } from "~/services/context";
import { Conflict, Forbidden } from "~/services/errors";
import { bgMaxFromPayments, encodeBgMax, writeBgMax } from "~/services/invoices/bgmax-writer";
import { importBgMaxFile } from "~/services/invoices/bgmax-import.server";
import { listBgMaxToResolve, resolveBgMaxPayment } from "~/services/invoices/bgmax-import-resolve.server";
import { buildOcr } from "~/services/invoices/ocr";
import { attempt } from "~/utils/http.server";
import { createOrganisation } from "../factories";
import { goalIdsBySlug, ledgerTotal, usePaymentEnv } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";

const example = new Uint8Array(readFileSync(new URL("../fixtures/bgmax-exempel.txt", import.meta.url)));
const staff: Actor = { kind: "person", personId: 1, email: "ekonomi@example.org", name: "Eva Ekonom", roles: ["fundraiser"], organisations: [] };
const donor: Actor = { kind: "person", personId: 2, email: "givare@example.org", name: null, roles: [], organisations: [] };

/** An issued bank invoice (status sent, number and OCR), straight into the tables: what the invoices service leaves. */
// Due a month from today, so a part payment stays "partly paid" (not "overdue") whenever the suite runs.
const dueDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

async function issued(db: Db, organisationId: number, number: number, lines: { amountOre: bigint; goalId: number | null }[]) {
  const total = lines.reduce((s, l) => s + l.amountOre, 0n);
  const [inv] = await db
    .insert(invoices)
    .values({ organisationId, number: BigInt(number), issueDate: "2026-11-01", dueDate, buyerName: "Bygg AB", buyerEmail: "f@bygg.example", totalOre: total, status: "sent", ocrReference: buildOcr(number) })
    .returning();
  await db.insert(invoiceLines).values(lines.map((l, i) => ({ invoiceId: inv.id, position: i + 1, text: `Rad ${i + 1}`, amountOre: l.amountOre, goalId: l.goalId })));
  return inv;
}

async function invoiceState(db: Db, id: number) {
  const [row] = await db.select({ status: invoices.status, paidOre: invoices.paidOre }).from(invoices).where(eq(invoices.id, id));
  return row;
}

async function tableCounts(db: Db) {
  const [[i], [p], [l], [pay]] = await Promise.all([
    db.select({ n: count() }).from(bgmaxImports),
    db.select({ n: count() }).from(bgmaxPayments),
    db.select({ n: count() }).from(ledgerEntries),
    db.select({ n: count() }).from(payments),
  ]);
  return { imports: i.n, bgmaxPayments: p.n, ledger: l.n, payments: pay.n };
}

describe.each(dbTargets)("BgMax import (%s)", (target) => {
  const t = useTestDatabase(target);
  const ctx = (actor: Actor = staff, locale: "sv" | "en" = "sv"): ServiceContext => ({ db: t.db, actor, locale });
  usePaymentEnv();

  it("refuses anyone but staff, before reading the file", async () => {
    await expect(importBgMaxFile(ctx(anonymousActor), { bytes: example })).rejects.toBeInstanceOf(SignInRequired);
    await expect(importBgMaxFile(ctx(donor), { bytes: example })).rejects.toBeInstanceOf(Forbidden);
    await expect(importBgMaxFile(ctx({ kind: "system", name: "job" }), { bytes: example })).rejects.toBeInstanceOf(SignInRequired);
    await expect(listBgMaxToResolve(ctx(donor))).rejects.toBeInstanceOf(Forbidden);
    await expect(resolveBgMaxPayment(ctx(donor), { id: "1", action: "handled", note: "x" })).rejects.toBeInstanceOf(Forbidden);
    expect((await tableCounts(t.db)).imports).toBe(0);
  });

  it("imports the example file: a full payment pays its invoice, a partial one part of another, a text reference waits for staff", async () => {
    const org = await createOrganisation(t.db);
    const goals = await goalIdsBySlug(t.db);
    const g1 = [...goals.values()][0].id;
    const g2 = [...goals.values()][1].id;
    // OCR 1000173 and 1000272 are the example's references (invoice numbers 10001 and 10002).
    const a = await issued(t.db, org.id, 10001, [{ amountOre: 15_000n, goalId: g1 }, { amountOre: 10_000n, goalId: g2 }]);
    const b = await issued(t.db, org.id, 10002, [{ amountOre: 30_000n, goalId: g2 }]);
    const ledgerBefore = await ledgerTotal(t.db);

    const summary = await importBgMaxFile(ctx(), { fileName: "bgmax-exempel.txt", bytes: example });
    expect(summary).toMatchObject({ fileCreatedAt: "2026-11-24T06:30:00.123456", deposits: 1, payments: 3, totalOre: 40_000n, bookedOre: 35_000n, matched: 1, partial: 1, overpaid: 0, unmatched: 1, duplicates: 0, toResolve: 2 });
    expect(await invoiceState(t.db, a.id)).toEqual({ status: "paid", paidOre: 25_000n });
    expect(await invoiceState(t.db, b.id)).toEqual({ status: "partly_paid", paidOre: 10_000n });
    // Invoice A's lines reached their goals through the core; B's 100 kr went to its one goal.
    expect((await ledgerTotal(t.db)) - ledgerBefore).toBe(35_000n);
    const byGoal = await t.db
      .select({ goalId: ledgerEntries.goalId, sum: sql<string>`sum(${ledgerEntries.amountOre})::text` })
      .from(ledgerEntries)
      .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
      .where(sql`${payments.method} = 'bankgiro'`)
      .groupBy(ledgerEntries.goalId);
    expect(Object.fromEntries(byGoal.map((r) => [r.goalId, BigInt(r.sum)]))).toEqual({ [g1]: 15_000n, [g2]: 20_000n });

    const waiting = await listBgMaxToResolve(ctx());
    expect(waiting.payments.map((p) => [p.outcome, p.reason, p.openOre])).toEqual([
      ["partial", null, "0"],
      ["unmatched", "invalid_reference", "5000"],
    ]);
  });

  it("the same file again pays nothing twice and says when and by whom it was imported", async () => {
    const before = await tableCounts(t.db);
    const ledgerBefore = await ledgerTotal(t.db);
    await expect(importBgMaxFile(ctx(), { bytes: example })).rejects.toBeInstanceOf(Conflict);
    const answer = (await attempt("sv", () => importBgMaxFile(ctx(), { bytes: example }), { messages: bgmaxImportMessages })) as unknown as {
      init: { status: number };
      data: { fieldErrors: Record<string, string> };
    };
    expect(answer.init.status).toBe(409);
    // When it was imported (today, in Stockholm's time), by whom.
    expect(answer.data.fieldErrors.file).toMatch(/^Filen är redan inläst \d+ [a-zåäö]+\.? \d{4} \d\d:\d\d av Eva Ekonom\./);
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await ledgerTotal(t.db)).toBe(ledgerBefore);
  });

  it("a file generated from invoices is matched; another file repeating its payments books only what is new", async () => {
    const org = await createOrganisation(t.db);
    const goal = [...(await goalIdsBySlug(t.db)).values()][2].id;
    const c = await issued(t.db, org.id, 20001, [{ amountOre: 100_000n, goalId: goal }]);
    const d = await issued(t.db, org.id, 20002, [{ amountOre: 40_000n, goalId: null }]);
    const e = await issued(t.db, org.id, 20003, [{ amountOre: 70_000n, goalId: goal }]);
    const first = [
      { ocr: c.ocrReference!, amountOre: 100_000n, date: "2026-12-01" },
      { ocr: d.ocrReference!, amountOre: 50_000n, date: "2026-12-01" }, // 100 kr too much
    ];
    const fileA = bgMaxFromPayments("9001231", first);
    const ledger0 = await ledgerTotal(t.db);
    const a = await importBgMaxFile(ctx(), { bytes: encodeBgMax(fileA) });
    expect(a).toMatchObject({ matched: 1, overpaid: 1, bookedOre: 140_000n, toResolve: 1 });
    expect(await invoiceState(t.db, d.id)).toEqual({ status: "paid", paidOre: 40_000n });
    expect((await ledgerTotal(t.db)) - ledger0).toBe(140_000n);

    // Another file that repeats those payments (same dates, serials, references, amounts) and adds one.
    const fileB = bgMaxFromPayments("9001231", [...first, { ocr: e.ocrReference!, amountOre: 70_000n, date: "2026-12-02" }]);
    const b = await importBgMaxFile(ctx(), { bytes: encodeBgMax(fileB) });
    expect(b).toMatchObject({ payments: 3, duplicates: 2, matched: 1, overpaid: 0, bookedOre: 70_000n });
    expect(await invoiceState(t.db, c.id)).toEqual({ status: "paid", paidOre: 100_000n });
    expect((await ledgerTotal(t.db)) - ledger0).toBe(210_000n);

    // The overpayment's 100 kr: too much for invoice E's nothing-left, so refused; then booked as a gift.
    const waiting = (await listBgMaxToResolve(ctx())).payments.find((p) => p.outcome === "overpaid")!;
    expect(waiting.openOre).toBe("10000");
    const tooMuch = (await attempt("sv", () => resolveBgMaxPayment(ctx(), { id: waiting.id, action: "invoice", invoiceId: String(e.id) }), { messages: bgmaxUnmatchedMessages })) as unknown as {
      init: { status: number };
      data: { fieldErrors: Record<string, string> };
    };
    expect([tooMuch.init.status, tooMuch.data.fieldErrors.invoiceId]).toEqual([400, "Fakturan är inte öppen för betalning."]);
    await resolveBgMaxPayment(ctx(), { id: waiting.id, action: "gift" });
    expect((await ledgerTotal(t.db)) - ledger0).toBe(220_000n);
    const [{ key }] = await t.db.select().from(bgmaxPayments).where(eq(bgmaxPayments.id, BigInt(waiting.id)));
    const [gift] = await t.db.select().from(payments).where(and(eq(payments.reference, key), eq(payments.channel, "one_off_gift")));
    expect(gift).toMatchObject({ status: "paid", goalId: null, amountOre: 10_000n, method: "bankgiro", channel: "one_off_gift" });
    await expect(resolveBgMaxPayment(ctx(), { id: waiting.id, action: "gift" })).rejects.toBeInstanceOf(Conflict);
    expect((await ledgerTotal(t.db)) - ledger0).toBe(220_000n);
  });

  it("refuses a broken file whole: nothing written, the line named", async () => {
    const org = await createOrganisation(t.db);
    const inv = await issued(t.db, org.id, 30001, [{ amountOre: 5_000n, goalId: null }]);
    const good = bgMaxFromPayments("9001231", [{ ocr: inv.ocrReference!, amountOre: 5_000n, date: "2026-12-03" }]);
    const lines = good.split("\r\n");
    const broken = {
      // The payment on line 3 is fine; the deposit total on line 4 is not.
      tooLong: lines.map((l, i) => (i === 3 ? `${l}X` : l)).join("\r\n"),
      noEnd: lines.filter((l) => !l.startsWith("70")).join("\r\n"),
      noStart: lines.slice(1).join("\r\n"),
      euro: good.replace(/SEK/g, "EUR"),
    };
    const before = await tableCounts(t.db);
    const texts: Record<string, string> = {};
    for (const [name, text] of Object.entries(broken)) {
      const answer = (await attempt("en", () => importBgMaxFile(ctx(staff, "en"), { bytes: encodeBgMax(text) }), { messages: bgmaxImportMessages })) as unknown as {
        init: { status: number };
        data: { fieldErrors: Record<string, string> };
      };
      expect(answer.init.status, name).toBe(400);
      texts[name] = answer.data.fieldErrors.file;
    }
    expect(texts.tooLong).toBe("The file was not imported: Line 4 is longer than 80 characters. The file is not a BgMax file or has been changed. Nothing was booked.");
    for (const text of Object.values(texts)) expect(text).toMatch(/^The file was not imported: .+ Nothing was booked\.$/);
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await invoiceState(t.db, inv.id)).toEqual({ status: "sent", paidOre: 0n });
    const empty = (await attempt("sv", () => importBgMaxFile(ctx(), { bytes: null }), { messages: bgmaxImportMessages })) as unknown as { init: { status: number }; data: { fieldErrors: Record<string, string> } };
    expect([empty.init.status, empty.data.fieldErrors.file]).toEqual([400, "Välj en BgMax-fil att ladda upp."]);
  });

  it("staff resolve by hand: a note is needed to mark handled; a deduction cannot become a gift", async () => {
    const text = writeBgMax({
      payeeBankgiro: "9001231",
      createdAt: "2026-12-05T06:30:00",
      deposits: [{ date: "2026-12-05", payments: [{ amountOre: 9_000n, reference: "TACK FÖR ALLT", payerName: "Kalle" }, { amountOre: 2_000n, kind: "deduction", reference: "KREDIT 7" }] }],
    });
    await importBgMaxFile(ctx(), { bytes: encodeBgMax(text) });
    const list = (await listBgMaxToResolve(ctx())).payments;
    const deduction = list.find((p) => p.kind === "deduction")!;
    const noRef = list.find((p) => p.reference === "TACK FÖR ALLT")!;
    expect(noRef.payerName).toBe("Kalle");
    await expect(resolveBgMaxPayment(ctx(), { id: deduction.id, action: "gift" })).rejects.toMatchObject({ fieldErrors: { action: "resolve_deduction" } });
    await expect(resolveBgMaxPayment(ctx(), { id: noRef.id, action: "handled", note: "  " })).rejects.toMatchObject({ fieldErrors: { note: "resolve_note_required" } });
    await resolveBgMaxPayment(ctx(), { id: deduction.id, action: "handled", note: "Kreditfaktura 7 kvittad" });
    await resolveBgMaxPayment(ctx(), { id: noRef.id, action: "handled", note: "Återbetald till Kalle" });
    const [row] = await t.db.select().from(bgmaxPayments).where(eq(bgmaxPayments.id, BigInt(noRef.id)));
    expect(row).toMatchObject({ resolution: "handled", note: "Återbetald till Kalle", resolvedBy: "staff:ekonomi@example.org" });
    expect((await listBgMaxToResolve(ctx())).payments.map((p) => p.id)).not.toContain(noRef.id);
  });
});
