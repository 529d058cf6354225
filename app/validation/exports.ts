import { z } from "zod";
import { bookkeepingPurposes, type BookkeepingPurpose } from "~/services/exports/accounts";
import { requiredText } from "./fields";

/**
 * /admin/exports (issue 14 item 5). Codes: date (not a date), period_reversed (to before from),
 * period_too_long (more than 10 years), account_digits (not four digits), required, too_long.
 */

/** YYYY-MM-DD and a real day (2026-02-30 is refused, not rolled over into March). */
function isRealDate(v: unknown): v is string {
  const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
const dateField = z.preprocess((v) => (typeof v === "string" ? v.trim() : v ?? ""), z.string({ message: "date" }).refine(isRealDate, { message: "date" }));

/** Ten years: a longer file is no bookkeeping period (and a typo like 2062 for 2026 is caught). */
const MAX_YEARS = 10;

/** Whether `to` is more than ten years after `from` (both YYYY-MM-DD): 2016-01-01 to 2025-12-31 is fine, to 2026-01-01 is not. */
export function longerThanTenYears(from: string, to: string): boolean {
  const limit = `${String(Number(from.slice(0, 4)) + MAX_YEARS).padStart(4, "0")}${from.slice(4)}`;
  return to >= limit;
}

export const exportKinds = ["sie", "payments", "ledger", "invoices", "payouts"] as const;
export type ExportKind = (typeof exportKinds)[number];

function checkPeriod(v: { from: string; to: string }, ctx: z.RefinementCtx) {
  // zod runs this even when a date was refused: compare only two real dates.
  if (!isRealDate(v.from) || !isRealDate(v.to)) return;
  if (v.to < v.from) ctx.addIssue({ code: "custom", message: "period_reversed", path: ["to"] });
  else if (longerThanTenYears(v.from, v.to)) ctx.addIssue({ code: "custom", message: "period_too_long", path: ["to"] });
}

/** A period: from and to, both days included. */
export const exportPeriodSchema = z.object({ from: dateField, to: dateField }).superRefine(checkPeriod);

/** The period form: the period and which file (the button pressed, `kind`). */
export const exportRequestSchema = z
  .object({
    kind: z.enum(exportKinds, { message: "export_kind" }),
    from: dateField,
    to: dateField,
  })
  .superRefine(checkPeriod);
export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type ExportPeriod = Pick<ExportRequest, "from" | "to">;

const accountField = z.preprocess((v) => (typeof v === "string" ? v.trim() : v ?? ""), z.string({ message: "account_digits" }).regex(/^\d{4}$/, { message: "account_digits" }));

/** Field names: `<purpose>` for the number, `<purpose>_name` for its name, e.g. `bank` and `bank_name`. */
export const accountsSchema = z.object(
  Object.fromEntries(bookkeepingPurposes.flatMap((p) => [[p, accountField], [`${p}_name`, requiredText(100)]])) as Record<
    BookkeepingPurpose | `${BookkeepingPurpose}_name`,
    typeof accountField
  >,
);
export type AccountsInput = z.infer<typeof accountsSchema>;
