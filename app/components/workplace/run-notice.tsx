import { invoiceStatusLabels } from "~/i18n/invoices";
import { fill, type Locale } from "~/i18n/messages";
import { payrollPageMessages } from "~/i18n/workplace-payroll";
import { formatOre } from "~/utils/money";

interface ConfirmedRun {
  invoiceId: number | null;
  invoiceNumber: string | null;
  invoiceStatus: string | null;
  employeesOre: string | null;
  matchOre: string | null;
  /** Shortfall carried in from earlier invoices minus credit from earlier overpayments (reconcile-shortfall, reconcile-carry). */
  differenceOre: string | null;
}

/**
 * What a confirmed month came to, on its payroll list page: the invoice, the employees' total, the
 * match, and, when the invoice differs from the month because of earlier invoices (the rule "carry"),
 * by how much and why, so the contact can see why the invoice is not the month's sum.
 */
export function RunConfirmedNotice({ run, locale }: { run: ConfirmedRun; locale: Locale }) {
  const t = payrollPageMessages(locale);
  const statusLabels: Record<string, string> = invoiceStatusLabels(locale);
  const kr = (ore: string | null) => (ore === null ? "–" : formatOre(BigInt(ore)));
  const difference = run.differenceOre === null ? 0n : BigInt(run.differenceOre);
  return (
    <p role="status" className="notice">
      {run.invoiceId ? fill(t.confirmed, { number: run.invoiceNumber ?? "", status: run.invoiceStatus ? (statusLabels[run.invoiceStatus] ?? run.invoiceStatus).toLowerCase() : "" }) : t.confirmedNoInvoice} {t.employeesTotal}: {kr(run.employeesOre)}. {t.matchTotal}: {kr(run.matchOre)}.
      {difference !== 0n ? ` ${fill(t.difference, { amount: `${difference > 0n ? "+" : ""}${formatOre(difference)}`, why: difference > 0n ? t.differenceCarried : t.differenceCredit })}` : null}
    </p>
  );
}
