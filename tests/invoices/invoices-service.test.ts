import { and, count, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailAttachments, emailOutbox, invoiceNumberSeries, invoices, ledgerEntries, paymentAnomalies, payments } from "~db/schema";
import { anonymousActor, SignInRequired, systemContext } from "~/services/context";
import { drainOutbox } from "~/services/email/outbox.server";
import { Conflict, Forbidden, Invalid, NotFound, ServiceError } from "~/services/errors";
import {
  createInvoiceDraft,
  creditInvoice,
  getInvoice,
  issueInvoice,
  listInvoices,
  markInvoicePaid,
  openInvoicesForMatching,
  registerInvoicePayment,
  sendInvoiceReminder,
  sendOverdueReminders,
  voidInvoice,
} from "~/services/invoices/invoices.server";
import { buildOcr } from "~/services/invoices/ocr";
import { updateCharityBankgiro } from "~/services/settings/charity-bankgiro.server";
import { goalIdsBySlug } from "../payments/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { capturingTransport, completeInvoiceSettings, ctxFor, draftInput, organisationWithContact, pdfText, staffContext, testSeller } from "./helpers";

const now = new Date("2026-11-29T10:00:00Z");

describe.each(dbTargets)("company invoices service (%s)", (target) => {
  const t = useTestDatabase(target);
  const countOf = async (table: typeof invoices | typeof payments | typeof emailOutbox | typeof ledgerEntries) => Number((await t.db.select({ n: count() }).from(table))[0].n);
  const ledgerOf = async (invoiceId: number) => {
    const [row] = await t.db
      .select({ s: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` })
      .from(ledgerEntries)
      .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
      .where(eq(payments.companyInvoiceId, invoiceId));
    return BigInt(row.s);
  };

  it("is staff only to write, and a contact reads only their own organisation's issued invoices", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org, contact } = await organisationWithContact(t.db);
    const other = await organisationWithContact(t.db);
    const anonymous = ctxFor(t.db, anonymousActor);

    await expect(createInvoiceDraft(anonymous, draftInput(org.id))).rejects.toBeInstanceOf(SignInRequired);
    await expect(createInvoiceDraft(contact, draftInput(org.id))).rejects.toBeInstanceOf(Forbidden);
    const draft = await createInvoiceDraft(staff, draftInput(org.id));
    await expect(issueInvoice(contact, draft.id)).rejects.toBeInstanceOf(Forbidden);
    // A draft is staff's work in progress: not shown to the buyer.
    await expect(getInvoice(contact, draft.id)).rejects.toBeInstanceOf(NotFound);
    await issueInvoice(staff, draft.id);
    expect((await getInvoice(contact, draft.id)).invoice.status).toBe("sent");
    await expect(getInvoice(other.contact, draft.id)).rejects.toBeInstanceOf(NotFound);
    await expect(listInvoices(contact, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(listInvoices(other.contact, { organisationId: org.id })).rejects.toBeInstanceOf(Forbidden);
    expect((await listInvoices(contact, { organisationId: org.id })).invoices.map((i) => i.id)).toEqual([draft.id]);
    await expect(markInvoicePaid(contact, draft.id, { paidOn: "2026-11-25", amount: "1000" }, now)).rejects.toBeInstanceOf(Forbidden);
    await expect(voidInvoice(contact, draft.id, { confirm: "yes" })).rejects.toBeInstanceOf(Forbidden);
    await expect(creditInvoice(anonymous, draft.id, { confirm: "yes" })).rejects.toBeInstanceOf(SignInRequired);
    await expect(updateCharityBankgiro(contact, { bankgiro: "900-1231" })).rejects.toBeInstanceOf(Forbidden);
  });

  it("refuses bad drafts with a message per field and writes nothing", async () => {
    const staff = await staffContext(t.db);
    const { org } = await organisationWithContact(t.db);
    const before = await countOf(invoices);
    const refused = async (over: Parameters<typeof draftInput>[1]) => {
      const error = await createInvoiceDraft(staff, draftInput(org.id, over)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Invalid);
      return (error as Invalid).fieldErrors ?? {};
    };
    expect(await refused({ lines: [{ text: "Avgift", amount: "-100", goal: "" }] })).toMatchObject({ "lines[0].amount": "amount_not_positive" });
    expect(await refused({ lines: [{ text: "Avgift", amount: "0", goal: "" }] })).toMatchObject({ "lines[0].amount": "amount_not_positive" });
    expect(await refused({ lines: [{ text: "Avgift", amount: "tusen", goal: "" }] })).toMatchObject({ "lines[0].amount": "amount" });
    expect(await refused({ lines: [] })).toMatchObject({ "lines[0].text": "lines_required" });
    expect(await refused({ buyerEmail: "" })).toMatchObject({ buyerEmail: "buyer_email_required" });
    expect(await refused({ buyerEmail: "inte-en-adress" })).toMatchObject({ buyerEmail: "email" });
    expect(await refused({ dueDate: "2026-11-19" })).toMatchObject({ dueDate: "due_before_issue" });
    expect(await refused({ issueDate: "2026-02-30" })).toMatchObject({ issueDate: "date" });
    expect(await refused({ total: "999" })).toMatchObject({ total: "total_mismatch" });
    expect(await refused({ buyerOrgNumber: "556677-8890" })).toMatchObject({ buyerOrgNumber: "org_number_checksum" });
    expect(await refused({ lines: [{ text: "Avgift", amount: "100", goal: "999999" }] })).toMatchObject({ "lines[0].goal": "unknown_goal" });
    expect(await refused({ organisationId: "999999" })).toMatchObject({ organisationId: "unknown_organisation" });
    expect(await countOf(invoices)).toBe(before);
    // A total typed to check that matches is fine.
    const ok = await createInvoiceDraft(staff, draftInput(org.id, { total: "1 000,00" }));
    expect(ok).toMatchObject({ status: "draft", totalOre: 100_000n, number: null, ocrReference: null });
  });

  it("does not issue a bank invoice without the bankgiro number: nothing numbered, nothing sent", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    await updateCharityBankgiro(staff, { bankgiro: "" });
    const { org } = await organisationWithContact(t.db);
    const draft = await createInvoiceDraft(staff, draftInput(org.id));
    const [seriesBefore] = await t.db.select().from(invoiceNumberSeries);
    const outboxBefore = await countOf(emailOutbox);
    const error = await issueInvoice(staff, draft.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).fieldErrors).toEqual({ bankgiro: "required" });
    expect((await getInvoice(staff, draft.id)).missingSettings).toEqual(["bankgiro"]);
    const [after] = await t.db.select().from(invoices).where(eq(invoices.id, draft.id));
    expect(after).toMatchObject({ status: "draft", number: null, ocrReference: null });
    expect((await t.db.select().from(invoiceNumberSeries))[0]).toEqual(seriesBefore);
    expect(await countOf(emailOutbox)).toBe(outboxBefore);
    // A bankgiro number that fails its check digit is refused, never stored.
    await expect(updateCharityBankgiro(staff, { bankgiro: "900-1232" })).rejects.toMatchObject({ fieldErrors: { bankgiro: "bankgiro" } });
    await completeInvoiceSettings(staff);
  });

  it("issues with consecutive numbers and OCR references and emails the PDF, which carries the OCR reference, total and bankgiro", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    const a = await createInvoiceDraft(staff, draftInput(org.id, { lines: [{ text: "Partneravgift 2027", amount: "25 000", goal: "" }, { text: "Julgåva", amount: "1 234,50", goal: "" }] }));
    const b = await createInvoiceDraft(staff, draftInput(org.id));
    const first = await issueInvoice(staff, a.id);
    const second = await issueInvoice(staff, b.id);
    expect(first.status).toBe("sent");
    expect(second.number).toBe((first.number as bigint) + 1n);
    expect(first.ocrReference).toBe(buildOcr(first.number as bigint));
    await expect(issueInvoice(staff, a.id)).rejects.toBeInstanceOf(Conflict);

    const transport = capturingTransport();
    await drainOutbox({ db: t.db, transport });
    const mail = transport.sent.find((m) => m.to === "faktura@oberg.example.se" && m.subject.includes(String(first.number)));
    expect(mail?.attachments?.map((f) => [f.filename, f.contentType])).toEqual([[`faktura-${first.number}.pdf`, "application/pdf"]]);
    const text = await pdfText(mail!.attachments![0].content);
    expect(text).toContain(first.ocrReference);
    expect(text).toContain("26 234,50 kr");
    expect(text).toContain(testSeller.bankgiro);
    expect(mail!.text).toContain(first.ocrReference);
  });

  it("decides partly paid or overdue by when the payment is registered (the caller's now), not by the machine's clock", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    // Due 2026-10-31, long past by the real clock.
    const issued = async () => issueInvoice(staff, (await createInvoiceDraft(staff, draftInput(org.id, { issueDate: "2026-10-01", dueDate: "2026-10-31" }))).id);
    const early = await issued();
    const before = await markInvoicePaid(staff, early.id, { paidOn: "2026-10-14", amount: "100" }, new Date("2026-10-15T10:00:00Z"));
    expect(before.invoice).toMatchObject({ status: "partly_paid", paidOre: 10_000n, updatedAt: new Date("2026-10-15T10:00:00Z") });
    const late = await issued();
    const after = await markInvoicePaid(staff, late.id, { paidOn: "2026-10-14", amount: "100" }, new Date("2026-11-02T10:00:00Z"));
    expect(after.invoice).toMatchObject({ status: "overdue", paidOre: 10_000n });
  });

  it("books a payment per line through the core, pro rata: partly paid, paid, then overpaid and flagged", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    const goal = [...(await goalIdsBySlug(t.db)).values()][0];
    const draft = await createInvoiceDraft(
      staff,
      draftInput(org.id, { lines: [{ text: "Läxhjälp", amount: "600", goal: String(goal.id) }, { text: "Där behovet är störst", amount: "400", goal: "" }] }),
    );
    const invoice = await issueInvoice(staff, draft.id);

    const half = await markInvoicePaid(staff, invoice.id, { paidOn: "2026-11-25", amount: "500", reference: "BANK-1" }, now);
    expect(half.invoice).toMatchObject({ status: "partly_paid", paidOre: 50_000n });
    expect(half.payments.map((p) => [p.goalId, p.amountOre, p.status, p.companyInvoiceId, p.channel, p.origin])).toEqual([
      [goal.id, 30_000n, "paid", invoice.id, "partner_fee", "bank"],
      [null, 20_000n, "paid", invoice.id, "partner_fee", "bank"],
    ]);
    expect(await ledgerOf(invoice.id)).toBe(50_000n);
    const designated = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, half.payments[0].id));
    expect(designated.map((e) => [e.goalId, e.amountOre])).toEqual([[goal.id, 30_000n]]);

    const rest = await markInvoicePaid(staff, invoice.id, { paidOn: "2026-11-26", amount: "500", reference: "BANK-2", ocr: invoice.ocrReference as string }, now);
    expect(rest.invoice).toMatchObject({ status: "paid", paidOre: 100_000n });
    const perLine = await t.db
      .select({ line: payments.companyInvoiceLineId, s: sql<string>`sum(${payments.amountOre})::text` })
      .from(payments)
      .where(eq(payments.companyInvoiceId, invoice.id))
      .groupBy(payments.companyInvoiceLineId)
      .orderBy(payments.companyInvoiceLineId);
    expect(perLine.map((r) => BigInt(r.s))).toEqual([60_000n, 40_000n]);

    const over = await markInvoicePaid(staff, invoice.id, { paidOn: "2026-11-27", amount: "10" }, now);
    expect(over.overpaidOre).toBe(1_000n);
    expect(over.invoice.status).toBe("paid");
    expect(await ledgerOf(invoice.id)).toBe(101_000n);
    const flagged = await t.db.select().from(paymentAnomalies).where(and(eq(paymentAnomalies.kind, "invoice_overpaid")));
    expect(flagged.some((a) => a.details.invoiceId === invoice.id && a.details.excessOre === "1000")).toBe(true);
    expect((await openInvoicesForMatching(t.db as never)).find((o) => o.id === invoice.id)).toEqual({ id: invoice.id, ocr: invoice.ocrReference, outstandingOre: 0n });
  });

  it("refuses bad payments next to the field and writes nothing: a void invoice, a wrong OCR, zero, a future date", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    const invoice = await issueInvoice(staff, (await createInvoiceDraft(staff, draftInput(org.id))).id);
    const paymentsBefore = await countOf(payments);
    const refusal = async (input: Parameters<typeof markInvoicePaid>[2], id = invoice.id) => {
      const error = await markInvoicePaid(staff, id, input, now).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      return error as ServiceError;
    };
    expect((await refusal({ paidOn: "2026-11-25", amount: "0" })).fieldErrors).toEqual({ amount: "amount_not_positive" });
    expect((await refusal({ paidOn: "2026-11-25", amount: "-5" })).fieldErrors).toEqual({ amount: "amount_not_positive" });
    expect((await refusal({ paidOn: "2026-12-01", amount: "5" })).fieldErrors).toEqual({ paidOn: "date_in_future" });
    expect((await refusal({ paidOn: "2026-11-25", amount: "5", ocr: "1000172" })).fieldErrors).toEqual({ ocr: "ocr_check_digit" });
    expect((await refusal({ paidOn: "2026-11-25", amount: "5", ocr: buildOcr(999_999) })).fieldErrors).toEqual({ ocr: "ocr_other_invoice" });

    const voided = await voidInvoice(staff, invoice.id, { confirm: "yes" });
    expect(voided.status).toBe("void");
    expect(voided.number).toBe(invoice.number); // the number stays used: no gap in the series
    const onVoid = await refusal({ paidOn: "2026-11-25", amount: "1000" });
    expect([onVoid.status, onVoid.message, onVoid.fieldErrors]).toEqual([409, "invoice_void", { amount: "invoice_void" }]);
    await expect(t.db.transaction((tx) => registerInvoicePayment(tx, invoice.id, { amountOre: 100n, paidAt: now, author: "bgmax:test", method: "bankgiro" }))).rejects.toBeInstanceOf(Conflict);
    expect(await countOf(payments)).toBe(paymentsBefore);
  });

  it("voids only what has no money, credits only what has, and crediting takes every goal's share back", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    const invoice = await issueInvoice(staff, (await createInvoiceDraft(staff, draftInput(org.id))).id);
    await expect(creditInvoice(staff, invoice.id, { confirm: "yes" })).rejects.toMatchObject({ message: "not_creditable" });
    await markInvoicePaid(staff, invoice.id, { paidOn: "2026-11-25", amount: "333,33" }, now);
    await expect(voidInvoice(staff, invoice.id, { confirm: "yes" })).rejects.toMatchObject({ message: "not_voidable" });
    await expect(creditInvoice(staff, invoice.id, {})).rejects.toMatchObject({ fieldErrors: { confirm: "confirmation_required" } });
    expect(await ledgerOf(invoice.id)).toBe(33_333n);

    const credited = await creditInvoice(staff, invoice.id, { confirm: "yes" });
    expect(credited.status).toBe("credited");
    expect(await ledgerOf(invoice.id)).toBe(0n);
    const perGoal = await t.db
      .select({ goal: ledgerEntries.goalId, s: sql<string>`sum(${ledgerEntries.amountOre})::text` })
      .from(ledgerEntries)
      .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
      .where(eq(payments.companyInvoiceId, invoice.id))
      .groupBy(ledgerEntries.goalId);
    expect(perGoal.every((r) => r.s === "0")).toBe(true);
    await expect(markInvoicePaid(staff, invoice.id, { paidOn: "2026-11-25", amount: "1" }, now)).rejects.toMatchObject({ fieldErrors: { amount: "invoice_credited" } });
    await expect(creditInvoice(staff, invoice.id, { confirm: "yes" })).rejects.toBeInstanceOf(Conflict);
  });

  it("keeps the series gap-free when an issue fails, and lists with status and overdue filters and totals", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    const before = await issueInvoice(staff, (await createInvoiceDraft(staff, draftInput(org.id))).id);
    // A failing issue (settings missing) rolls back: the next one takes the very next number.
    const stuck = await createInvoiceDraft(staff, draftInput(org.id));
    await updateCharityBankgiro(staff, { bankgiro: "" });
    await expect(issueInvoice(staff, stuck.id)).rejects.toBeInstanceOf(Invalid);
    await completeInvoiceSettings(staff);
    const next = await issueInvoice(staff, stuck.id);
    expect(next.number).toBe((before.number as bigint) + 1n);

    const late = await issueInvoice(staff, (await createInvoiceDraft(staff, draftInput(org.id, { issueDate: "2026-10-01", dueDate: "2026-10-31" }))).id);
    const list = await listInvoices(staff, { organisationId: org.id, overdue: true }, now);
    expect(list.invoices.map((i) => [i.id, i.status, i.overdue])).toEqual([[late.id, "overdue", true]]);
    const sent = await listInvoices(staff, { organisationId: org.id, status: "sent" }, now);
    expect(sent.invoices.map((i) => i.id).sort()).toEqual([before.id, next.id].sort());
    expect(sent.totals).toEqual({ count: 2, totalOre: "200000", paidOre: "0", outstandingOre: "200000" });
  });
});

// Two issues at the same moment on PostgreSQL (real concurrency): distinct, consecutive numbers.
describe.each(dbTargets.filter((d) => d === "postgres"))("invoice number series under concurrency (%s)", (target) => {
  const t = useTestDatabase(target);
  it("gives two concurrent issues consecutive numbers, no gap and no duplicate", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    const drafts = await Promise.all(Array.from({ length: 6 }, () => createInvoiceDraft(staff, draftInput(org.id))));
    const issued = await Promise.all(drafts.map((d) => issueInvoice(staff, d.id)));
    const numbers = issued.map((i) => i.number as bigint).sort((a, b) => (a < b ? -1 : 1));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + BigInt(i)));
    expect(new Set(issued.map((i) => i.ocrReference)).size).toBe(6);
    expect(await t.db.select({ n: count() }).from(emailAttachments)).toEqual([{ n: 6 }]);
  });
});

describe.each(dbTargets)("overdue reminders (%s)", (target) => {
  const t = useTestDatabase(target);
  it("sends a staff reminder once per invoice per day, and the daily job reminds each overdue invoice at most weekly", async () => {
    const staff = await staffContext(t.db);
    await completeInvoiceSettings(staff);
    const { org } = await organisationWithContact(t.db);
    const current = await issueInvoice(staff, (await createInvoiceDraft(staff, draftInput(org.id))).id);
    await expect(sendInvoiceReminder(staff, current.id, now)).rejects.toMatchObject({ message: "not_overdue" });
    const late = await issueInvoice(staff, (await createInvoiceDraft(staff, draftInput(org.id, { issueDate: "2026-10-01", dueDate: "2026-10-31" }))).id);
    const reminders = () => t.db.select().from(emailOutbox).where(eq(emailOutbox.template, "company-invoice-reminder"));
    expect((await sendInvoiceReminder(staff, late.id, now)).queued).toBe(true);
    expect((await sendInvoiceReminder(staff, late.id, now)).queued).toBe(false);
    expect(await reminders()).toHaveLength(1);
    await expect(sendInvoiceReminder(ctxFor(t.db, anonymousActor), late.id, now)).rejects.toBeInstanceOf(SignInRequired);

    const job = systemContext(t.db, "job:invoice_overdue_reminders:1");
    expect(await sendOverdueReminders(job, new Date("2026-11-30T07:00:00Z"))).toEqual({ reminded: 0 }); // reminded yesterday
    expect(await sendOverdueReminders(job, new Date("2026-12-07T07:00:00Z"))).toEqual({ reminded: 1 });
    expect(await sendOverdueReminders(job, new Date("2026-12-07T08:00:00Z"))).toEqual({ reminded: 0 });
    const sent = await reminders();
    expect(sent.map((m) => m.to)).toEqual(["faktura@oberg.example.se", "faktura@oberg.example.se"]);
    expect(await t.db.select({ n: count() }).from(emailAttachments).where(inArray(emailAttachments.outboxId, sent.map((m) => m.id)))).toEqual([{ n: 2 }]);
  });
});
