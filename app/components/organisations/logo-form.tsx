import { AppForm, FileField, useAppForm } from "~/components/form";
import { organisationFieldErrors, organisationFormMessages } from "~/i18n/organisations";
import type { Locale } from "~/i18n/messages";
import { logoSchema } from "~/validation/organisations";

/** Upload or replace the logo (intent "logo"); the page's action calls setOrganisationLogo. */
export function LogoForm({ locale, result }: { locale: Locale; result: unknown }) {
  const t = organisationFormMessages(locale);
  const mine = (result as { values?: Record<string, string> } | undefined)?.values?.intent === "logo" ? result : undefined;
  const f = useAppForm({ id: "organisation-logo", schema: logoSchema, result: mine, messages: organisationFieldErrors });
  return (
    <AppForm of={f} encType="multipart/form-data" className="stack">
      <input type="hidden" name="intent" value="logo" />
      <FileField meta={f.fields.logo} label={t.logo} accept={["image/png", "image/jpeg", "image/webp"]} maxBytes={1_000_000} />
      <p>
        <button type="submit" className="button">
          {t.uploadLogo}
        </button>
      </p>
    </AppForm>
  );
}
