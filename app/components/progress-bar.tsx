import { common, fill, type Locale } from "~/i18n/messages";
import { formatOre, percentOf } from "~/utils/money";

/**
 * Raised vs target. Without a target it shows the raised amount alone, never a made-up goal. With
 * `goal` (its number) the bar is filled in that goal's colour.
 */
export function ProgressBar({ raisedOre, targetOre, locale, goal }: { raisedOre: string; targetOre: string | null; locale: Locale; goal?: number }) {
  const t = common(locale);
  const pct = percentOf(raisedOre, targetOre);
  const raised = formatOre(raisedOre);
  if (pct === null || targetOre === null) {
    return (
      <div className="progress">
        <p className="progress-text">
          {t.raised}: <strong data-testid="raised">{raised}</strong> · {t.noTarget}
        </p>
      </div>
    );
  }
  const label = fill(t.progressLabel, { raised, target: formatOre(targetOre) });
  return (
    <div className={goal ? `progress goal-progress goal-${goal}` : "progress"}>
      <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label={label}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className="progress-text">
        <strong data-testid="raised">{raised}</strong> / {formatOre(targetOre)}
      </p>
    </div>
  );
}
