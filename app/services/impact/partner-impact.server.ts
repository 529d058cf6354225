import type { Db, Tx } from "~db/client.server";
import type { CertificateImpact } from "~db/schema";
import { impactMessages, impactMethodLabels } from "~/i18n/impact";
import type { Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { impactView, listImpactFigures } from "./impact.server";

/**
 * Impact figures where partners see them (issue 14 item 3). Internal reads: the partner dashboard and
 * the certificate service check the actor for the organisation first.
 */

/** At most this many tiles on the dashboard (newest periods first): a summary, not the whole list. */
const DASHBOARD_TILES = 8;

/** The dashboard's tiles for the goals the organisation supports: "value unit" under "label (how, period)". */
export async function partnerDashboardImpact(db: Db | Tx, goals: { id: number; number: number }[], locale: Locale): Promise<{ goalNumber: number; label: string; value: string }[]> {
  const t = impactMessages(locale);
  const methods = impactMethodLabels(locale);
  const rows = await listImpactFigures(db, { goalIds: [...new Set(goals.map((g) => g.id))] });
  return rows.slice(0, DASHBOARD_TILES).map((row) => {
    const f = impactView(row, locale);
    const period = `${formatDate(f.periodStart, locale)} – ${formatDate(f.periodEnd, locale)}`;
    return {
      goalNumber: goals.find((g) => g.id === f.goalId)?.number ?? 0,
      label: `${f.demo ? `${t.demo}: ` : ""}${f.label} (${methods[f.method]}, ${period})`,
      value: `${f.value} ${f.unit}`,
    };
  });
}

/** What a certificate states of the goal's results: figures whose period overlaps the certificate's year. */
export async function certificateImpact(db: Db | Tx, goalId: number, year: number): Promise<CertificateImpact[]> {
  const rows = await listImpactFigures(db, { goalIds: [goalId], overlapping: { from: `${year}-01-01`, to: `${year}-12-31` } });
  return rows.map((r) => ({
    labelSv: r.labelSv,
    labelEn: r.labelEn,
    value: r.value,
    valueTo: r.valueTo,
    unitSv: r.unitSv,
    unitEn: r.unitEn,
    method: r.method,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    demo: r.demo,
  }));
}
