import { formMessages } from "~/i18n/forms";
import type { Locale } from "~/i18n/messages";

/** An area's dictionary for its forms: field error codes (and anything else it has) by key. */
export type FormMessages = (locale: Locale) => Record<string, string>;

/** The shared form words with the area's own on top (an area may say a code more precisely). */
export function formTexts(locale: Locale, messages?: FormMessages): Record<string, string> {
  return { ...formMessages(locale), ...(messages?.(locale) ?? {}) };
}

/**
 * A field error as text. Schemas give codes (`email_invalid`); a message the server already
 * translated (a service's refusal through `attempt`) is shown as it is. An unknown code never
 * reaches the reader as a code: it becomes "Check this field".
 */
export function errorText(texts: Record<string, string>, error: string | undefined | null): string | null {
  if (!error) return null;
  if (texts[error] !== undefined) return texts[error];
  return /^[a-z][a-z0-9_]*$/.test(error) ? texts.field_invalid : error;
}
