import { sql } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { goals, invoiceLines, invoices, stripeInvoiceDeliveries, type Invoice, type Organisation, type PayrollRun, type WorkplaceProgramme } from "~db/schema";
import { enqueueEmailWithAttachments } from "~/services/email/attachments.server";
import { ServiceError } from "~/services/errors";
import { invoiceSettingsProblem, type InvoiceSeller } from "~/services/invoices/invoice-pdf.server";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { invoiceEmailProps, issuedFields } from "~/services/invoices/invoices-send.server";
import { runBuilt, runRaw, type PreparedStatements } from "~/services/payments/hot-queries.server";
import { carryShortfalls } from "./reconcile-shortfall.server";

const INVOICE_DAYS = 30;
const DAY_MS = 86_400_000;

const invoiceWords = {
  sv: { employees: "Löneavdrag {month}", match: "Arbetsgivarens matchning {month}" },
  en: { employees: "Payroll deductions {month}", match: "Employer's match {month}" },
};

/** Every column issueRunInvoice gives, as a placeholder of the same name. */
const invoicePlaceholders = Object.fromEntries(
  ["id", "organisationId", "issueDate", "dueDate", "buyerName", "buyerOrgNumber", "buyerAddress", "buyerEmail", "buyerReference", "locale", "delivery", "channel", "totalOre", "paidOre", "carriedOre", "payrollRunId", "demo", "number", "ocrReference", "status", "sentAt", "updatedAt"].map((k) => [k, sql.placeholder(k)]),
) as unknown as typeof invoices.$inferInsert;

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
export async function issueRunInvoice(
  tx: Tx,
  statements: PreparedStatements,
  run: PayrollRun,
  programme: WorkplaceProgramme,
  org: Organisation,
  lines: RunInvoiceLine[],
  now: Date,
  seller: Promise<InvoiceSeller>,
  /** The caller's writes that need the invoice's id, sent together with the invoice. */
  alongside: (invoiceId: number) => Promise<unknown>,
): Promise<Invoice> {
  const locale = "sv" as const;
  const words = invoiceWords[locale];
  const month = run.month.slice(0, 7);
  const delivery = programme.paymentMethod === "stripe" ? "stripe" : "bank";
  const address = [org.address, [org.postalCode, org.city].filter(Boolean).join(" ")].filter(Boolean).join("\n");
  if (!org.invoiceEmail) throw new ServiceError(409, "invoice_email_missing", { invoiceEmail: "required" });
  // The invoice's id and number first (one round trip), so that the invoice, its lines, its email and
  // the caller's writes then go to the database together.
  const [[{ id }], issued] = await Promise.all([
    runRaw<{ id: number }>(tx, "payroll_invoice_next_id", () => sql`select nextval(pg_get_serial_sequence('invoices', 'id'))::int as id`, {}, statements),
    issuedFields(tx, now, { named: true }),
  ]);
  const values = {
    id,
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
    paidOre: 0n,
    carriedOre: 0n,
    payrollRunId: run.id,
    demo: programme.demo,
    ...issued,
    updatedAt: now,
  } satisfies typeof invoices.$inferInsert;
  // A bank invoice's email (its PDF made when it is sent): the settings it needs are checked first.
  let email: ((invoice: Parameters<typeof invoiceEmailProps>[0] & { buyerEmail: string }) => Promise<unknown>) | null = null;
  if (delivery === "bank") {
    const theSeller = await seller;
    const problem = invoiceSettingsProblem(theSeller);
    // A demo employer's invoice (db/demo/workplace.ts) is numbered but not mailed while the charity's
    // invoice settings are unset: the demo must load on a fresh database, and it has no real buyer.
    if (problem && !programme.demo) throw problem;
    if (!problem) {
      email = (invoice) =>
        enqueueEmailWithAttachments(
          tx,
          { to: invoice.buyerEmail, template: "company-invoice", locale, props: invoiceEmailProps(invoice, theSeller), dedupeKey: `company-invoice:${id}` },
          [{ filename: `faktura-${invoice.number}.pdf`, contentType: "application/pdf", render: { kind: "invoice-pdf", invoiceId: id } }],
          { named: true },
        );
    }
  }
  // Each line's text names its goal: the titles are joined in the statement rather than read first.
  const rows = lines.map((l, i) => ({ position: i + 1, prefix: (l.kind === "employee" ? words.employees : words.match).replace("{month}", month), amount: l.amountOre.toString(), goal_id: l.goalId }));
  const writes = [
    // Built once per database (every value a placeholder): building the insert cost more CPU than running it.
    runBuilt<Invoice>(tx, "payroll_invoice", () => tx.insert(invoices).values(invoicePlaceholders).returning(), values, statements),
    runRaw(
      tx,
      "payroll_invoice_lines",
      () => sql`insert into ${invoiceLines} (invoice_id, position, text, amount_ore, goal_id)
        select ${sql.placeholder("invoiceId")}, r.position, trim(r.prefix || ' – ' || coalesce(g.title_sv, '')), r.amount, r.goal_id
        from jsonb_to_recordset(${sql.placeholder("rows")}::jsonb) as r(position integer, prefix text, amount bigint, goal_id integer)
        left join ${goals} g on g.id = r.goal_id`,
      { invoiceId: id, rows: JSON.stringify(rows) },
      statements,
    ),
    delivery === "stripe" ? tx.insert(stripeInvoiceDeliveries).values({ invoiceId: id }).onConflictDoNothing().prepare("payroll_stripe_delivery").execute() : null,
  ] as const;
  if (programme.differenceRule !== "carry") {
    // Nothing carried: the invoice is sent as inserted, all in one round trip.
    const [[invoice]] = await Promise.all([...writes, email?.(values), alongside(id)]);
    return invoice;
  }
  const [[inserted]] = await Promise.all(writes);
  // Difference rule `carry` (owned by reconcile-shortfall.server.ts): earlier invoices paid short add a line here.
  const invoice = await carryShortfalls(tx, programme, inserted, lines.length, now);
  await Promise.all([email?.(invoice), alongside(id)]);
  return invoice;
}
