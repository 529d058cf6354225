import { Form, Link } from "@remix-run/react";
import { TextField } from "~/components/form";
import { dashboardMessages } from "~/i18n/dashboard";
import type { Locale } from "~/i18n/messages";

/**
 * The period: a GET form (the address says what is shown, works without JavaScript). Text fields,
 * not type=date, so a month (YYYY-MM) may be typed and a refused value stays as typed beside its
 * message (the loader answers 400 with the field's message).
 */
export function PeriodForm({ locale, values, errors }: { locale: Locale; values: { from: string; to: string }; errors: Record<string, string> }) {
  const t = dashboardMessages(locale);
  const meta = (name: "from" | "to") => ({
    id: `period-${name}`,
    name,
    formId: "period",
    errorId: `period-${name}-error`,
    descriptionId: `period-${name}-hint`,
    errors: errors[name] ? [errors[name]] : undefined,
    initialValue: values[name],
  });
  return (
    <Form method="get" id="period" className="dashboard-period" aria-label={t.periodLegend} noValidate>
      <TextField meta={meta("from")} label={t.from} hint={t.dateHint} autoComplete="off" size={12} />
      <TextField meta={meta("to")} label={t.to} hint={t.dateHint} autoComplete="off" size={12} />
      <div className="field">
        <button type="submit" className="button">
          {t.show}
        </button>{" "}
        <Link to="/admin" className="button secondary">
          {t.thisYear}
        </Link>
      </div>
    </Form>
  );
}
