import { sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { fieldErrorCodes, Invalid } from "~/services/errors";
import { exportPeriodSchema, type ExportPeriod } from "~/validation/exports";

/** The period checked again (services trust no caller): Invalid with field codes, before anything runs. */
export function parseExportPeriod(input: unknown): ExportPeriod {
  const parsed = exportPeriodSchema.safeParse(input ?? {});
  if (!parsed.success) throw new Invalid("invalid_period", fieldErrorCodes(parsed.error));
  return parsed.data;
}

/** `column` falls on one of the period's days in Swedish time (from 00:00 on `from` to 00:00 the day after `to`). */
export function withinPeriod(column: AnyPgColumn | ReturnType<typeof sql.raw>, period: ExportPeriod) {
  return sql`${column} >= (${period.from}::date)::timestamp at time zone 'Europe/Stockholm' and ${column} < (${period.to}::date + 1)::timestamp at time zone 'Europe/Stockholm'`;
}

