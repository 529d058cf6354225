import { stringify } from "csv-stringify/sync";
import { fill, type Locale } from "~/i18n/messages";
import { payrollFileMessages } from "~/i18n/workplace-payroll";
import { writePaxml, type PaxmlHeader, type PaxmlRow } from "./paxml";
import { deducts, payDate, perMilleText, type ListedPledge } from "./payroll-compute";

/**
 * The month's payroll list as files (issue 13 item 5): the same rows as PAXml 2.0 (paxml.ts) and as
 * CSV, for payroll systems that import neither. Pure. One row per pledge on the list, in the list's
 * order: a deduction for each active pledge (its amount, or no amount for a per-mille one, which
 * payroll computes), and 0 for a pledge paused or stopped this month so payroll sees the change.
 *
 * CSV for Excel as Swedish payroll staff use it (as the CRM export, app/services/crm/export.server.ts):
 * UTF-8 with BOM, `;` between fields, CRLF, decimal comma in Swedish; a cell starting with = + - @
 * gets an apostrophe so a name typed by an employee cannot run as a formula.
 */

export interface PayrollFileInput {
  month: string;
  payCode: string;
  payrollDay: number | null;
  employer: { name: string; organisationNumber: string | null };
  createdAt: Date;
  programName: string;
  list: readonly ListedPledge[];
}

export interface PayrollFileRow extends PaxmlRow {
  employeeName: string | null;
  change: ListedPledge["change"];
  kind: ListedPledge["kind"];
  rateTenths: number | null;
}

const changeKey = { new: "changeNew", changed: "changeChanged", unchanged: "changeUnchanged", paused: "changePaused", stopped: "changeStopped" } as const;

/** The rows both files hold (the PAXml's words are Swedish: the file goes to a Swedish payroll system). */
export function payrollFileRows(input: PayrollFileInput, locale: Locale = "sv"): PayrollFileRow[] {
  const t = payrollFileMessages(locale);
  const date = payDate(input.month, input.payrollDay);
  const month = input.month.slice(0, 7);
  return input.list.map((p, i) => {
    const parts = [fill(t.monthComment, { month }), t[changeKey[p.change]]];
    if (p.kind === "per_mille" && p.rateTenths !== null && deducts(p)) parts.push(fill(t.perMilleComment, { rate: perMilleText(p.rateTenths) }));
    return {
      postId: i + 1,
      employeeNumber: p.employeeNumber,
      employeeName: p.employeeName,
      payCode: input.payCode,
      label: t.label,
      comment: parts.join(". "),
      date,
      amountOre: p.amountOre,
      info: p.employeeName,
      change: p.change,
      kind: p.kind,
      rateTenths: p.rateTenths,
    };
  });
}

export function payrollPaxml(input: PayrollFileInput): string {
  const header: PaxmlHeader = { organisationNumber: input.employer.organisationNumber, companyName: input.employer.name, createdAt: input.createdAt, programName: input.programName };
  return writePaxml(header, payrollFileRows(input, "sv"));
}

function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function kronor(ore: bigint, locale: Locale): string {
  const abs = ore < 0n ? -ore : ore;
  const text = `${ore < 0n ? "-" : ""}${abs / 100n}${locale === "sv" ? "," : "."}${(abs % 100n).toString().padStart(2, "0")}`;
  return text;
}

export function payrollCsv(input: PayrollFileInput, locale: Locale): string {
  const t = payrollFileMessages(locale);
  const rows = payrollFileRows(input, locale).map((r) => [
    String(r.postId),
    r.employeeNumber ?? "",
    r.employeeName ?? "",
    r.payCode,
    t[changeKey[r.change]],
    r.kind === "fixed" ? t.kindFixed : t.kindPerMille,
    r.rateTenths === null ? "" : perMilleText(r.rateTenths),
    r.amountOre === null ? "" : kronor(r.amountOre, locale),
    r.date ?? "",
    r.comment,
  ]);
  const header = [t.csvRow, t.csvEmployeeNumber, t.csvName, t.csvPayCode, t.csvChange, t.csvKind, t.csvRate, t.csvAmount, t.csvDate, t.csvComment];
  return stringify([header, ...rows.map((r) => r.map(defuse))], { bom: true, delimiter: ";", record_delimiter: "windows", quoted_match: /^\s|\s$/ });
}
