import type { ReactNode } from "react";
import { fill, type Locale } from "~/i18n/messages";
import { uiMessages } from "~/i18n/ui";
import { useLocale } from "~/i18n/use-locale";

export type Tone = "neutral" | "success" | "warning" | "danger" | "info";

/** A short status word in a tinted pill. The word carries the meaning; the colour only repeats it. */
export function Badge({ tone = "neutral", children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/**
 * The tone of each status the app shows, so that "paid" is green and "failed" red on every page.
 * Unknown statuses are neutral.
 */
const tones: Record<string, Tone> = {
  // payments
  paid: "success",
  succeeded: "success",
  pending: "warning",
  held: "warning",
  processing: "warning",
  open: "info",
  refunded: "neutral",
  partially_refunded: "warning",
  disputed: "danger",
  failed: "danger",
  expired: "neutral",
  canceled: "neutral",
  cancelled: "neutral",
  // monthly gifts, partnerships, invoices, emails
  active: "success",
  incomplete: "warning",
  past_due: "danger",
  draft: "neutral",
  sent: "success",
  queued: "info",
  void: "neutral",
  overdue: "danger",
  error: "danger",
};

export function statusTone(status: string): Tone {
  return tones[status] ?? "neutral";
}

/** A status from the database with its translated label, in the status's colour. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <Badge tone={statusTone(status)}>{label}</Badge>;
}

/**
 * A goal's number in the goal's own colour. Used wherever a goal is named (goal pages, the give
 * form, staff tables) so the five goals are told apart the same way everywhere.
 */
export function GoalBadge({ number, title, locale }: { number: number; title?: ReactNode; locale?: Locale }) {
  const current = useLocale();
  const label = fill(uiMessages(locale ?? current).goalBadge, { number });
  return (
    <span className="goal-tag">
      <span className={`goal-badge goal-${number}`} aria-hidden="true">
        {number}
      </span>
      <span className="visually-hidden">
        {label}
        {title ? ": " : ""}
      </span>
      {title ? <span className="goal-tag-title">{title}</span> : null}
    </span>
  );
}
