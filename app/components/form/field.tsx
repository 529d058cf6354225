import { createContext, useContext, type ReactNode } from "react";
import { useLocale } from "~/i18n/use-locale";
import { errorText, formTexts } from "./texts";

/**
 * What a field component needs from Conform's field metadata (`fields.email` from `useAppForm`):
 * the ids Conform derives (`errorId`, `descriptionId`), the name, the errors (codes, or text the
 * server already translated) and the value to start from.
 */
export interface FieldMeta {
  id: string;
  name: string;
  formId: string;
  errorId: string;
  descriptionId: string;
  errors?: string[];
  initialValue?: unknown;
  required?: boolean;
}

/** The form's words (shared + the area's), given by `AppForm` to the fields inside it. */
export const FormTextsContext = createContext<Record<string, string> | null>(null);

/**
 * The words of the form around the field; outside an `AppForm` (a plain `<Form>` whose route passes
 * translated messages) the shared ones, so a field's own words (a textarea's character count) are
 * never undefined: that was a 500 on /admin/partnerships/new.
 */
export function useFormTexts(): Record<string, string> {
  const texts = useContext(FormTextsContext);
  const locale = useLocale();
  return texts ?? formTexts(locale);
}

/** The field's first error as text in the page's language, or null. */
export function useFieldError(meta: Pick<FieldMeta, "errors">): string | null {
  return errorText(useFormTexts(), meta.errors?.[0]);
}

/** The starting value of a text field: what the reader typed before a refusal, else the default. */
export function initialText(meta: FieldMeta): string | undefined {
  return typeof meta.initialValue === "string" ? meta.initialValue : undefined;
}

/**
 * The attributes that tie a control to its words: `aria-describedby` lists the hint (and any `also`
 * ids) first and the error last, `aria-invalid` is set while there is an error.
 */
export function controlAria(meta: FieldMeta, error: string | null, opts: { hint?: boolean; also?: (string | undefined | false)[] } = {}) {
  const ids = [opts.hint ? meta.descriptionId : null, ...(opts.also ?? []), error ? meta.errorId : null].filter(Boolean);
  return { "aria-invalid": error ? true : undefined, "aria-describedby": ids.length ? ids.join(" ") : undefined } as const;
}

/** The common attributes of a control: id and name from Conform, the form it belongs to, the aria ties. */
export function controlProps(meta: FieldMeta, error: string | null, opts: { hint?: boolean; also?: (string | undefined | false)[] } = {}) {
  return { id: meta.id, name: meta.name, form: meta.formId, ...controlAria(meta, error, opts) };
}

/** The message next to a field; its id is the one the control's `aria-describedby` names. */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

/** A hint under a field (its id is in the control's `aria-describedby`). */
export function FieldHint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p className="hint" id={id}>
      {children}
    </p>
  );
}

/**
 * One field: label, the control, hint and error in one wrapper (so "next to the field" holds on
 * every screen width).
 */
export function FieldShell({ meta, label, hint, error, children, className }: { meta: FieldMeta; label: ReactNode; hint?: ReactNode; error: string | null; children: ReactNode; className?: string }) {
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label htmlFor={meta.id}>{label}</label>
      {children}
      {hint ? <FieldHint id={meta.descriptionId}>{hint}</FieldHint> : null}
      <FieldError id={meta.errorId} message={error} />
    </div>
  );
}
