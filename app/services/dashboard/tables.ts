import { paymentChannels, type PaymentChannel } from "~db/schema/payments";
import { adminPaymentsMessages } from "~/i18n/admin-payments";
import { dashboardMessages } from "~/i18n/dashboard";
import { fill, type Locale } from "~/i18n/messages";
import { statusLabel } from "~/i18n/partnerships";
import { formatDate } from "~/utils/dates";
import { formatOre, percentOf } from "~/utils/money";
import type { FundraiserDashboard, MoneyBreakdown, TopRow } from "./types";

/**
 * Every table of the dashboard as one model: the page renders it (with links and goal badges) and
 * the CSV file writes the same rows (dashboardCsv), so a figure on the page and in Excel cannot
 * differ. A cell has its text for the page and, where Excel needs it plainer, a `csv` value: amounts
 * as kronor with two decimals (decimal comma in Swedish, point in English), dates as YYYY-MM-DD.
 * Browser-safe.
 */

export const dashboardTableKeys = [
  "goals",
  "channels",
  "months",
  "gifts",
  "partnerships",
  "renewals",
  "failed",
  "pastdue",
  "anomalies",
  "tasks",
  "partners",
  "collections",
  "competitions",
] as const;
export type DashboardTableKey = (typeof dashboardTableKeys)[number];

export function isDashboardTableKey(value: unknown): value is DashboardTableKey {
  return typeof value === "string" && (dashboardTableKeys as readonly string[]).includes(value);
}

export interface Cell {
  text: string;
  /** What the CSV file gets, when not `text`. */
  csv?: string;
  href?: string;
  /** A goal's number: the page shows its badge. */
  goal?: number;
}

export interface TableModel {
  key: DashboardTableKey;
  title: string;
  columns: { label: string; numeric?: boolean }[];
  rows: Cell[][];
}

/** Öre as kronor for a spreadsheet: 123450 → "1234,50" (sv) / "1234.50" (en); −5 → "-0,05". */
export function kronorForCsv(ore: bigint | string, locale: Locale): string {
  const v = BigInt(ore);
  const abs = v < 0n ? -v : v;
  return `${v < 0n ? "-" : ""}${abs / 100n}${locale === "en" ? "." : ","}${(abs % 100n).toString().padStart(2, "0")}`;
}

const money = (ore: string | null, locale: Locale): Cell => (ore === null ? { text: "–", csv: "" } : { text: formatOre(ore), csv: kronorForCsv(ore, locale) });
const day = (value: string, locale: Locale): Cell => ({ text: formatDate(value, locale), csv: value.slice(0, 10) });
const count = (n: number): Cell => ({ text: String(n) });

/** "januari 2026" / "January 2026" for `YYYY-MM`. */
export function monthName(month: string, locale: Locale, style: "long" | "short" = "long"): string {
  const date = new Date(`${month}-01T12:00:00Z`);
  return new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", style === "long" ? { month: "long", year: "numeric", timeZone: "UTC" } : { month: "short", timeZone: "UTC" }).format(date);
}

function channelValues(m: MoneyBreakdown["byMonth"][string] | undefined): bigint[] {
  return paymentChannels.map((c) => BigInt(m?.[c] ?? "0"));
}

function topTable(key: DashboardTableKey, title: string, rows: TopRow[], locale: Locale): TableModel {
  const t = dashboardMessages(locale);
  return { key, title, columns: [{ label: t.name }, { label: t.amount, numeric: true }], rows: rows.map((r) => [{ text: r.name, href: r.href }, money(r.amountOre, locale)]) };
}

