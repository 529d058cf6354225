import { AmountField, CheckboxField, SelectField, TextareaField, TextField } from "~/components/form";
import { fieldsFrom, type InvoiceFailure } from "~/components/invoice-fields";
import { fill, type Locale } from "~/i18n/messages";
import { partnershipMessages, statusLabel } from "~/i18n/partnerships";
import { formatOre } from "~/utils/money";

export type PartnershipFailure = InvoiceFailure;

interface Options {
  organisations: { id: number; name: string }[];
  goals: { id: number; title: string }[];
  tiers: { slug: string; name: string; minYearlyOre: string | null }[];
}

/** The values a partnership's form starts from (an existing partnership's, or a new one's). */
export interface PartnershipValues {
  organisationId?: string;
  goalId?: string;
  tier?: string;
  agreedYearly?: string;
  startsOn?: string;
  endsOn?: string;
  status?: string;
  isPublic?: boolean;
  note?: string;
}

/**
 * The fields of the staff's partnership form (new and edit): plain POST fields whose refusals come
 * back from the service next to each field. `fixed` leaves out what cannot change on an existing one.
 */
export function PartnershipFields({
  formId,
  failure,
  options,
  values,
  locale,
  isNew,
}: {
  formId: string;
  failure: PartnershipFailure;
  options: Options;
  values: PartnershipValues;
  locale: Locale;
  isNew: boolean;
}) {
  const t = partnershipMessages(locale);
  const field = fieldsFrom(formId, failure);
  // After a refusal the box is as it was sent (left out: not ticked); before, as stored.
  const publicField = { ...field("isPublic"), initialValue: failure ? failure.values.isPublic : values.isPublic ? "on" : undefined };
  return (
    <>
      {isNew ? (
        <>
          <SelectField
            meta={field("organisationId", values.organisationId)}
            label={t.organisation}
            options={[{ value: "", label: t.chooseOrganisation }, ...options.organisations.map((o) => ({ value: String(o.id), label: o.name }))]}
          />
          <SelectField
            meta={field("status", values.status ?? "prospect")}
            label={t.status}
            options={(["prospect", "negotiating", "declined"] as const).map((s) => ({ value: s, label: statusLabel(locale, s) }))}
          />
        </>
      ) : null}
      <SelectField
        meta={field("goalId", values.goalId)}
        label={t.goal}
        options={[{ value: "", label: t.chooseGoal }, ...options.goals.map((g) => ({ value: String(g.id), label: g.title }))]}
      />
      <SelectField
        meta={field("tier", values.tier ?? "vanforetag")}
        label={t.tier}
        options={options.tiers.map((x) => ({
          value: x.slug,
          label: x.minYearlyOre ? fill(t.tierWithMin, { name: x.name, min: formatOre(BigInt(x.minYearlyOre)) }) : fill(t.tierNoMin, { name: x.name }),
        }))}
      />
      <AmountField meta={field("agreedYearly", values.agreedYearly)} label={t.agreedYearly} hint={t.agreedHint} />
      <TextField meta={field("startsOn", values.startsOn)} label={t.startsOn} placeholder="2027-01-01" autoComplete="off" />
      <TextField meta={field("endsOn", values.endsOn)} label={t.endsOn} placeholder="2027-12-31" autoComplete="off" />
      <CheckboxField meta={publicField} label={t.isPublic} />
      <TextareaField meta={field("note", values.note)} label={t.note} rows={3} max={2000} />
    </>
  );
}
