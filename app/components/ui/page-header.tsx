import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * A page's heading block: an optional way back, a small line above the title (the goal's number, the
 * area), the h1 with the id the page's section is labelled by, a lead paragraph and actions.
 */
export function PageHeader({
  id,
  title,
  eyebrow,
  lead,
  back,
  actions,
}: {
  id: string;
  title: ReactNode;
  eyebrow?: ReactNode;
  lead?: ReactNode;
  back?: { to: string; label: string };
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      {back ? (
        <p className="page-back">
          <Link to={back.to}>← {back.label}</Link>
        </p>
      ) : null}
      {eyebrow ? <p className="eyebrow">{eyebrow}</p> : null}
      <h1 id={id}>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}
