/**
 * The one rule for text that comes from outside (form fields, paths, query strings): no C0 control
 * characters other than tab, line feed and carriage return. PostgreSQL cannot store NUL in text
 * (error 22021, a 500), and the others have no place in a name, a note or an address either.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** The same characters percent-encoded (%00–%08, %0B, %0C, %0E–%1F), as they appear in a URL. */
const ENCODED_CONTROL_CHARACTERS = /%(?:0[0-8BCEbce]|1[0-9A-Fa-f])/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}

/** A request target (path and query as sent) that decodes to a control character. */
export function targetHasControlCharacters(target: string): boolean {
  return CONTROL_CHARACTERS.test(target) || ENCODED_CONTROL_CHARACTERS.test(target);
}
