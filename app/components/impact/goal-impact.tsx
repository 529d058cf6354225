import { Badge } from "~/components/ui/badge";
import { impactMessages, impactMethodLabels } from "~/i18n/impact";
import type { Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";

/** A figure as the loaders send it (ImpactView from app/services/impact/impact.server.ts). */
export interface ImpactItem {
  id: number;
  label: string;
  value: string;
  unit: string;
  method: "measured" | "estimated";
  periodStart: string;
  periodEnd: string;
  demo: boolean;
}

/** The goal page's impact figures (issue 14 item 3): nothing at all when staff have entered none. */
export function GoalImpact({ figures, locale }: { figures: ImpactItem[]; locale: Locale }) {
  if (figures.length === 0) return null;
  const t = impactMessages(locale);
  const methods = impactMethodLabels(locale);
  return (
    <section aria-labelledby="goal-impact-heading" className="goal-impact">
      <h2 id="goal-impact-heading">{t.heading}</h2>
      <p>{t.lead}</p>
      <ul className="impact-list">
        {figures.map((f) => (
          <li key={f.id}>
            <strong className="impact-value">
              {f.value} {f.unit}
            </strong>{" "}
            <span>{f.label}</span>{" "}
            <span className="impact-meta">
              ({methods[f.method]}, {formatDate(f.periodStart, locale)} – {formatDate(f.periodEnd, locale)})
            </span>
            {f.demo ? (
              <>
                {" "}
                <Badge tone="neutral" title={t.demoNote}>
                  {t.demo}
                </Badge>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
