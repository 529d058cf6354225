import { z } from "zod";

/**
 * Shared input rules for the identity services (people, organisations, settings, email).
 * Field error codes are translated in app/i18n/identity-messages.ts.
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

/** The id, or null when it is not a valid row id. */
export function parseId(value: unknown): number | null {
  const parsed = idSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A route parameter that must be an id: anything else is a 404 (no such page). */
export function idParamOr404(value: unknown): number {
  const id = parseId(value);
  if (id === null) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return id;
}

/**
 * Free text for the database: PostgreSQL text (and jsonb) cannot hold a NUL character, so one in a
 * form would otherwise end as a 500. Trimmed; `max` characters at most.
 */
export function safeText(max: number) {
  return z
    .string({ message: "required" })
    .trim()
    .max(max, { message: "too_long" })
    .refine((v) => !v.includes("\u0000"), { message: "invalid_characters" });
}
