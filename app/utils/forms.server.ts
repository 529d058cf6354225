import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { errorText, formTexts, type FormMessages } from "~/components/form/texts";
import type { Locale } from "~/i18n/messages";
import type { ActionFailure } from "~/utils/http.server";

/**
 * What the reader typed, as strings, to send back with a refusal (a form without JavaScript keeps it).
 * A field sent more than once (ticked checkboxes of one name) keeps its first value, unless it is named
 * in `lists`: then every value, as an array, which Conform reads back as the field's initial value, so
 * every box the reader ticked is ticked again.
 */
export function submittedValues(payload: Record<string, unknown>, lists: readonly string[] = []): Record<string, string> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (lists.includes(key)) {
      const all = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
      if (all.length) out[key] = all;
    } else if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value) && typeof value[0] === "string") out[key] = value[0];
  }
  // Typed as strings for the callers that read single fields; a list field is only read by its form.
  return out as Record<string, string>;
}

/**
 * A form the schema refused: a 400 in the same shape as a service's refusal (`ActionFailure` from
 * `attempt`), each field's first code translated with the area's dictionary, the form's own error
 * (a rule across fields) under `_form`, and the typed values. The page's form shows it next to the
 * fields (app/components/form), the same text the browser shows when it checks the form itself.
 */
export function rejectSubmission(submission: Submission<unknown>, locale: Locale, messages?: FormMessages, status: 400 | 422 = 400, lists: readonly string[] = []) {
  const texts = formTexts(locale, messages);
  const fieldErrors: Record<string, string> = {};
  for (const [name, errors] of Object.entries(submission.reply().error ?? {})) {
    const text = errorText(texts, errors?.[0]);
    if (text) fieldErrors[name || "_form"] = text;
  }
  const values = submittedValues(submission.payload, lists);
  return data<ActionFailure>({ ok: false, error: "invalid", message: texts.form_invalid, fieldErrors, values }, { status });
}
