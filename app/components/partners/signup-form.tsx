import { AmountField, AppForm, CheckboxField, EmailField, OrgNumberField, RadioGroupField, SelectField, TextField, useAppForm } from "~/components/form";
import { Badge } from "~/components/ui/badge";
import { partnerSignupErrors, partnerSignupMessages } from "~/i18n/partner-signup";
import { fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { partnerSignupSchema } from "~/validation/partner-signup";
import { TermsText } from "./terms-text";

export interface SignupOptions {
  terms: { version: number; body: string; publishedAt: string; demo: boolean };
  goals: { slug: string; number: number; title: string }[];
  tiers: { slug: string; name: string; minYearlyOre: string | null; benefits: string[] }[];
  industries: { id: number; name: string }[];
  bankInvoiceAvailable: boolean;
}

/**
 * The /partners/join form (issue 11 item 5): goal and tier (each tier's minimum and benefits; a tier
 * without a minimum set by staff cannot be chosen), the company, its main contact, invoice details,
 * the terms in force and the payment. Works without JavaScript; with it, Conform checks the same schema.
 */
export function PartnerSignupForm({ locale, options, result, prefill }: { locale: Locale; options: SignupOptions; result: unknown; prefill: { goal: string | null; tier: string | null } }) {
  const t = partnerSignupMessages(locale);
  const f = useAppForm({
    id: "partner-signup",
    schema: partnerSignupSchema,
    result,
    messages: partnerSignupErrors,
    defaultValue: { goal: prefill.goal ?? "", tier: prefill.tier ?? "", termsVersion: String(options.terms.version), isPublic: "on" },
  });
  const { fields } = f;
  return (
    <AppForm of={f} className="stack">
      <input type="hidden" name="termsVersion" value={options.terms.version} />
      <fieldset className="stack">
        <legend>{t.goalSection}</legend>
        <SelectField meta={fields.goal} label={t.goal} options={[{ value: "", label: t.chooseGoal }, ...options.goals.map((g) => ({ value: g.slug, label: `${g.number}. ${g.title}` }))]} />
        <RadioGroupField
          meta={fields.tier}
          legend={t.tier}
          options={options.tiers.map((tier) => ({
            value: tier.slug,
            disabled: tier.minYearlyOre === null,
            label: (
              <span className="stack-tight">
                <strong>{tier.name}</strong> <span>{tier.minYearlyOre === null ? t.tierNoMinimum : fill(t.tierMinimum, { amount: formatOre(tier.minYearlyOre) })}</span>
                {tier.benefits.length ? (
                  <span>
                    {t.tierBenefits} {tier.benefits.join(" · ")}
                  </span>
                ) : null}
              </span>
            ),
          }))}
        />
        <AmountField meta={fields.amount} label={t.amount} hint={t.amountHint} />
      </fieldset>
      <fieldset className="stack">
        <legend>{t.companySection}</legend>
        <TextField meta={fields.companyName} label={t.companyName} autoComplete="organization" />
        <OrgNumberField meta={fields.orgNumber} label={t.orgNumber} hint={t.orgNumberHint} />
        <TextField meta={fields.address} label={t.address} autoComplete="street-address" />
        <TextField meta={fields.postalCode} label={t.postalCode} autoComplete="postal-code" inputMode="numeric" />
        <TextField meta={fields.city} label={t.city} autoComplete="address-level2" />
        <TextField meta={fields.website} label={t.websiteLabel} type="url" autoComplete="url" />
        <SelectField meta={fields.industry} label={t.industry} options={[{ value: "", label: t.chooseIndustry }, ...options.industries.map((i) => ({ value: String(i.id), label: i.name }))]} />
        <CheckboxField meta={fields.isPublic} label={t.isPublic} />
      </fieldset>
      <fieldset className="stack">
        <legend>{t.contactSection}</legend>
        <TextField meta={fields.contactName} label={t.contactName} autoComplete="name" />
        <EmailField meta={fields.email} label={t.email} hint={t.emailHint} />
      </fieldset>
      <fieldset className="stack">
        <legend>{t.invoiceSection}</legend>
        <EmailField meta={fields.invoiceEmail} label={t.invoiceEmail} hint={t.invoiceEmailHint} autoComplete="off" />
        <TextField meta={fields.invoiceReference} label={t.invoiceReference} />
        <TextField meta={fields.purchaseOrder} label={t.purchaseOrder} />
      </fieldset>
      <fieldset className="stack">
        <legend>{t.termsSection}</legend>
        <h3>
          {fill(t.termsVersion, { version: options.terms.version, date: formatDate(options.terms.publishedAt, locale) })} {options.terms.demo ? <Badge tone="warning">{t.demoTerms}</Badge> : null}
        </h3>
        <TermsText body={options.terms.body} />
        <CheckboxField meta={fields.acceptTerms} label={t.acceptTerms} />
      </fieldset>
      <RadioGroupField
        meta={fields.payment}
        legend={t.payment}
        options={[
          { value: "card", label: t.paymentCard },
          { value: "bank_invoice", label: t.paymentBankInvoice, disabled: !options.bankInvoiceAvailable },
          { value: "stripe_invoice", label: t.paymentStripeInvoice },
        ]}
      />
      <p>
        <button type="submit" className="button">
          {t.submit}
        </button>
      </p>
    </AppForm>
  );
}
