import { z } from "zod";
import { parseKronor } from "~/utils/money";
import { MAX_DB_ID, optionalText, requiredText } from "./fields";
import { stockholmDay } from "~/utils/dates";

/**
 * Starting a collection (/collections/new, issue 12 item 1). Browser-safe: Conform runs it in the
 * page and the action and the service run it again. Messages are codes (app/i18n/collections.ts).
 * The image is checked by the service (its bytes decide its type), not here.
 */

export const COLLECTION_TITLE_MAX = 120;
export const COLLECTION_STORY_MAX = 5000;
/** A target below 100 kr is not a collection worth a page (issue 12: "a target under 100 kr" is refused). */
export const COLLECTION_TARGET_MIN_ORE = 10_000n;
/** 100 million kronor: far above anything a collection raises, well inside bigint and JS numbers. */
export const COLLECTION_TARGET_MAX_ORE = 10_000_000_000n;
export const COLLECTION_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
export const COLLECTION_IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
/** Lower-case letters a–z, digits and single hyphens inside, 3–60 characters: /c/<slug>. */
export const COLLECTION_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,59}$/;

function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Empty (no target) or kronor, at least 100 kr. */
const optionalTarget = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const ore = parseKronor(v);
      if (ore === null) ctx.addIssue({ code: "custom", message: "target_invalid" });
      else if (ore < COLLECTION_TARGET_MIN_ORE) ctx.addIssue({ code: "custom", message: "target_min" });
      else if (ore > COLLECTION_TARGET_MAX_ORE) ctx.addIssue({ code: "custom", message: "target_max" });
      else return ore;
      return z.NEVER;
    }),
);

/** Empty (no end) or a real calendar date, today or later (Stockholm); the collection ends when that day does. */
const optionalEndDate = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      if (!isRealDate(v)) ctx.addIssue({ code: "custom", message: "ends_invalid" });
      else if (v < stockholmDay()) ctx.addIssue({ code: "custom", message: "ends_past" });
      else if (v > "2100-12-31") ctx.addIssue({ code: "custom", message: "ends_invalid" });
      else return v;
      return z.NEVER;
    }),
);

/** Empty (none) or an organisation's id; whether the person is its contact is the service's check. */
const optionalOrganisation = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = /^\d{1,10}$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > MAX_DB_ID) {
        ctx.addIssue({ code: "custom", message: "organisation_invalid" });
        return z.NEVER;
      }
      return n;
    }),
);

/** Empty (made from the title) or the address the person wants. */
const optionalSlug = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => v === "" || COLLECTION_SLUG_PATTERN.test(v), { message: "slug_invalid" }),
);

export const collectionSchema = z.object({
  title: requiredText(COLLECTION_TITLE_MAX),
  story: requiredText(COLLECTION_STORY_MAX),
  goal: z.preprocess((v) => v ?? "", z.string().trim().min(1, { message: "goal_required" }).max(100, { message: "goal_unknown" })),
  target: optionalTarget,
  endsOn: optionalEndDate,
  organisation: optionalOrganisation,
  slug: optionalSlug,
  // The file itself is read by the action and checked by the service (by its bytes).
  image: z.any().optional(),
});
export type CollectionInput = z.input<typeof collectionSchema>;
export type CollectionValues = z.output<typeof collectionSchema>;

/** Form texts the server needs without loading the page (the maximum lengths in messages). */
export const collectionLimits = { titleMax: COLLECTION_TITLE_MAX, storyMax: COLLECTION_STORY_MAX, imageMaxBytes: COLLECTION_IMAGE_MAX_BYTES };
