import { z } from "zod";
import { checkOrgNumber } from "~/services/organisations/org-number";
import { parseKronor } from "~/utils/money";

/**
 * Field rules the forms share, for schemas that run in the browser (Conform's client validation)
 * and on the server (the action, then the service) alike: nothing here may import server code.
 * Messages are codes; app/i18n/forms.ts and each area's dictionary turn them into text.
 * Values arrive as the form sends them (strings, "on" for a ticked box): see `parseForm`.
 */

/** The largest value of a PostgreSQL `integer` (serial) column. */
export const MAX_DB_ID = 2_147_483_647;

/**
 * A row id from a URL or a form: a whole number 1…2147483647, written in digits (no "1e3", "0x10",
 * "1.0"). Anything else would reach PostgreSQL as an out-of-range integer and fail there with a 500.
 */
export const idSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\s*\d{1,12}\s*$/.test(v) ? Number(v) : v),
  z
    .number({ message: "invalid_id" })
    .int({ message: "invalid_id" })
    .min(1, { message: "invalid_id" })
    .max(MAX_DB_ID, { message: "invalid_id" }),
);

/**
 * Free text for the database: PostgreSQL text (and jsonb) cannot hold a NUL character, so one in a
 * form would otherwise end as a 500. Trimmed; `max` characters at most. A missing field is "".
 */
export function safeText(max: number) {
  return z
    .string({ message: "required" })
    .trim()
    .max(max, { message: "too_long" })
    .refine((v) => !v.includes("\u0000"), { message: "invalid_characters" });
}

/** Optional free text: a field left out of the form counts as empty. */
export function optionalText(max: number) {
  return z.preprocess((v) => v ?? "", safeText(max));
}

/** Text that must be filled in. */
export function requiredText(max: number) {
  return z.preprocess((v) => v ?? "", safeText(max).min(1, { message: "required" }));
}

/** An email address, lower-cased; `email_required` when empty, `email_invalid` otherwise. */
export const emailField = z.preprocess(
  (v) => v ?? "",
  z
    .string({ message: "email_required" })
    .trim()
    .min(1, { message: "email_required" })
    .max(254, { message: "email_invalid" })
    .pipe(z.email({ message: "email_invalid" }))
    .transform((v) => v.toLowerCase()),
);

/** A checkbox: ticked is "on" (or "true"), left out is false. */
export const checkboxField = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/**
 * An amount in kronor as people type it ("250", "1 000,50", "99.5 kr"), as öre. `codes` name the
 * messages for a bad amount, one below `minOre` and one above `maxOre`.
 */
export function kronorField(opts: { minOre?: bigint; maxOre?: bigint; codes?: { invalid?: string; min?: string; max?: string } } = {}) {
  const codes = { invalid: "amount_invalid", min: "amount_min", max: "amount_max", ...opts.codes };
  return z.preprocess(
    (v) => v ?? "",
    z.string().transform((text, ctx) => {
      const ore = parseKronor(text.trim());
      if (ore === null) {
        ctx.addIssue({ code: "custom", message: codes.invalid });
        return z.NEVER;
      }
      if (opts.minOre !== undefined && ore < opts.minOre) {
        ctx.addIssue({ code: "custom", message: codes.min });
        return z.NEVER;
      }
      if (opts.maxOre !== undefined && ore > opts.maxOre) {
        ctx.addIssue({ code: "custom", message: codes.max });
        return z.NEVER;
      }
      return ore;
    }),
  );
}

/**
 * An organisationsnummer (10 or 12 digits, hyphen or not), checked with the `organisationsnummer`
 * package and given as NNNNNN-NNNN; empty is null (not known). Codes: `org_number` (shape),
 * `org_number_checksum`.
 */
export const orgNumberField = z.preprocess(
  (v) => v ?? "",
  safeText(20).transform((v, ctx) => {
    if (!v) return null;
    const checked = checkOrgNumber(v);
    if (checked.ok) return checked.number;
    ctx.addIssue({ code: "custom", message: checked.code });
    return z.NEVER;
  }),
);
