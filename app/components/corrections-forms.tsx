import { Form } from "@remix-run/react";
import type { CorrectionsText } from "~/i18n/corrections";
import { FieldError, fieldAria } from "./field-error";

/** The forms of /admin/corrections. Each posts an `intent`; errors and typed values come back from the action. */

type Failure = { fieldErrors: Record<string, string>; values: Record<string, string> } | null;
type GoalOption = { id: number; title: string };

function errorsFor(failure: Failure, intent: string) {
  const mine = failure?.values.intent === intent ? failure : null;
  return { errors: mine?.fieldErrors ?? {}, values: mine?.values ?? {} };
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      {children}
      <FieldError id={id} message={error} />
    </div>
  );
}

function GoalSelect({ id, name, goals, t, value, error }: { id: string; name: string; goals: GoalOption[]; t: CorrectionsText; value?: string; error?: string }) {
  return (
    <select id={id} name={name} defaultValue={value ?? ""} {...fieldAria(id, error)}>
      <option value="">{t.chooseGoal}</option>
      {goals.map((g) => (
        <option key={g.id} value={g.id}>
          {g.title}
        </option>
      ))}
    </select>
  );
}

function ChannelSelect({ id, t, channels, value, error }: { id: string; t: CorrectionsText; channels: readonly string[]; value?: string; error?: string }) {
  return (
    <select id={id} name="channel" defaultValue={value ?? ""} {...fieldAria(id, error)}>
      <option value="">–</option>
      {channels.map((c) => (
        <option key={c} value={c}>
          {(t as Record<string, string>)[`channel_${c}`] ?? c}
        </option>
      ))}
    </select>
  );
}

export function CorrectionForm({ t, goals, channels, openRefunds, failure }: { t: CorrectionsText; goals: GoalOption[]; channels: readonly string[]; openRefunds: { id: string; label: string }[]; failure: Failure }) {
  const { errors, values } = errorsFor(failure, "correction");
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="correction-heading">
      <input type="hidden" name="intent" value="correction" />
      <Field id="c-goal" label={t.goal} error={errors.goalId}>
        <GoalSelect id="c-goal" name="goalId" goals={goals} t={t} value={values.goalId} error={errors.goalId} />
      </Field>
      <fieldset {...fieldAria("c-direction", errors.direction)}>
        <legend>{t.direction}</legend>
        {(["add", "remove"] as const).map((d) => (
          <label key={d}>
            <input type="radio" name="direction" value={d} defaultChecked={(values.direction ?? "add") === d} /> {t[d]}
          </label>
        ))}
        <FieldError id="c-direction" message={errors.direction} />
      </fieldset>
      <Field id="c-amount" label={t.amount} error={errors.amount}>
        <input id="c-amount" name="amount" type="text" inputMode="decimal" defaultValue={values.amount} {...fieldAria("c-amount", errors.amount)} />
      </Field>
      <Field id="c-channel" label={t.channel} error={errors.channel}>
        <ChannelSelect id="c-channel" t={t} channels={channels} value={values.channel} error={errors.channel} />
      </Field>
      <Field id="c-reason" label={t.reason} error={errors.reason}>
        <input id="c-reason" name="reason" type="text" maxLength={500} defaultValue={values.reason} {...fieldAria("c-reason", errors.reason)} />
      </Field>
      {openRefunds.length ? (
        <Field id="c-anomaly" label={t.anomaly} error={errors.anomalyId}>
          <select id="c-anomaly" name="anomalyId" defaultValue={values.anomalyId ?? ""} {...fieldAria("c-anomaly", errors.anomalyId)}>
            <option value="">{t.noAnomaly}</option>
            {openRefunds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <p>
        <button type="submit" className="button">
          {t.post}
        </button>
      </p>
    </Form>
  );
}

export function MoveForm({ t, goals, channels, failure }: { t: CorrectionsText; goals: GoalOption[]; channels: readonly string[]; failure: Failure }) {
  const { errors, values } = errorsFor(failure, "move");
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="move-heading">
      <input type="hidden" name="intent" value="move" />
      <Field id="m-from" label={t.from} error={errors.fromGoalId}>
        <GoalSelect id="m-from" name="fromGoalId" goals={goals} t={t} value={values.fromGoalId} error={errors.fromGoalId} />
      </Field>
      <Field id="m-to" label={t.to} error={errors.toGoalId}>
        <GoalSelect id="m-to" name="toGoalId" goals={goals} t={t} value={values.toGoalId} error={errors.toGoalId} />
      </Field>
      <Field id="m-amount" label={t.moveAmount} error={errors.amount}>
        <input id="m-amount" name="amount" type="text" inputMode="decimal" defaultValue={values.amount} {...fieldAria("m-amount", errors.amount)} />
      </Field>
      <Field id="m-channel" label={t.moveChannel} error={errors.channel}>
        <ChannelSelect id="m-channel" t={t} channels={channels} value={values.channel} error={errors.channel} />
      </Field>
      <Field id="m-reason" label={t.moveReason} error={errors.reason}>
        <input id="m-reason" name="reason" type="text" maxLength={500} defaultValue={values.reason} {...fieldAria("m-reason", errors.reason)} />
      </Field>
      <p>
        <button type="submit" className="button">
          {t.move}
        </button>
      </p>
    </Form>
  );
}

export function ResolveForm({ t, anomalyId, failure }: { t: CorrectionsText; anomalyId: string; failure: Failure }) {
  const mine = failure?.values.intent === "resolve" && failure.values.anomalyId === anomalyId ? failure : null;
  const id = `r-note-${anomalyId}`;
  const error = mine?.fieldErrors.note ?? mine?.fieldErrors.anomalyId;
  return (
    <Form method="post" className="inline-form" noValidate>
      <input type="hidden" name="intent" value="resolve" />
      <input type="hidden" name="anomalyId" value={anomalyId} />
      <label htmlFor={id}>{t.note}</label> <input id={id} name="note" type="text" maxLength={500} defaultValue={mine?.values.note} {...fieldAria(id, error)} />{" "}
      <button type="submit" className="button button-secondary">
        {t.resolve}
      </button>
      <FieldError id={id} message={error} />
    </Form>
  );
}
