import { AppForm, EmailField, TextField, useAppForm } from "~/components/form";
import { organisationFieldErrors, organisationFormMessages } from "~/i18n/organisations";
import type { Locale } from "~/i18n/messages";
import { invoiceDetailsSchema } from "~/validation/organisations";

/** Where invoices go, their reference and PO (intent "invoice"): what an organisation's own contacts may change. */
export function InvoiceDetailsForm({ locale, result, defaultValue }: { locale: Locale; result: unknown; defaultValue: Record<string, string> }) {
  const t = organisationFormMessages(locale);
  const mine = (result as { values?: Record<string, string> } | undefined)?.values?.intent === "invoice" ? result : undefined;
  const f = useAppForm({ id: "invoice-details", schema: invoiceDetailsSchema, result: mine, messages: organisationFieldErrors, defaultValue });
  return (
    <AppForm of={f} className="stack">
      <input type="hidden" name="intent" value="invoice" />
      <EmailField meta={f.fields.invoiceEmail} label={t.invoiceEmail} autoComplete="off" />
      <TextField meta={f.fields.invoiceReference} label={t.invoiceReference} />
      <TextField meta={f.fields.purchaseOrder} label={t.purchaseOrder} />
      <p>
        <button type="submit" className="button">
          {t.save}
        </button>
      </p>
    </AppForm>
  );
}
