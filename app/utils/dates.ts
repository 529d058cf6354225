import type { Locale } from "~/i18n/messages";

/** Dates are shown in Swedish time, in the reader's language. The one place dates are formatted. */
const TIME_ZONE = "Europe/Stockholm";

// Building an Intl.DateTimeFormat is costly (receipts are rendered in bulk): one per language and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, style: "date" | "dateTime"): Intl.DateTimeFormat {
  const key = `${locale}:${style}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === "date" ? { timeZone: TIME_ZONE, year: "numeric", month: "long", day: "numeric" } : { timeZone: TIME_ZONE, dateStyle: "medium", timeStyle: "short" };
    f = new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", options);
    formatters.set(key, f);
  }
  return f;
}

const toDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);

/** "24 november 2026" / "24 November 2026". */
export function formatDate(value: Date | string, locale: Locale): string {
  return formatter(locale, "date").format(toDate(value));
}

/** "24 nov. 2026 21:15" / "24 Nov 2026, 21:15". */
export function formatDateTime(value: Date | string, locale: Locale): string {
  return formatter(locale, "dateTime").format(toDate(value));
}

// Calendar days in Sweden, whatever the server's time zone: due dates, periods, competition and collection days.
// Each formatter is built once; building one costs more than formatting with it.
const dayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, timeZoneName: "longOffset" });

// The day of the last hour asked about. Stockholm's offset is a whole number of hours (+1 or +2), so its days
// begin at whole UTC hours and every instant of one UTC hour has the same day: pages ask for today on every
// request, and formatting with a time zone was about 1.5 % of a signed-in goal page's CPU (issue 10 item 6).
let lastHour = NaN;
let lastDay = "";

/** The Swedish calendar day of an instant, `YYYY-MM-DD`. */
export function stockholmDay(at: Date = new Date()): string {
  const hour = Math.floor(at.getTime() / 3_600_000);
  if (hour !== lastHour) {
    // An invalid date (NaN) never matches and throws here, as format does.
    lastDay = dayFormat.format(at);
    lastHour = hour;
  }
  return lastDay;
}

/** The Swedish calendar year of an instant. */
export function stockholmYear(at: Date = new Date()): number {
  return Number(stockholmDay(at).slice(0, 4));
}

/** The first instant of a Swedish calendar day (`YYYY-MM-DD`). */
export function stockholmStartOf(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return midnightOf(y, m, d);
}

/** The instant after a Swedish calendar day: something that ends on `date` ends at the midnight after it. */
export function stockholmEndOf(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return midnightOf(y, m, d + 1);
}

// Stockholm's offset at that midnight (CET +1 or CEST +2; the switches are at 01:00 UTC, never at midnight).
// Day numbers past the month's end roll over (Date.UTC does).
function midnightOf(y: number, m: number, d: number): Date {
  const midnightUtc = Date.UTC(y, m - 1, d);
  const name = offsetFormat.formatToParts(new Date(midnightUtc)).find((p) => p.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  const offsetMin = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 60;
  return new Date(midnightUtc - offsetMin * 60_000);
}
