import { z } from "zod";

/** 100 % in basis points: the shares of a rule add up to exactly this. */
export const FULL_SHARE = 10_000;

/** "12,5" or "12.5" or "12" → 1250 basis points; null when not a percentage with at most two decimals. */
export function parsePercent(input: string): number | null {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(input.trim().replace(/\s*%$/, ""));
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bp <= FULL_SHARE ? bp : null;
}

/** The form's field for a goal's share. */
export const shareField = (goalId: number | string) => `share-${goalId}`;

/**
 * /admin/allocation: one percentage per goal (`share-<goal id>`, empty is 0) and a note. Codes:
 * percent_invalid (a share), sum_not_100 (the form: the shares must add up to 100 %), note_long.
 * The service checks again that every goal has its share.
 */
export const allocationSchema = z
  .object({ note: z.preprocess((v) => v ?? "", z.string().trim().max(500, { message: "note_long" })) })
  .catchall(z.unknown())
  .superRefine((form, ctx) => {
    let sum = 0;
    let bad = false;
    for (const [name, value] of Object.entries(form)) {
      if (!/^share-\d+$/.test(name)) continue;
      const bp = typeof value === "string" ? parsePercent(value === "" ? "0" : value) : null;
      if (bp === null) {
        ctx.addIssue({ code: "custom", path: [name], message: "percent_invalid" });
        bad = true;
      } else sum += bp;
    }
    if (!bad && sum !== FULL_SHARE) ctx.addIssue({ code: "custom", path: [], message: "sum_not_100" });
  });

/** The parsed form as the service's input: shares by goal id. */
export function allocationInput(form: Record<string, unknown>): { shares: Record<string, string>; note: string } {
  const shares: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    const m = /^share-(\d+)$/.exec(name);
    if (m && typeof value === "string") shares[m[1]] = value;
  }
  return { shares, note: typeof form.note === "string" ? form.note : "" };
}
