import { stringify } from "csv-stringify/sync";
import { sql, type SQL } from "drizzle-orm";
import { exportCsvMessages } from "~/i18n/exports";
import type { Locale } from "~/i18n/messages";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import type { ExportPeriod } from "~/validation/exports";
import { parseExportPeriod, withinPeriod } from "./period.server";
import { cursorStream } from "./stream.server";

/**
 * CSV files for the bookkeeping and for staff (issue 14 item 5): payments, ledger entries and
 * invoices of a period, and the donors who consented to be contacted. Excel as Swedish staff use it,
 * the same rules as the CRM export (app/services/crm/export.server.ts): UTF-8 with a BOM, `;` between
 * fields, CRLF, a cell starting with = + - @ gets an apostrophe so it cannot run as a formula.
 * Amounts in kronor with a decimal comma in Swedish (Excel's Swedish number format), a point in English.
 * Written with csv-stringify one batch at a time, streamed (stream.server.ts).
 */

export type CsvKind = "payments" | "ledger" | "invoices" | "payouts";

export interface CsvFile {
  filename: string;
  stream: ReadableStream<Uint8Array>;
}

type Row = Record<string, string | null>;

const encoder = new TextEncoder();

/** A plain negative amount ("-123,45") is a number to Excel, not a formula, and stays as it is. */
function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^-\d+([.,]\d+)?$/.test(value) ? `'${value}` : value;
}

function csv(rows: (string | null)[][], bom = false): Uint8Array {
  return encoder.encode(stringify(rows.map((r) => r.map((v) => defuse(v ?? ""))), { bom, delimiter: ";", record_delimiter: "windows", quoted_match: /^\s|\s$/ }));
}

/** Öre as text (from SQL, so both drivers agree) → kronor: "-12345" → "-123,45". */
function kronor(ore: string | null, locale: Locale): string | null {
  if (ore === null) return null;
  const n = BigInt(ore);
  const abs = n < 0n ? -n : n;
  return `${n < 0n ? "-" : ""}${abs / 100n}${locale === "sv" ? "," : "."}${String(abs % 100n).padStart(2, "0")}`;
}

interface Spec {
  header: string[];
  query: SQL;
  row: (r: Row) => (string | null)[];
}

function streamCsv(ctx: ServiceContext, spec: Spec): ReadableStream<Uint8Array> {
  return cursorStream<Row>(ctx.db, {
    query: spec.query,
    head: () => csv([spec.header], true),
    batch: (rows) => csv(rows.map(spec.row)),
  });
}

const STOCKHOLM_TIME = (column: string) => sql.raw(`to_char(${column} at time zone 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI')`);

function paymentsSpec(locale: Locale, period: ExportPeriod): Spec {
  const t = exportCsvMessages(locale);
  const channel = (c: string | null) => (t as Record<string, string>)[`channel_${c}`] ?? c;
  return {
    header: [t.id, t.created, t.paidAt, t.status, t.channel, t.method, t.amount, t.refunded, t.credited, t.goal, t.donorName, t.donorEmail, t.anonymous, t.origin, t.reference, t.organisation, t.invoiceNumber, t.stripeFee],
    query: sql`
      select p.id::text as id, ${STOCKHOLM_TIME("p.created_at")} as created, ${STOCKHOLM_TIME("p.paid_at")} as paid_at, p.status, p.channel, p.method,
        p.amount_ore::text as amount, p.refunded_ore::text as refunded, p.credited_ore::text as credited,
        case when g.id is null then null else '#' || g.number || ' ' || ${locale === "en" ? sql.raw("g.title_en") : sql.raw("g.title_sv")} end as goal,
        p.donor_name, p.donor_email, p.anonymous::text as anonymous, p.origin, p.reference, o.name as organisation, i.number::text as invoice_number,
        (select sum(t.fee_ore) from stripe_balance_transactions t where t.payment_id = p.id)::text as stripe_fee
      from payments p
      left join goals g on g.id = p.goal_id
      left join organisations o on o.id = p.organisation_id
      left join invoices i on i.id = p.company_invoice_id
      where ${withinPeriod(sql.raw("p.created_at"), period)}
      order by p.created_at, p.id`,
    row: (r) => [
      r.id,
      r.created,
      r.paid_at,
      r.status,
      channel(r.channel),
      r.method,
      kronor(r.amount, locale),
      kronor(r.refunded, locale),
      kronor(r.credited, locale),
      r.goal ?? t.undesignated,
      r.donor_name,
      r.donor_email,
      r.anonymous === "true" ? t.yes : t.no,
      r.origin,
      r.reference,
      r.organisation,
      r.invoice_number,
      // Empty until the payout that settles the payment is recorded (decision 0007).
      kronor(r.stripe_fee, locale),
    ],
  };
}

