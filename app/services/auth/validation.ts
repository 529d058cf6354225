import { z } from "zod";
import { idSchema } from "~/validation/fields";

/**
 * Shared input rules for the identity services (people, organisations, settings, email).
 * Field error codes are translated in app/i18n/identity-messages.ts.
 */

// The id rule is the forms' own (shared with the browser); services check ids with the same schema.
export { idSchema, MAX_DB_ID } from "~/validation/fields";

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
