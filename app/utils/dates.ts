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
