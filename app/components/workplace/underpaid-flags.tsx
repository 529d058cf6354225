import { Form } from "@remix-run/react";
import { FieldError, fieldAria } from "~/components/field-error";
import { DataTable } from "~/components/ui/data-table";
import { authorLabel } from "~/i18n/authors";
import { fill, type Locale } from "~/i18n/messages";
import { underpaidFlagMessages } from "~/i18n/workplace-payroll";
import type { UnderpaidFlag } from "~/services/workplace/underpaid-flags.server";
import { formatDateTime } from "~/utils/dates";
import { formatOre } from "~/utils/money";

type Failure = { message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> } | undefined;

/**
 * Staff's list of this employer's payroll invoices paid short under the rule "ask staff" (issue 13
 * item 6), each open one with a note field and "Mark resolved" (`intent=resolve`, a plain POST that works
 * without JavaScript). A refusal comes back as `result` and is shown next to the note of the flag it is about.
 */
export function UnderpaidFlags({ flags, result, locale }: { flags: UnderpaidFlag[]; result: Failure; locale: Locale }) {
  const t = underpaidFlagMessages(locale);
  return (
    <section aria-labelledby="underpaid-flags-heading" className="stack">
      <h2 id="underpaid-flags-heading">{t.heading}</h2>
      <p>{t.lead}</p>
      {flags.length === 0 ? (
        <p className="empty">{t.none}</p>
      ) : (
        <DataTable
          labelledBy="underpaid-flags-heading"
          rows={flags}
          rowKey={(f) => f.id}
          columns={[
            { label: t.invoice, cell: (f) => f.invoiceNumber ?? "–" },
            { label: t.flagged, nowrap: true, cell: (f) => formatDateTime(f.at, locale) },
            { label: t.paid, numeric: true, cell: (f) => formatOre(f.paidOre) },
            { label: t.short, numeric: true, cell: (f) => formatOre(f.shortOre) },
            {
              label: t.state,
              cell: (f) => (f.resolved ? fill(t.resolvedBy, { when: formatDateTime(f.resolved.at, locale), who: authorLabel(f.resolved.by, locale), note: f.resolved.note }) : <ResolveFlag id={f.id} label={t.note} button={t.resolve} result={result} />),
            },
          ]}
        />
      )}
    </section>
  );
}

function ResolveFlag({ id, label, button, result }: { id: string; label: string; button: string; result: Failure }) {
  const mine = result?.values?.intent === "resolve" && result.values.anomalyId === id ? result : undefined;
  const field = `flag-note-${id}`;
  const error = mine ? (mine.fieldErrors?.note ?? mine.fieldErrors?.anomalyId ?? mine.message) : undefined;
  return (
    <Form method="post" className="inline-form" noValidate>
      <input type="hidden" name="intent" value="resolve" />
      <input type="hidden" name="anomalyId" value={id} />
      <label htmlFor={field}>{label}</label> <input id={field} name="note" type="text" maxLength={500} defaultValue={mine?.values?.note} {...fieldAria(field, error)} />{" "}
      <button type="submit" className="button button-secondary">
        {button}
      </button>
      <FieldError id={field} message={error} />
    </Form>
  );
}
