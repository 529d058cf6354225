import { defineMessages } from "./messages";

/** Messages for field error codes thrown by the identity services. */
export const fieldErrorMessages = defineMessages({
  sv: {
    email_required: "Fyll i din e-postadress.",
    email_invalid: "Skriv en giltig e-postadress, till exempel namn@exempel.se.",
    required: "Fältet måste fyllas i.",
    too_long: "Texten är för lång.",
    org_number: "Skriv organisationsnumret som 10 siffror, till exempel 123456-7890.",
    email: "Skriv en giltig e-postadress.",
    url: "Skriv en hel webbadress som börjar med https://.",
    invalid_role: "Okänd roll.",
    invalid_characters: "Texten innehåller ett otillåtet tecken (NUL).",
    invalid_id: "Ogiltigt id.",
  },
  en: {
    email_required: "Enter your email address.",
    email_invalid: "Enter a valid email address, for example name@example.com.",
    required: "This field is required.",
    too_long: "The text is too long.",
    org_number: "Enter the organisation number as 10 digits, for example 123456-7890.",
    email: "Enter a valid email address.",
    url: "Enter a full web address starting with https://.",
    invalid_role: "Unknown role.",
    invalid_characters: "The text contains a character that is not allowed (NUL).",
    invalid_id: "Invalid id.",
  },
});

export function translateFieldErrors(errors: Record<string, string> | undefined, t: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, code] of Object.entries(errors ?? {})) out[field] = t[code] ?? code;
  return out;
}
