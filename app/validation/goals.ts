import { z } from "zod";
import { checkboxField, optionalText, requiredText } from "./fields";
import { parseKronor } from "~/utils/money";

/** The largest yearly target staff may set: 1 000 000 000 kr, far above anything real, far below bigint's limit. */
export const MAX_TARGET_ORE = 100_000_000_000n;

/** Empty (no target decided) or kronor above 0 and at most MAX_TARGET_ORE; `target_invalid` otherwise. */
const optionalKronor = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const ore = parseKronor(v);
      if (ore === null || ore <= 0n || ore > MAX_TARGET_ORE) {
        ctx.addIssue({ code: "custom", message: "target_invalid" });
        return z.NEVER;
      }
      return ore;
    }),
);

/** SDG numbers 1–17, separated by commas, spaces or semicolons; `sdgs_invalid` otherwise. */
const sdgList = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return [];
      const parts = v.split(/[\s,;]+/).filter(Boolean);
      const numbers = parts.map((p) => (/^\d{1,2}$/.test(p) ? Number(p) : NaN));
      if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 17)) {
        ctx.addIssue({ code: "custom", message: "sdgs_invalid" });
        return z.NEVER;
      }
      return [...new Set(numbers)].sort((a, b) => a - b);
    }),
);

/** /admin/goals/<slug>: a goal's texts in both languages, yearly target, SDGs and draft mark. */
export const goalEditSchema = z.object({
  titleSv: requiredText(120),
  titleEn: requiredText(120),
  leadSv: optionalText(300),
  leadEn: optionalText(300),
  aboutSv: optionalText(5000),
  aboutEn: optionalText(5000),
  todaySv: optionalText(5000),
  todayEn: optionalText(5000),
  moreSv: optionalText(5000),
  moreEn: optionalText(5000),
  target: optionalKronor,
  sdgs: sdgList,
  draft: checkboxField,
});
