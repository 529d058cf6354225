/**
 * A json_agg column as an array: null (no rows) is empty. PGlite and postgres.js hand json back
 * parsed, but a driver may give the text.
 */
export function jsonRows<T>(value: unknown): T[] {
  if (value == null) return [];
  return (typeof value === "string" ? JSON.parse(value) : value) as T[];
}
