import { useEffect, useRef, useState, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";
import { legalFormName } from "~/i18n/organisations";
import { fill } from "~/i18n/messages";
import { useLocale } from "~/i18n/use-locale";
import { checkOrgNumber } from "~/services/organisations/org-number";
import { formatOre } from "~/utils/money";
import { controlProps, FieldShell, initialText, useFieldError, useFormTexts, type FieldMeta } from "./field";

type InputExtras = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "form" | "defaultValue" | "type" | "children">;

interface TextProps extends InputExtras {
  meta: FieldMeta;
  label: ReactNode;
  hint?: ReactNode;
  type?: "text" | "email" | "url" | "tel" | "search";
  /** The value before anything was typed (Conform's `defaultValue` may also give it). */
  defaultValue?: string;
}

/** A one-line text field with label, hint and the error next to it. */
export function TextField({ meta, label, hint, type = "text", defaultValue, ...rest }: TextProps) {
  const error = useFieldError(meta);
  return (
    <FieldShell meta={meta} label={label} hint={hint} error={error}>
      <input type={type} defaultValue={initialText(meta) ?? defaultValue} required={meta.required || undefined} {...rest} {...controlProps(meta, error, { hint: !!hint })} />
    </FieldShell>
  );
}

/** An email address (the phone's email keyboard, autocomplete). */
export function EmailField(props: Omit<TextProps, "type">) {
  return <TextField type="email" autoComplete="email" spellCheck={false} {...props} />;
}

/**
 * An amount in kronor: a text field (not type=number, which refuses "1 000,50" and changes on a
 * scroll) with the decimal keyboard; the schema's `kronorField` reads spaces, comma or point.
 */
export function AmountField(props: Omit<TextProps, "type">) {
  return <TextField type="text" inputMode="decimal" autoComplete="off" {...props} />;
}

/** "20 kr" for a limit in öre, for an amount field's hint. */
export const kronorText = (ore: bigint) => formatOre(ore);

/**
 * An organisationsnummer. When the typed number is valid (the `organisationsnummer` package's check)
 * the hint under it names the legal form; leaving the field writes it as NNNNNN-NNNN. Without
 * JavaScript the server does both (the schema stores the normalised number; the page shows the
 * legal form of the saved one).
 */
export function OrgNumberField({ meta, label, hint, defaultValue, ...rest }: Omit<TextProps, "type">) {
  const error = useFieldError(meta);
  const texts = useFormTexts();
  const locale = useLocale();
  const [value, setValue] = useState(initialText(meta) ?? defaultValue ?? "");
  const checked = value.trim() ? checkOrgNumber(value) : null;
  const form = checked?.ok ? legalFormName(checked.legalForm, locale) : null;
  const legalId = `${meta.id}-legal-form`;
  return (
    <FieldShell meta={meta} label={label} hint={hint} error={error}>
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        defaultValue={initialText(meta) ?? defaultValue}
        onInput={(e) => setValue(e.currentTarget.value)}
        onBlur={(e) => {
          const now = checkOrgNumber(e.currentTarget.value);
          if (now.ok && e.currentTarget.value !== now.number) {
            e.currentTarget.value = now.number;
            setValue(now.number);
          }
        }}
        {...rest}
        {...controlProps(meta, error, { hint: !!hint, also: [form ? legalId : undefined] })}
      />
      {form ? (
        <p className="hint" id={legalId} data-testid="legal-form">
          {fill(texts.legalForm, { form })}
        </p>
      ) : null}
    </FieldShell>
  );
}

type TextareaExtras = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "name" | "form" | "defaultValue" | "maxLength" | "children">;

/**
 * A text area with its character count under it. Without JavaScript the count line says the
 * maximum ("At most 500 characters."); with it, how many are typed ("12 of at most 500 characters").
 * `maxLength` is not set on the element: a pasted long text stays whole and the schema says it is
 * too long, instead of the browser cutting it silently.
 */
export function TextareaField({ meta, label, hint, max, defaultValue, rows = 4, ...rest }: TextareaExtras & { meta: FieldMeta; label: ReactNode; hint?: ReactNode; max?: number; defaultValue?: string }) {
  const error = useFieldError(meta);
  const texts = useFormTexts();
  const start = initialText(meta) ?? defaultValue ?? "";
  const [count, setCount] = useState<number | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  // Counted only once JavaScript runs (from what the box holds then): the server's HTML says the maximum instead.
  useEffect(() => setCount(Array.from(ref.current?.value ?? "").length), []);
  const countId = `${meta.id}-count`;
  return (
    <FieldShell meta={meta} label={label} hint={hint} error={error}>
      <textarea
        ref={ref}
        rows={rows}
        defaultValue={start}
        required={meta.required || undefined}
        onInput={(e) => setCount(Array.from(e.currentTarget.value).length)}
        {...rest}
        {...controlProps(meta, error, { hint: !!hint, also: [max !== undefined && countId] })}
      />
      {max !== undefined ? (
        <p className="hint char-count" id={countId} data-over={count !== null && count > max ? "" : undefined}>
          {count === null ? fill(texts.maxChars, { max }) : fill(texts.charCount, { count, max })}
        </p>
      ) : null}
    </FieldShell>
  );
}

/** Bytes as people read them: "2 MB", "500 kB". */
export function fileSizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`.replace(".", ",");
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/**
 * A file field: the `accept` list narrows the picker, and the hint says the types and the largest
 * size (the schema and the server check both anyway). The form needs `encType="multipart/form-data"`.
 */
export function FileField({ meta, label, hint, accept, maxBytes, ...rest }: Omit<InputExtras, "accept"> & { meta: FieldMeta; label: ReactNode; hint?: ReactNode; accept: string[]; maxBytes: number }) {
  const error = useFieldError(meta);
  const texts = useFormTexts();
  const limits = fill(texts.fileHint, { types: accept.join(", "), size: fileSizeText(maxBytes) });
  return (
    <FieldShell
      meta={meta}
      label={label}
      hint={
        <>
          {hint ? <>{hint} </> : null}
          {limits}
        </>
      }
      error={error}
    >
      <input type="file" accept={accept.join(",")} required={meta.required || undefined} {...rest} {...controlProps(meta, error, { hint: true })} />
    </FieldShell>
  );
}
