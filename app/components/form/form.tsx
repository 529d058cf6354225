import { useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import { Form, useLocation, type FormProps } from "@remix-run/react";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import type { z } from "zod";
import { useLocale } from "~/i18n/use-locale";
import { parseForm } from "~/validation/parse";
import { FieldError, FormTextsContext } from "./field";
import { errorText, formTexts, type FormMessages } from "./texts";

/** A refusal from the server: the schema's (`rejectSubmission`) or a service's (`attempt`). */
interface Refusal {
  ok: false;
  fieldErrors: Record<string, string>;
  values?: Record<string, string>;
}

function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && (value as Refusal).ok === false && typeof (value as Refusal).fieldErrors === "object";
}

/**
 * The action's answer as Conform's `lastResult`: the messages (already in the page's language) on
 * their fields, `_form` as the form's own error, and the typed values as the form's values, so the
 * form shows both on the server's HTML (JavaScript off) and after a fetch (on).
 */
export function submissionResultOf(actionData: unknown): SubmissionResult<string[]> | undefined {
  if (!isRefusal(actionData)) return undefined;
  const error: Record<string, string[]> = {};
  for (const [name, message] of Object.entries(actionData.fieldErrors)) error[name === "_form" ? "" : name] = [message];
  return { status: "error", initialValue: actionData.values ?? null, error };
}

/**
 * One form of the app: Conform's `useForm` with the area's schema from app/validation/ (checked in
 * the browser on blur and on submit, again by the action and the service), the action's answer,
 * and the area's dictionary for the messages. Render it with `<AppForm of={…}>` and the fields from
 * app/components/form with `meta={fields.name}`.
 *
 *   const f = useAppForm({ id: "settings", schema: settingsSchema, result: useActionData<typeof action>(), messages: settingsErrors, defaultValue: identity });
 */
export function useAppForm<S extends z.ZodType<unknown, Record<string, unknown>>>(opts: {
  id: string;
  schema: S;
  result: unknown;
  messages?: FormMessages;
  defaultValue?: Record<string, unknown>;
}) {
  const locale = useLocale();
  const lastResult = useMemo(() => submissionResultOf(opts.result), [opts.result]);
  const constraint = useMemo(() => getZodConstraint(opts.schema), [opts.schema]);
  const [form, fields] = useForm<z.input<S> & Record<string, unknown>, z.output<S>, string[]>({
    id: opts.id,
    lastResult,
    constraint,
    defaultValue: opts.defaultValue as never,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, opts.schema) as never,
  });
  const texts = useMemo(() => formTexts(locale, opts.messages), [locale, opts.messages]);
  return { form, fields, texts };
}

/** What `<AppForm>` needs of `useAppForm`'s answer (any form's, whatever its schema). */
export interface AppFormState {
  form: { id: string; errorId: string; errors?: string[]; onSubmit: (event: FormEvent<HTMLFormElement>) => void };
  texts: Record<string, string>;
}

/**
 * Remix's `<Form>` (a plain POST without JavaScript) wired to Conform: `noValidate` (the app's
 * messages, not the browser's), the form's own error at the top (`aria-describedby` on the form
 * points at it), and the words for the fields inside.
 */
export function AppForm({ of, children, method = "post", action, ...props }: Omit<FormProps, "id" | "onSubmit" | "noValidate"> & { of: AppFormState }) {
  const { form, texts } = of;
  const { search } = useLocation();
  const formError = errorText(texts, form.errors?.[0]);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <FormTextsContext.Provider value={texts}>
      <Form method={method} {...props} action={withPageLanguage(action, search)} id={form.id} onSubmit={form.onSubmit} noValidate aria-invalid={formError ? true : undefined} aria-describedby={formError ? form.errorId : undefined}
        // Marks a form that JavaScript handles (browser tests wait for it; CSS may use it).
        data-hydrated={hydrated ? "" : undefined}
      >
        {formError ? (
          <div role="alert">
            <FieldError id={form.errorId} message={formError} />
          </div>
        ) : null}
        {children}
      </Form>
    </FormTextsContext.Provider>
  );
}

/**
 * A form that posts to another address keeps the page's `?lang=`: it picks the language of one request,
 * so without it an English page's refusal would come back in Swedish (a form without `action` posts to
 * the page's own address, query included, and needs nothing).
 */
export function withPageLanguage(action: string | undefined, pageSearch: string): string | undefined {
  const lang = new URLSearchParams(pageSearch).get("lang");
  if (action === undefined || !lang) return action;
  const [path, query = ""] = action.split("?");
  const params = new URLSearchParams(query);
  if (params.has("lang")) return action;
  params.set("lang", lang);
  return `${path}?${params}`;
}
