import { useEffect, useState } from "react";
import { AmountField, FieldError, RadioGroupField, SelectField, TextField, useFieldError, type FieldMeta } from "~/components/form";
import { fill, type Locale } from "~/i18n/messages";
import { monthName, workplacePledgeMessages } from "~/i18n/workplace-pledge";
import { formatOre } from "~/utils/money";
import { pledgeShareField } from "~/validation/workplace-pledge";

type Texts = ReturnType<typeof workplacePledgeMessages>;

export interface PledgeFieldsProps {
  fields: Record<string, FieldMeta>;
  locale: Locale;
  goals: { id: number; number: number; title: string }[];
  months: string[];
  minimumOre: string;
  perMilleOffered: boolean;
  /** "firstMonth" (join) or "fromMonth" (change). */
  monthField: "firstMonth" | "fromMonth";
  monthLabel: string;
  monthHint?: string;
}

/**
 * The terms part of the join and change forms: fixed kronor or a per-mille, one goal or a split, and
 * the payroll month it starts. Without JavaScript both the amount and the rate (and both goal
 * choices) are shown and the radio buttons say which counts; with it the other one is hidden.
 */
export function PledgeTermsFields(props: PledgeFieldsProps) {
  const { fields, locale, goals } = props;
  const t: Texts = workplacePledgeMessages(locale);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const initial = (name: string, fallback: string) => (typeof fields[name]?.initialValue === "string" ? (fields[name].initialValue as string) : fallback);
  const [kind, setKind] = useState(initial("kind", "fixed"));
  const [goalMode, setGoalMode] = useState(initial("goalMode", "one"));
  const sharesError = useFieldError(fields.shares);
  const show = (on: boolean) => (!hydrated || on ? undefined : true);
  return (
    <>
      {props.perMilleOffered ? (
        <RadioGroupField
          meta={fields.kind}
          legend={t.kind}
          value={kind}
          onValueChange={setKind}
          options={[
            { value: "fixed", label: t.kindFixed },
            { value: "per_mille", label: t.kindPerMille },
          ]}
        />
      ) : (
        <input type="hidden" name="kind" value="fixed" />
      )}
      <div hidden={show(kind === "fixed")}>
        <AmountField meta={fields.amount} label={t.amount} hint={fill(t.amountHint, { min: formatOre(props.minimumOre) })} />
      </div>
      {props.perMilleOffered ? (
        <div hidden={show(kind === "per_mille")}>
          <TextField meta={fields.rate} label={t.rate} hint={t.rateHint} inputMode="decimal" autoComplete="off" />
        </div>
      ) : null}
      {goals.length > 1 ? (
        <RadioGroupField
          meta={fields.goalMode}
          legend={t.goalMode}
          value={goalMode}
          onValueChange={setGoalMode}
          options={[
            { value: "one", label: t.goalModeOne },
            { value: "split", label: t.goalModeSplit },
          ]}
        />
      ) : null}
      <div hidden={show(goalMode !== "split")}>
        <SelectField meta={fields.goal} label={t.goal} options={[{ value: "", label: t.chooseGoal }, ...goals.map((g) => ({ value: String(g.id), label: g.title }))]} />
      </div>
      {goals.length > 1 ? (
        <fieldset hidden={show(goalMode === "split")} className="stack" aria-describedby={sharesError ? fields.shares.errorId : undefined} aria-invalid={sharesError ? true : undefined}>
          <legend>{t.shares}</legend>
          {goals.map((g) => (
            <TextField key={g.id} meta={fields[pledgeShareField(g.id)]} label={fill(t.shareOf, { goal: g.title })} inputMode="numeric" autoComplete="off" size={4} />
          ))}
          <FieldError id={fields.shares.errorId} message={sharesError} />
        </fieldset>
      ) : null}
      <SelectField meta={fields[props.monthField]} label={props.monthLabel} hint={props.monthHint} options={props.months.map((m) => ({ value: m.slice(0, 7), label: monthName(m, locale) }))} />
    </>
  );
}
