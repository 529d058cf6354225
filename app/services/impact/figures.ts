import type { Locale } from "~/i18n/messages";

// One formatter per language, built once: making an Intl.NumberFormat costs more than formatting (goal pages show figures).
const figureFormats = {
  sv: new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 }),
};

/** "1200.50" → "1 200,5" (sv) / "1,200.5" (en): a stored figure as the reader writes numbers. */
export function formatFigure(value: string, locale: Locale): string {
  return (locale === "en" ? figureFormats.en : figureFormats.sv).format(Number(value));
}

/** A figure or a range ("200–250") in the reader's notation. */
export function figureText(value: string, valueTo: string | null, locale: Locale): string {
  return valueTo !== null && valueTo !== value ? `${formatFigure(value, locale)}–${formatFigure(valueTo, locale)}` : formatFigure(value, locale);
}
