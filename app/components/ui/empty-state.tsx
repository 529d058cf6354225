import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** Nothing to list yet: say so, and say what to do next (with a link to do it, when there is one). */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: { to: string; label: string } }) {
  return (
    <div className="empty-state">
      <p className="empty-state-title">{title}</p>
      {children ? <div className="empty-state-next">{children}</div> : null}
      {action ? (
        <p>
          <Link className="button secondary" to={action.to}>
            {action.label}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
