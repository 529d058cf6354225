import { Link } from "@remix-run/react";
import type { FieldMeta } from "~/components/form";
import type { invoiceMessages } from "~/i18n/invoices";
import { fill } from "~/i18n/messages";

/** A refusal from an invoice action (`attempt`): messages already in the reader's language, typed values. */
export type InvoiceFailure = { ok: false; message?: string; fieldErrors: Record<string, string>; values: Record<string, string> } | null | undefined;

/**
 * Field metadata for the app's form fields without Conform's client state: the invoice forms have
 * indexed line rows (`lines[0].text`) and work as plain POSTs, so the server's refusal is all a field
 * needs (its message next to it, the typed value kept).
 */
export function fieldsFrom(formId: string, failure: InvoiceFailure) {
  return (name: string, initialValue?: string): FieldMeta => {
    const id = `${formId}-${name.replace(/[^a-zA-Z0-9]+/g, "-")}`;
    const error = failure?.fieldErrors[name];
    return { id, name, formId, errorId: `${id}-error`, descriptionId: `${id}-hint`, errors: error ? [error] : undefined, initialValue: failure?.values[name] ?? initialValue };
  };
}

/** Bank invoices cannot be sent while the charity's bankgiro, organisation number or address is missing. */
export function SettingsNotice({ missing, t }: { missing: string[]; t: ReturnType<typeof invoiceMessages> }) {
  if (!missing.length) return null;
  const names = missing.map((s) => (t as Record<string, string>)[`setting_${s}`] ?? s).join(", ");
  return (
    <p className="notice warning" role="status">
      {fill(t.settingsMissing, { settings: names })} <Link to="/admin/settings">{t.settingsLink}</Link>
    </p>
  );
}

