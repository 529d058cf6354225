import type { ReactNode } from "react";

/**
 * A bordered block. `goal` gives it that goal's colour as a stripe along the top; `as="li"` puts it
 * straight into a list of cards (`<ul className="card-grid">`).
 */
export function Card({ as: Tag = "div", goal, className, children }: { as?: "div" | "li" | "article" | "section"; goal?: number; className?: string; children: ReactNode }) {
  const classes = ["card", goal ? `goal-card goal-${goal}` : "", className ?? ""].filter(Boolean).join(" ");
  return <Tag className={classes}>{children}</Tag>;
}
