import { inArray } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { goals, invoiceLines, invoices, stripeInvoiceDeliveries, type Invoice, type Organisation, type PayrollRun, type WorkplaceProgramme } from "~db/schema";
import { enqueueEmailWithAttachments } from "~/services/email/attachments.server";
import { ServiceError } from "~/services/errors";
import { invoiceSettingsProblem } from "~/services/invoices/invoice-pdf.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { invoiceEmailProps, invoiceSeller, issuedFields } from "~/services/invoices/invoices-send.server";
import { carryShortfalls } from "./reconcile-shortfall.server";

const INVOICE_DAYS = 30;
const DAY_MS = 86_400_000;

const invoiceWords = {
  sv: { employees: "Löneavdrag {month}", match: "Arbetsgivarens matchning {month}" },
  en: { employees: "Payroll deductions {month}", match: "Employer's match {month}" },
};

export interface RunInvoiceLine {
  kind: "employee" | "match";
  goalId: number;
  amountOre: bigint;
}

/**
 * The month's invoice, issued in the confirming transaction: buyer = the employer, one line per goal
 * for the employees, one per goal for the match,
 * numbered, and sent — a bank invoice through the outbox with its PDF made when the email is sent (a
 * month confirms 200 employers' invoices; the PDF is the same whenever it is made, since an issued
 * invoice's rows do not change), a Stripe invoice handed to the Stripe delivery after the commit.
 */
export async function issueRunInvoice(tx: Tx, run: PayrollRun, programme: WorkplaceProgramme, org: Organisation, lines: RunInvoiceLine[], now: Date): Promise<Invoice> {
  const locale = "sv" as const;
  const words = invoiceWords[locale];
  const month = run.month.slice(0, 7);
  const delivery = programme.paymentMethod === "stripe" ? "stripe" : "bank";
  const address = [org.address, [org.postalCode, org.city].filter(Boolean).join(" ")].filter(Boolean).join("\n");
  if (!org.invoiceEmail) throw new ServiceError(409, "invoice_email_missing", { invoiceEmail: "required" });
  const [invoice] = await tx
    .insert(invoices)
    .values({
      organisationId: org.id,
      issueDate: swedishDate(now),
      dueDate: swedishDate(new Date(now.getTime() + INVOICE_DAYS * DAY_MS)),
      buyerName: org.name,
      buyerOrgNumber: org.orgNumber,
      buyerAddress: address || org.name,
      buyerEmail: org.invoiceEmail,
      buyerReference: org.invoiceReference,
      locale,
      delivery,
      channel: "salary_giving",
      totalOre: lines.reduce((s, l) => s + l.amountOre, 0n),
      payrollRunId: run.id,
      demo: programme.demo,
      ...(await issuedFields(tx, now)),
      updatedAt: now,
    })
    .returning();
  const goalIds = [...new Set(lines.map((l) => l.goalId))];
  const titles = new Map(goalIds.length ? (await tx.select({ id: goals.id, titleSv: goals.titleSv }).from(goals).where(inArray(goals.id, goalIds))).map((g) => [g.id, g.titleSv]) : []);
  await tx.insert(invoiceLines).values(
    lines.map((l, i) => ({
      invoiceId: invoice.id,
      position: i + 1,
      text: `${(l.kind === "employee" ? words.employees : words.match).replace("{month}", month)} – ${titles.get(l.goalId) ?? ""}`.trim(),
      amountOre: l.amountOre,
      goalId: l.goalId,
    })),
  );
  // Difference rule `carry` (owned by reconcile-shortfall.server.ts): earlier invoices paid short add a line here.
  Object.assign(invoice, await carryShortfalls(tx, programme, invoice, lines.length, now));
  if (delivery === "stripe") {
    await tx.insert(stripeInvoiceDeliveries).values({ invoiceId: invoice.id }).onConflictDoNothing();
    return invoice;
  }
  const seller = await invoiceSeller(tx);
  const problem = invoiceSettingsProblem(seller);
  // A demo employer's invoice (db/demo/workplace.ts) is numbered but not mailed while the charity's
  // invoice settings are unset: the demo must load on a fresh database, and it has no real buyer.
  if (problem && programme.demo) return invoice;
  if (problem) throw problem;
  await enqueueEmailWithAttachments(
    tx,
    { to: invoice.buyerEmail, template: "company-invoice", locale, props: invoiceEmailProps(invoice, seller), dedupeKey: `company-invoice:${invoice.id}` },
    [{ filename: `faktura-${invoice.number}.pdf`, contentType: "application/pdf", render: { kind: "invoice-pdf", invoiceId: invoice.id } }],
  );
  return invoice;
}
