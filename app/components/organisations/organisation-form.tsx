import { Link } from "@remix-run/react";
import { AppForm, CheckboxField, EmailField, OrgNumberField, SelectField, TextField, useAppForm } from "~/components/form";
import { organisationFieldErrors, organisationFormMessages } from "~/i18n/organisations";
import type { Locale } from "~/i18n/messages";
import { organisationSchema } from "~/validation/organisations";

export interface IndustryOption {
  id: number;
  nameSv: string;
  nameEn: string;
}

/** What an action answered: a refusal carries the existing organisation's id when the number is taken. */
type Answer = { ok: false; error: string; params?: Record<string, string | number> } | { ok: true } | undefined;

/**
 * Every field of an organisation, for staff (new and edit). A refused duplicate number gets a link to
 * the organisation that has it, under the field's message.
 */
export function OrganisationForm({
  id,
  locale,
  industries,
  result,
  defaultValue,
  submitLabel,
}: {
  id: string;
  locale: Locale;
  industries: IndustryOption[];
  result: unknown;
  defaultValue?: Record<string, unknown>;
  submitLabel: string;
}) {
  const t = organisationFormMessages(locale);
  const f = useAppForm({ id, schema: organisationSchema, result, messages: organisationFieldErrors, defaultValue });
  const answer = result as Answer;
  const existingId = answer && !answer.ok && answer.error === "organisation_exists" ? answer.params?.id : undefined;
  const industryOptions = [{ value: "", label: t.noIndustry }, ...industries.map((i) => ({ value: String(i.id), label: locale === "en" ? i.nameEn : i.nameSv }))];
  return (
    <AppForm of={f} className="stack">
      <TextField meta={f.fields.name} label={t.name} autoComplete="organization" />
      <OrgNumberField meta={f.fields.orgNumber} label={t.orgNumber} hint={t.orgNumberHint} />
      {existingId ? (
        <p data-testid="existing-organisation">
          <Link to={`/admin/organisations/${existingId}`}>{t.existing}</Link>
        </p>
      ) : null}
      <TextField meta={f.fields.address} label={t.address} autoComplete="street-address" />
      <TextField meta={f.fields.postalCode} label={t.postalCode} autoComplete="postal-code" inputMode="numeric" />
      <TextField meta={f.fields.city} label={t.city} autoComplete="address-level2" />
      <TextField meta={f.fields.website} label={t.website} hint={t.websiteHint} type="url" autoComplete="url" />
      <SelectField meta={f.fields.industryId} label={t.industry} options={industryOptions} />
      <fieldset>
        <legend>{t.invoiceHeading}</legend>
        <EmailField meta={f.fields.invoiceEmail} label={t.invoiceEmail} autoComplete="off" />
        <TextField meta={f.fields.invoiceReference} label={t.invoiceReference} />
        <TextField meta={f.fields.purchaseOrder} label={t.purchaseOrder} />
      </fieldset>
      <CheckboxField meta={f.fields.isPublic} label={t.isPublic} />
      <p>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </p>
    </AppForm>
  );
}

/** An organisation's stored values as the form's starting values (text, "on" for a ticked box). */
export function organisationFormValues(org: {
  name: string;
  orgNumber: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  website: string | null;
  industryId: number | null;
  invoiceEmail: string | null;
  invoiceReference: string | null;
  purchaseOrder: string | null;
  isPublic: boolean;
}): Record<string, string> {
  return {
    name: org.name,
    orgNumber: org.orgNumber ?? "",
    address: org.address ?? "",
    postalCode: org.postalCode ?? "",
    city: org.city ?? "",
    website: org.website ?? "",
    industryId: org.industryId ? String(org.industryId) : "",
    invoiceEmail: org.invoiceEmail ?? "",
    invoiceReference: org.invoiceReference ?? "",
    purchaseOrder: org.purchaseOrder ?? "",
    isPublic: org.isPublic ? "on" : "",
  };
}
