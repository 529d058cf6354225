import type { ReactNode } from "react";

/** Key figures side by side (a description list: the label is the term, the figure its value). */
export function StatTiles({ label, children }: { label?: string; children: ReactNode }) {
  return (
    <dl className="stat-grid" aria-label={label}>
      {children}
    </dl>
  );
}

export function StatTile({ label, value, hint, goal }: { label: ReactNode; value: ReactNode; hint?: ReactNode; goal?: number }) {
  return (
    <div className={goal ? `stat goal-card goal-${goal}` : "stat"}>
      <dt>{label}</dt>
      <dd className="stat-value">{value}</dd>
      {hint ? <dd className="stat-hint">{hint}</dd> : null}
    </div>
  );
}
