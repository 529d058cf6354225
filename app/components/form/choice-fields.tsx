import type { ReactNode, SelectHTMLAttributes } from "react";
import { controlAria, controlProps, FieldError, FieldHint, FieldShell, initialText, useFieldError, type FieldMeta } from "./field";

export interface Choice {
  value: string;
  label: ReactNode;
  disabled?: boolean;
}

/** A select with label, hint and error. */
export function SelectField({
  meta,
  label,
  hint,
  options,
  defaultValue,
  ...rest
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "name" | "form" | "defaultValue" | "children"> & { meta: FieldMeta; label: ReactNode; hint?: ReactNode; options: Choice[]; defaultValue?: string }) {
  const error = useFieldError(meta);
  return (
    <FieldShell meta={meta} label={label} hint={hint} error={error}>
      <select defaultValue={initialText(meta) ?? defaultValue} {...rest} {...controlProps(meta, error, { hint: !!hint })}>
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/**
 * Radio buttons in a fieldset: the legend names the group, and the fieldset carries the hint and
 * the error (`aria-describedby`, `aria-invalid`), which screen readers read when the group is entered.
 * Uncontrolled by default; give `value` and `onValueChange` when the page reacts to the choice.
 */
export function RadioGroupField({
  meta,
  legend,
  hint,
  options,
  defaultValue,
  value,
  onValueChange,
  className,
  children,
}: {
  meta: FieldMeta;
  legend: ReactNode;
  hint?: ReactNode;
  options: Choice[];
  defaultValue?: string;
  value?: string;
  onValueChange?: (value: string) => void;
  className?: string;
  /** More controls inside the group (e.g. the "other amount" field after the presets). */
  children?: ReactNode;
}) {
  const error = useFieldError(meta);
  const start = initialText(meta) ?? defaultValue;
  return (
    <fieldset className={["choice-group", className].filter(Boolean).join(" ")} id={meta.id} {...controlAria(meta, error, { hint: !!hint })}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input
            type="radio"
            name={meta.name}
            form={meta.formId}
            value={o.value}
            disabled={o.disabled}
            {...(value !== undefined ? { checked: value === o.value, onChange: () => onValueChange?.(o.value) } : { defaultChecked: start === o.value })}
          />
          {o.label}
        </label>
      ))}
      {children}
      {hint ? <FieldHint id={meta.descriptionId}>{hint}</FieldHint> : null}
      <FieldError id={meta.errorId} message={error} />
    </fieldset>
  );
}

/** One checkbox with its label beside it; ticked sends "on" (the schema's `checkboxField`). */
export function CheckboxField({ meta, label, hint }: { meta: FieldMeta; label: ReactNode; hint?: ReactNode }) {
  const error = useFieldError(meta);
  // Ticked comes from the form's values only (useAppForm's defaultValue, or what was sent before a
  // refusal, where a box left out is not ticked), never from a separate default that would tick it again.
  const checked = meta.initialValue === "on" || meta.initialValue === "true" || meta.initialValue === true;
  return (
    <div className="field field-checkbox">
      <label className="choice">
        <input type="checkbox" defaultChecked={checked} {...controlProps(meta, error, { hint: !!hint })} />
        {label}
      </label>
      {hint ? <FieldHint id={meta.descriptionId}>{hint}</FieldHint> : null}
      <FieldError id={meta.errorId} message={error} />
    </div>
  );
}