export function dashboardTable(data: FundraiserDashboard, key: DashboardTableKey, locale: Locale): TableModel {
  const t = dashboardMessages(locale);
  const title = t[`table_${key}`];
  const channelLabel = (c: PaymentChannel) => t[`channel_${c}`];
  const goalCell = (number: number | null, name: string | null): Cell => (number === null ? { text: name ?? "–" } : { text: name ?? "", goal: number });
  switch (key) {
    case "goals":
      return {
        key,
        title,
        columns: [{ label: t.goal }, { label: t.target, numeric: true }, { label: t.raised, numeric: true }, { label: "%", numeric: true }],
        rows: data.goals.map((g) => {
          const pct = percentOf(g.raisedOre, g.targetOre);
          return [goalCell(g.number, g.title), money(g.targetOre, locale), money(g.raisedOre, locale), { text: pct === null ? "–" : String(pct), csv: pct === null ? "" : String(pct) }];
        }),
      };
    case "channels":
      return {
        key,
        title,
        columns: [{ label: t.goal }, ...paymentChannels.map((c) => ({ label: channelLabel(c), numeric: true })), { label: t.total, numeric: true }],
        rows: [...data.goals.map((g) => ({ cell: goalCell(g.number, g.title), m: g as MoneyBreakdown })), { cell: { text: t.allGoals }, m: data.total }].map(({ cell, m }) => [
          cell,
          ...paymentChannels.map((c) => money(m.byChannel.find((b) => b.channel === c)?.amountOre ?? "0", locale)),
          money(m.raisedOre, locale),
        ]),
      };
    case "months":
      return {
        key,
        title,
        columns: [{ label: t.goal }, { label: t.month }, ...paymentChannels.map((c) => ({ label: channelLabel(c), numeric: true })), { label: t.total, numeric: true }],
        rows: [...data.goals.map((g) => ({ cell: goalCell(g.number, g.title), m: g as MoneyBreakdown })), { cell: { text: t.allGoals }, m: data.total }].flatMap(({ cell, m }) =>
          data.period.months.map((month) => {
            const values = channelValues(m.byMonth[month]);
            return [cell, { text: monthName(month, locale), csv: month }, ...values.map((v) => money(v.toString(), locale)), money(values.reduce((a, b) => a + b, 0n).toString(), locale)];
          }),
        ),
      };
    case "gifts": {
      const g = data.gifts;
      return {
        key,
        title,
        columns: [{ label: t.figure }, { label: t.value, numeric: true }],
        rows: [
          [{ text: t.giftCount }, count(g.count)],
          [{ text: t.giftSum }, money(g.sumOre, locale)],
          [{ text: t.giftAverage }, money(g.averageOre, locale)],
          [{ text: t.recurringShare }, g.recurringPercent === null ? { text: "–", csv: "" } : { text: `${g.recurringPercent} %`, csv: String(g.recurringPercent) }],
          [{ text: t.newDonors }, count(g.newMonthlyDonors)],
          [{ text: t.lapsedDonors }, count(g.lapsedMonthlyDonors)],
          [{ text: t.activeDonors }, count(g.activeMonthlyDonors)],
        ],
      };
    }
    case "partnerships":
      return {
        key,
        title,
        columns: [{ label: t.status }, { label: t.count, numeric: true }, { label: t.agreed, numeric: true }],
        rows: data.partnerships.map((p) => [{ text: statusLabel(locale, p.status), href: `/admin/partnerships?status=${p.status}` }, count(p.count), money(p.agreedOre, locale)]),
      };
    case "renewals":
      return {
        key,
        title,
        columns: [{ label: t.organisation }, { label: t.goal }, { label: t.status }, { label: t.endsOn }, { label: t.agreed, numeric: true }],
        rows: data.renewals.map((r) => [
          { text: r.organisation, href: `/admin/partnerships/${r.id}` },
          goalCell(r.goalNumber, r.goal),
          { text: statusLabel(locale, r.status) },
          day(r.endsOn, locale),
          money(r.agreedOre, locale),
        ]),
      };
    case "failed":
      return {
        key,
        title,
        columns: [{ label: t.payment }, { label: t.date }, { label: t.channel }, { label: t.goal }, { label: t.amount, numeric: true }],
        rows: data.failed.rows.map((p) => [{ text: `#${p.id}`, csv: p.id }, day(p.createdAt, locale), { text: channelLabel(p.channel as PaymentChannel) ?? p.channel }, goalCell(p.goalNumber, p.goal), money(p.amountOre, locale)]),
      };
    case "pastdue":
      return {
        key,
        title,
        columns: [{ label: t.donor }, { label: t.goal }, { label: t.date }, { label: t.amount, numeric: true }],
        rows: data.pastDue.rows.map((g) => [{ text: g.donor }, goalCell(g.goalNumber, g.goal), day(g.since, locale), money(g.amountOre, locale)]),
      };
    case "anomalies": {
      const flags = adminPaymentsMessages(locale) as Record<string, string>;
      return {
        key,
        title,
        columns: [{ label: t.date }, { label: t.kind }, { label: t.payment }],
        rows: data.anomalies.rows.map((a) => [day(a.createdAt, locale), { text: flags[`flag_${a.kind}`] ?? a.kind, csv: a.kind }, { text: a.paymentId ? `#${a.paymentId}` : "–", csv: a.paymentId ?? "" }]),
      };
    }
    case "tasks":
      return {
        key,
        title,
        columns: [{ label: t.task }, { label: t.due }, { label: t.assignee }, { label: t.organisation }],
        rows: data.tasks.overdue.rows.map((task) => [
          { text: task.title },
          day(task.dueOn, locale),
          { text: task.assignee },
          task.organisation ? { text: task.organisation.name, href: `/admin/crm/organisations/${task.organisation.id}` } : { text: "–", csv: "" },
        ]),
      };
    case "partners":
      return topTable(key, title, data.top.partners, locale);
    case "collections":
      return topTable(key, title, data.top.collections, locale);
    case "competitions":
      return topTable(key, title, data.top.competitions, locale);
  }
}

/** The sentence under the period form: "Visar 1 januari 2026 – 31 december 2026." */
export function periodSentence(data: Pick<FundraiserDashboard, "period">, locale: Locale): string {
  return fill(dashboardMessages(locale).periodShown, { from: formatDate(data.period.from, locale), to: formatDate(data.period.to, locale) });
}
