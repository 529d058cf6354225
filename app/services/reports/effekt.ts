import { channelLabels } from "~/i18n/channels";
import { impactMethodLabels } from "~/i18n/impact";
import { fill, type Locale } from "~/i18n/messages";
import { reportsMessages } from "~/i18n/reports";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { effektSectionList } from "~/validation/impact";
import type { YearlyReport } from "./yearly.server";

/**
 * The effektrapport draft (issue 14 item 4; Giva Sverige, domain.md B2): its five questions, each with the
 * lines the platform's data can state and what staff still have to write. Nothing is written on the
 * organisation's behalf beyond what its data (and its own goal texts) say.
 */

export const effektSections = effektSectionList;
export type EffektSection = (typeof effektSections)[number];

export interface EffektDraftSection {
  key: EffektSection;
  title: string;
  /** Sentences filled from the data; empty when the platform holds nothing for it. */
  fromData: string[];
  /** What staff should write, shown while they have written nothing for the section. */
  forStaff: string;
  /** What staff wrote for the section and year (/admin/reports/<year>/effekt); "" when nothing yet. */
  staffText: string;
}

/** Staff's text as paragraphs (a blank line between them), for the page and the PDF alike. */
export const paragraphs = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

export function formatShare(basisPoints: number, locale: Locale): string {
  return `${new Intl.NumberFormat(locale === "en" ? "en-GB" : "sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(basisPoints / 100)} %`;
}

export function periodText(start: string, end: string, locale: Locale): string {
  return start === end ? formatDate(start, locale) : `${formatDate(start, locale)} – ${formatDate(end, locale)}`;
}

export function effektDraft(report: YearlyReport, locale: Locale): EffektDraftSection[] {
  const t = reportsMessages(locale);
  const methods = impactMethodLabels(locale);
  const channels = channelLabels[locale] as Record<string, string>;
  const goals = report.goal ? [report.goal] : report.goals;
  const demo = (isDemo: boolean) => (isDemo ? t.line_demo : "");

  const aim = goals.filter((g) => g.lead.trim()).map((g) => fill(t.line_goal, { number: g.number, title: g.title, lead: g.lead.trim() }));
  const strategies = report.goal && report.goal.today.trim() ? [fill(t.line_today, { text: report.goal.today.trim().split(/\n\s*\n/)[0] })] : [];

  const capacity: string[] = [];
  if (BigInt(report.totalOre) !== 0n) {
    const list = report.money.map((m) => `${channels[`channel_${m.channel}`] ?? m.channel} ${formatOre(m.amountOre)}`).join(", ");
    capacity.push(fill(t.line_money, { amount: formatOre(report.totalOre), channels: list }));
  }
  if (report.partners.length) capacity.push(fill(t.line_partners, { count: report.partners.length }));
  if (report.collections.length) capacity.push(fill(t.line_collections, { count: report.collections.length }));
  if (report.costs && report.costs.purposeBasisPoints !== null) {
    capacity.push(
      fill(t.line_costs, {
        purpose: formatOre(report.costs.purposeOre),
        fundraising: formatOre(report.costs.fundraisingOre),
        administration: formatOre(report.costs.administrationOre),
        share: formatShare(report.costs.purposeBasisPoints, locale),
      }),
    );
  }

  const progress: string[] = [];
  if (report.impact.length) {
    const measured = report.impact.filter((f) => f.method === "measured").length;
    progress.push(fill(t.line_method, { count: report.impact.length, measured, estimated: report.impact.length - measured }));
    for (const f of report.impact) if (f.source.trim()) progress.push(fill(t.line_source, { label: f.label, source: f.source.trim() }) + demo(f.demo));
  }

  const achieved = report.impact.map(
    (f) => fill(t.line_figure, { label: f.label, value: f.value, unit: f.unit, method: methods[f.method], period: periodText(f.periodStart, f.periodEnd, locale) }) + demo(f.demo),
  );

  const lines: Record<EffektSection, string[]> = { aim, strategies, capacity, progress, achieved };
  return effektSections.map((key) => ({ key, title: t[`effekt_${key}`], fromData: lines[key], forStaff: t[`effekt_${key}_staff`], staffText: report.effektTexts?.[key] ?? "" }));
}
