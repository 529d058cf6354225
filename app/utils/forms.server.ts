import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { errorText, formTexts, type FormMessages } from "~/components/form/texts";
import type { Locale } from "~/i18n/messages";
import type { ActionFailure } from "~/utils/http.server";

/** What the reader typed, as strings, to send back with a refusal (a form without JavaScript keeps it). */
export function submittedValues(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value) && typeof value[0] === "string") out[key] = value[0];
  }
  return out;
}

/**
 * A form the schema refused: a 400 in the same shape as a service's refusal (`ActionFailure` from
 * `attempt`), each field's first code translated with the area's dictionary, the form's own error
 * (a rule across fields) under `_form`, and the typed values. The page's form shows it next to the
 * fields (app/components/form), the same text the browser shows when it checks the form itself.
 */
export function rejectSubmission(submission: Submission<unknown>, locale: Locale, messages?: FormMessages, status: 400 | 422 = 400) {
  const texts = formTexts(locale, messages);
  const fieldErrors: Record<string, string> = {};
  for (const [name, errors] of Object.entries(submission.reply().error ?? {})) {
    const text = errorText(texts, errors?.[0]);
    if (text) fieldErrors[name || "_form"] = text;
  }
  const values = submittedValues(submission.payload);
  return data<ActionFailure>({ ok: false, error: "invalid", message: texts.form_invalid, fieldErrors, values }, { status });
}
