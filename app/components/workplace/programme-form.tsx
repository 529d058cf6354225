import { AmountField, AppForm, RadioGroupField, SelectField, TextField, useAppForm } from "~/components/form";
import { FieldError, FieldHint, useFieldError, type FieldMeta } from "~/components/form/field";
import { GoalBadge } from "~/components/ui/badge";
import { fill, type Locale } from "~/i18n/messages";
import { workplaceProgrammeErrors, workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import type { ProgrammeSetup } from "~/services/workplace/programme.server";
import { formatOre, oreToKronorText } from "~/utils/money";
import { programmeSchema, staffProgrammeSchema } from "~/validation/workplace-programme";

type Setup = Pick<ProgrammeSetup, "programme" | "goals" | "contacts" | "staff">;

/** The form's starting values: the saved programme, or the defaults of a new one. */
function defaults(setup: Setup): Record<string, unknown> {
  const p = setup.programme;
  const kr = (ore: string | null) => (ore === null ? "" : oreToKronorText(ore));
  return {
    goalIds: (p?.goalIds ?? []).map(String),
    perMilleOffered: p ? (p.perMilleOffered ? "yes" : "no") : "yes",
    matchMode: p?.matchMode ?? "none",
    matchPercent: p?.matchPercent?.toString() ?? "",
    matchCap: kr(p?.matchCapOre ?? null),
    matchPot: kr(p?.matchPotOre ?? null),
    payrollDay: p?.payrollDay?.toString() ?? "",
    payrollContactPersonId: p?.payrollContactPersonId?.toString() ?? "",
    payCode: p?.payCode ?? "",
    paymentMethod: p?.paymentMethod ?? "bank",
    statedHeadcount: p?.statedHeadcount?.toString() ?? "",
    differenceRule: p?.differenceRule ?? "ask_staff",
    minimum: kr(p?.minimumOre ?? "5000"),
  };
}

/** The goals offered: a group of checkboxes (none ticked = every goal), its error next to the group. */
function GoalChoices({ meta, goals, legend, hint, locale }: { meta: FieldMeta; goals: Setup["goals"]; legend: string; hint: string; locale: Locale }) {
  const error = useFieldError(meta);
  const start = Array.isArray(meta.initialValue) ? meta.initialValue.map(String) : typeof meta.initialValue === "string" ? [meta.initialValue] : [];
  return (
    <fieldset className="choice-group" id={meta.id} aria-invalid={error ? true : undefined} aria-describedby={[meta.descriptionId, error ? meta.errorId : null].filter(Boolean).join(" ")}>
      <legend>{legend}</legend>
      {goals.map((g) => (
        <label key={g.id} className="choice">
          <input type="checkbox" name={meta.name} form={meta.formId} value={String(g.id)} defaultChecked={start.includes(String(g.id))} /> <GoalBadge number={g.number} locale={locale} /> {g.title}
        </label>
      ))}
      <FieldHint id={meta.descriptionId}>{hint}</FieldHint>
      <FieldError id={meta.errorId} message={error} />
    </fieldset>
  );
}

/**
 * The programme's settings (issue 13 item 1), for the employer's contact and for staff (who also set
 * the minimum pledge). Posts `intent=save`; the action answers a refusal next to the field.
 */
export function ProgrammeForm({ setup, result, locale, action }: { setup: Setup; result: unknown; locale: Locale; action?: string }) {
  const t = workplaceProgrammeMessages(locale);
  const f = useAppForm({ id: "workplace-programme", schema: setup.staff ? staffProgrammeSchema : programmeSchema, result, messages: workplaceProgrammeErrors, defaultValue: defaults(setup) });
  const fields = f.fields as unknown as Record<string, FieldMeta>;
  return (
    <AppForm of={f} className="stack" action={action}>
      <input type="hidden" name="intent" value="save" />
      <GoalChoices meta={fields.goalIds} goals={setup.goals} legend={t.goals} hint={t.goalsHint} locale={locale} />
      <RadioGroupField
        meta={fields.perMilleOffered}
        legend={t.perMilleOffered}
        options={[
          { value: "yes", label: t.perMilleYes },
          { value: "no", label: t.perMilleNo },
        ]}
      />
      <RadioGroupField
        meta={fields.matchMode}
        legend={t.matchMode}
        options={[
          { value: "none", label: t.matchNone },
          { value: "percent", label: t.matchPercent },
          { value: "pot", label: t.matchPot },
        ]}
      />
      <TextField meta={fields.matchPercent} label={t.matchPercentLabel} inputMode="numeric" autoComplete="off" />
      <AmountField meta={fields.matchCap} label={t.matchCapLabel} />
      <AmountField meta={fields.matchPot} label={t.matchPotLabel} />
      <TextField meta={fields.payrollDay} label={t.payrollDay} inputMode="numeric" autoComplete="off" />
      <SelectField meta={fields.payrollContactPersonId} label={t.payrollContact} options={[{ value: "", label: t.noPayrollContact }, ...setup.contacts.map((c) => ({ value: String(c.personId), label: c.label }))]} />
      <TextField meta={fields.payCode} label={t.payCode} hint={t.payCodeHint} autoComplete="off" />
      <RadioGroupField
        meta={fields.paymentMethod}
        legend={t.paymentMethod}
        options={[
          { value: "bank", label: t.paymentBank },
          { value: "stripe", label: t.paymentStripe },
        ]}
      />
      <TextField meta={fields.statedHeadcount} label={t.headcount} hint={t.headcountHint} inputMode="numeric" autoComplete="off" />
      <RadioGroupField
        meta={fields.differenceRule}
        legend={t.differenceRule}
        options={[
          { value: "carry", label: t.differenceCarry },
          { value: "ask_staff", label: t.differenceAskStaff },
        ]}
      />
      {setup.staff ? (
        <AmountField meta={fields.minimum} label={t.minimum} hint={t.minimumHint} />
      ) : setup.programme ? (
        <p className="hint">{fill(t.minimumShown, { amount: formatOre(BigInt(setup.programme.minimumOre)) })}</p>
      ) : null}
      <p>
        <button type="submit" className="button">
          {t.save}
        </button>
      </p>
    </AppForm>
  );
}
