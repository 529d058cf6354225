import { Form, Link, useLocation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Locale } from "~/i18n/messages";
import { uiMessages } from "~/i18n/ui";
import { useLocale } from "~/i18n/use-locale";

/**
 * A destructive action in two steps that needs no JavaScript. Step one is a link to the same page with
 * `?confirm=<id>`; on that page the button is replaced by a box that says what will happen, with the
 * real POST form (its hidden `fields`) and a way back. Nothing is written before the second step.
 */
export function ConfirmAction({
  id,
  label,
  question,
  confirmLabel,
  fields,
  action,
  locale,
  children,
}: {
  /** Unique on the page: which of several confirmations is open. */
  id: string;
  /** The first button ("Ta bort"). */
  label: string;
  /** What will happen, in a sentence ("Ta bort anna@example.com som kontaktperson?"). */
  question: string;
  /** The second, final button ("Ja, ta bort"). */
  confirmLabel: string;
  fields: Record<string, string>;
  action?: string;
  /** The page's language unless given (/dev/ui shows both). */
  locale?: Locale;
  children?: ReactNode;
}) {
  const current = useLocale();
  const t = uiMessages(locale ?? current);
  const location = useLocation();
  const [search] = useSearchParams();
  const open = search.get("confirm") === id;
  const withConfirm = new URLSearchParams(search);
  withConfirm.set("confirm", id);
  const without = new URLSearchParams(search);
  without.delete("confirm");
  const back = `${location.pathname}${without.size ? `?${without}` : ""}`;
  if (!open) {
    return (
      <Link className="button danger-outline small" to={`${location.pathname}?${withConfirm}`} preventScrollReset>
        {label}
      </Link>
    );
  }
  const headingId = `confirm-${id}-heading`;
  return (
    <div className="confirm-step" role="group" aria-labelledby={headingId}>
      <p className="confirm-title" id={headingId}>
        <strong>{t.confirmTitle}</strong> {question}
      </p>
      {children}
      <Form method="post" action={action ?? back} className="button-row">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="button danger">
          {confirmLabel}
        </button>
        <Link className="button secondary" to={back} preventScrollReset>
          {t.cancel}
        </Link>
      </Form>
    </div>
  );
}
