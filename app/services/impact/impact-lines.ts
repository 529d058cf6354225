import type { CertificateImpact } from "~db/schema/certificates";
import { impactMessages, impactMethodLabels } from "~/i18n/impact";
import type { Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { figureText } from "./figures";

/** One frozen figure as a certificate prints it: "Hushåll som får matstöd: 200–250 hushåll i veckan (uppskattat, 1 januari 2026 – 31 december 2026)". */
export function certificateImpactLine(f: CertificateImpact, locale: Locale): string {
  const en = locale === "en";
  const value = figureText(f.value, f.valueTo, locale);
  const period = `${formatDate(f.periodStart, locale)} – ${formatDate(f.periodEnd, locale)}`;
  const demo = f.demo ? `${impactMessages(locale).demo}: ` : "";
  return `${demo}${en ? f.labelEn : f.labelSv}: ${value} ${en ? f.unitEn : f.unitSv} (${impactMethodLabels(locale)[f.method]}, ${period})`;
}