function ledgerSpec(locale: Locale, period: ExportPeriod): Spec {
  const t = exportCsvMessages(locale);
  const channel = (c: string | null) => (t as Record<string, string>)[`channel_${c}`] ?? c;
  return {
    header: [t.id, t.date, t.goal, t.channel, t.kind, t.amount, t.paymentId, t.reason, t.author, t.entryKey],
    query: sql`
      select e.id::text as id, ${STOCKHOLM_TIME("e.created_at")} as created, '#' || g.number || ' ' || ${locale === "en" ? sql.raw("g.title_en") : sql.raw("g.title_sv")} as goal,
        e.channel, e.kind, e.amount_ore::text as amount, e.payment_id::text as payment, e.reason, e.author, e.entry_key
      from ledger_entries e
      join goals g on g.id = e.goal_id
      where ${withinPeriod(sql.raw("e.created_at"), period)}
      order by e.created_at, e.id`,
    row: (r) => [r.id, r.created, r.goal, channel(r.channel), r.kind, kronor(r.amount, locale), r.payment, r.reason, r.author, r.entry_key],
  };
}

function invoicesSpec(locale: Locale, period: ExportPeriod): Spec {
  const t = exportCsvMessages(locale);
  const channel = (c: string | null) => (t as Record<string, string>)[`channel_${c}`] ?? c;
  return {
    // `carried`: what a payroll invoice paid short still lacked when a later invoice took it over (issue 13).
    header: [t.invoiceNumber, t.issueDate, t.dueDate, t.status, t.buyer, t.orgNumber, t.channel, t.delivery, t.total, t.paid, t.carried, t.paidAt, t.ocr],
    // Invoices by issue date (a calendar date, no time of day).
    query: sql`
      select i.number::text as number, i.issue_date::text as issue_date, i.due_date::text as due_date, i.status, i.buyer_name, i.buyer_org_number,
        i.channel, i.delivery, i.total_ore::text as total, i.paid_ore::text as paid, i.carried_ore::text as carried, ${STOCKHOLM_TIME("i.paid_at")} as paid_at, i.ocr_reference
      from invoices i
      where i.issue_date >= ${period.from}::date and i.issue_date <= ${period.to}::date
      order by i.issue_date, i.id`,
    row: (r) => [r.number, r.issue_date, r.due_date, r.status, r.buyer_name, r.buyer_org_number, channel(r.channel), r.delivery, kronor(r.total, locale), kronor(r.paid, locale), kronor(r.carried, locale), r.paid_at, r.ocr_reference],
  };
}

/** Stripe's payouts by the day they reach the bank, with their fees and what they settled. */
function payoutsSpec(locale: Locale, period: ExportPeriod): Spec {
  const t = exportCsvMessages(locale);
  return {
    header: [t.arrivalDate, t.payout, t.status, t.gross, t.fees, t.paidOut, t.transactions, t.unmatched, t.recordedAt],
    query: sql`
      select p.arrival_date::text as arrival_date, p.id, p.status, p.gross_ore::text as gross, p.fee_ore::text as fee, p.amount_ore::text as amount,
        p.transactions::text as transactions, p.unmatched::text as unmatched, ${STOCKHOLM_TIME("p.recorded_at")} as recorded_at
      from stripe_payouts p
      where p.arrival_date >= ${period.from}::date and p.arrival_date <= ${period.to}::date
      order by p.arrival_date, p.id`,
    row: (r) => [r.arrival_date, r.id, r.status, kronor(r.gross, locale), kronor(r.fee, locale), kronor(r.amount, locale), r.transactions, r.unmatched, r.recorded_at],
  };
}

/** Payments, ledger entries, invoices or payouts of a period as CSV, staff only; a bad period is Invalid before anything is read. */
export async function exportCsv(ctx: ServiceContext, kind: CsvKind, input: unknown): Promise<CsvFile> {
  requireStaffActor(ctx);
  const period = parseExportPeriod(input);
  const specs = { payments: paymentsSpec, ledger: ledgerSpec, invoices: invoicesSpec, payouts: payoutsSpec };
  const spec = specs[kind](ctx.locale, period);
  const name = exportCsvMessages(ctx.locale)[`file_${kind}`];
  return { filename: `${name}-${period.from}-${period.to}.csv`, stream: streamCsv(ctx, spec) };
}

/**
 * The donors who consented to be contacted (a donor_consents row for `contact`, not withdrawn), with
 * what they gave (paid payments to their address, less refunds and credits). Nobody else: a gift is no consent.
 */
export async function exportConsentingDonors(ctx: ServiceContext, now = new Date()): Promise<CsvFile> {
  requireStaffActor(ctx);
  const t = exportCsvMessages(ctx.locale);
  const spec: Spec = {
    header: [t.name, t.email, t.consentGiven, t.consentSource, t.gifts, t.given, t.lastGift],
    query: sql`
      select pe.name, pe.email, ${STOCKHOLM_TIME("c.given_at")} as given_at, c.source,
        count(p.id)::text as gifts, coalesce(sum(p.amount_ore - p.refunded_ore - p.credited_ore), 0)::text as given,
        ${STOCKHOLM_TIME("max(p.paid_at)")} as last_gift
      from donor_consents c
      join people pe on pe.id = c.person_id
      left join payments p on lower(p.donor_email) = pe.email and p.status = 'paid' and p.origin <> 'demo'
      where c.purpose = 'contact' and c.withdrawn_at is null
      group by pe.id, pe.name, pe.email, c.given_at, c.source
      order by pe.email`,
    row: (r) => [r.name, r.email, r.given_at, r.source, r.gifts, kronor(r.given, ctx.locale), r.last_gift],
  };
  return { filename: `${t.file_donors}-${now.toISOString().slice(0, 10)}.csv`, stream: streamCsv(ctx, spec) };
}
