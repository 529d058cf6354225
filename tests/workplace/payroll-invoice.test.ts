import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailAttachments, emailOutbox, invoices } from "~db/schema";
import { systemContext } from "~/services/context";
import { processOutboxOnce } from "~/services/email/outbox.server";
import { confirmRun, runPayrollMonth } from "~/services/workplace/payroll-run.server";
import { capturingTransport, completeInvoiceSettings, pdfText, staffContext } from "../invoices/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";
import { employer, goalIds, pledge } from "./payroll-helpers";

/**
 * A payroll month's bank invoice is emailed with its PDF, made when the email is sent rather than
 * inside the confirmation (bench:payroll: 200 employers confirm at once, and the PDFs were most of the
 * confirmation's cost). The queued message stores what to render, not the bytes; the sent email has
 * the invoice's PDF with its number, OCR reference and total. A message whose file cannot be made
 * (its invoice is gone) is retried on its own; the others in the batch are sent.
 */
describe.each(dbTargets)("payroll invoice email on %s", (target) => {
  const t = useTestDatabase(target);

  it("queues the invoice email with a PDF to render, and the sent email carries the invoice's PDF", async () => {
    const { db } = t;
    const staff = await staffContext(db);
    await completeInvoiceSettings(staff);
    const [g1] = await goalIds(db);
    const a = await employer(db);
    const b = await employer(db);
    await pledge(db, a.programme.id, [{ fromMonth: "2026-11-01", amountOre: 15000n, goals: [{ goalId: g1, percent: 100 }] }]);
    await pledge(db, b.programme.id, [{ fromMonth: "2026-11-01", amountOre: 25000n, goals: [{ goalId: g1, percent: 100 }] }]);
    const system = systemContext(db, "test");
    const runA = await runPayrollMonth(system, a.programme.id, "2026-11");
    const runB = await runPayrollMonth(system, b.programme.id, "2026-11");
    const { invoice } = await confirmRun(a.contact, runA.run.id, { confirm: "yes" });
    const other = (await confirmRun(b.contact, runB.run.id, { confirm: "yes" })).invoice!;

    const [queued] = await db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `company-invoice:${invoice!.id}`));
    const files = await db.select().from(emailAttachments).where(eq(emailAttachments.outboxId, queued.id));
    expect(files.map((f) => [f.filename, f.contentType, f.contentBase64, f.render])).toEqual([
      [`faktura-${invoice!.number}.pdf`, "application/pdf", null, { kind: "invoice-pdf", invoiceId: invoice!.id }],
    ]);

    // B's invoice disappears before the worker gets to it (as if voided and purged): its message fails on its own.
    const [otherMail] = await db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `company-invoice:${other.id}`));
    await db.update(emailAttachments).set({ render: { kind: "invoice-pdf", invoiceId: 999_999 } }).where(eq(emailAttachments.outboxId, otherMail.id));

    const transport = capturingTransport();
    const result = await processOutboxOnce({ db, transport });
    expect(result.retrying).toBe(1);
    const mail = transport.sent.find((m) => m.id === queued.id)!;
    expect(mail.attachments?.map((f) => [f.filename, f.contentType])).toEqual([[`faktura-${invoice!.number}.pdf`, "application/pdf"]]);
    const text = await pdfText(mail.attachments![0].content);
    expect(text).toContain(String(invoice!.number));
    expect(text).toContain(invoice!.ocrReference!);
    expect(text).toContain("Att betala   150 kr");
    expect(transport.sent.some((m) => m.id === otherMail.id)).toBe(false);
    const [stored] = await db.select().from(invoices).where(eq(invoices.id, invoice!.id));
    expect(stored.status).toBe("sent");
  });
});
