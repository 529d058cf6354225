import { z } from "zod";
import type { EffektSectionKey, ImpactMethod } from "~db/schema/impact";
import { parseKronor } from "~/utils/money";
import { dayField } from "./crm";
import { idSchema, optionalText, requiredText } from "./fields";

/**
 * Staff forms of issue 14 items 3–4: an impact figure (per goal and period) and a year's costs split
 * the 90-konto way. Browser-safe; messages are codes (app/i18n/impact.ts).
 */

/** db/schema/impact.ts's `impactMethods` again, for the browser; the type line refuses a list that differs. */
export const impactMethodList = ["measured", "estimated"] as const satisfies readonly ImpactMethod[];
const sameMethods: [ImpactMethod] extends [(typeof impactMethodList)[number]] ? true : never = true;
void sameMethods;

/** A figure as people type it: "250", "1 200", "12,5" → "250", "1200", "12.5" (numeric(14,2) text); "" → null. */
const optionalFigure = z.preprocess(
  (v) => v ?? "",
  z.string().transform((text, ctx): string | null => {
    const cleaned = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (!cleaned) return null;
    if (/^[-−]/.test(cleaned)) {
      ctx.addIssue({ code: "custom", message: "figure_negative" });
      return z.NEVER;
    }
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(cleaned)) {
      ctx.addIssue({ code: "custom", message: "figure_invalid" });
      return z.NEVER;
    }
    return cleaned.replace(/^0+(?=\d)/, "");
  }),
);

/** The same, required. */
const requiredFigure = optionalFigure.transform((v, ctx): string => {
  if (v === null) {
    ctx.addIssue({ code: "custom", message: "required" });
    return z.NEVER;
  }
  return v;
});

export const impactFigureSchema = z
  .object({
    goalId: idSchema,
    periodStart: dayField,
    periodEnd: dayField,
    value: requiredFigure,
    valueTo: optionalFigure,
    unitSv: requiredText(60),
    unitEn: requiredText(60),
    labelSv: requiredText(200),
    labelEn: requiredText(200),
    method: z.enum(impactMethodList, { message: "impact_method" }),
    source: optionalText(500),
  })
  .superRefine((v, ctx) => {
    // ISO days compare as text.
    if (v.periodEnd < v.periodStart) ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "period_reversed" });
    if (v.valueTo !== null && Number(v.valueTo) < Number(v.value)) ctx.addIssue({ code: "custom", path: ["valueTo"], message: "range_reversed" });
  });
export type ImpactFigureInput = z.output<typeof impactFigureSchema>;

/** Which figure an edit or a delete is about. */
export const impactIdSchema = z.object({ id: idSchema });

/** A cost in kronor, zero allowed (a year without fundraising costs), never negative. */
const costField = z.preprocess(
  (v) => v ?? "",
  z.string().transform((text, ctx) => {
    const trimmed = text.trim();
    if (!trimmed) {
      ctx.addIssue({ code: "custom", message: "required" });
      return z.NEVER;
    }
    if (/^[-−]/.test(trimmed)) {
      ctx.addIssue({ code: "custom", message: "cost_negative" });
      return z.NEVER;
    }
    const ore = parseKronor(trimmed);
    if (ore === null) {
      ctx.addIssue({ code: "custom", message: "amount_invalid" });
      return z.NEVER;
    }
    return ore;
  }),
);

/** A report year: 2000–2100, as the yearly_costs check allows. */
export const reportYearSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\s*\d{4}\s*$/.test(v) ? Number(v) : v),
  z.number({ message: "year_invalid" }).int({ message: "year_invalid" }).min(2000, { message: "year_invalid" }).max(2100, { message: "year_invalid" }),
);

export const yearlyCostsSchema = z.object({
  year: reportYearSchema,
  purpose: costField,
  fundraising: costField,
  administration: costField,
  note: optionalText(1000),
});
export type YearlyCostsInput = z.output<typeof yearlyCostsSchema>;

/** db/schema/impact.ts's `effektSectionKeys` again, for the browser; the type line refuses a list that differs. */
export const effektSectionList = ["aim", "strategies", "capacity", "progress", "achieved"] as const satisfies readonly EffektSectionKey[];
const sameSections: [EffektSectionKey] extends [(typeof effektSectionList)[number]] ? true : never = true;
void sameSections;

/** The most staff can write per effektrapport section (a page or two of the PDF). */
export const EFFEKT_TEXT_MAX = 5000;

/** Staff's own text for each effektrapport section of a year; an empty field removes that section's text. */
export const effektTextsSchema = z.object({
  year: reportYearSchema,
  aim: optionalText(EFFEKT_TEXT_MAX),
  strategies: optionalText(EFFEKT_TEXT_MAX),
  capacity: optionalText(EFFEKT_TEXT_MAX),
  progress: optionalText(EFFEKT_TEXT_MAX),
  achieved: optionalText(EFFEKT_TEXT_MAX),
});
export type EffektTextsInput = z.output<typeof effektTextsSchema>;
