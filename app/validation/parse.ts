import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";

/**
 * A form read with its schema, the same call in the browser (Conform's `onValidate`) and in the
 * action. Values stay as the form sends them (no automatic coercion: "" is "", a ticked box is
 * "on"), so the schema sees exactly what a service given the same fields sees.
 */
export function parseForm<S extends z.ZodType>(form: FormData | URLSearchParams, schema: S) {
  return parseWithZod(form, { schema, disableAutoCoercion: true });
}
