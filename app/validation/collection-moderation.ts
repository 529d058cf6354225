import { z } from "zod";
import { idSchema, requiredText } from "./fields";

/**
 * Forms of collection moderation (issue 12 item 7): a visitor's report on /c/<slug>/report and staff
 * hiding a collection or a greeting on /admin/collections. Browser-safe; messages are codes
 * (app/i18n/collection-moderation.ts).
 */

export const REPORT_REASON_MAX = 2000;
export const MODERATION_REASON_MAX = 500;

/** The reporter's email is optional (so staff can answer); an empty field is no email. */
const optionalEmail = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : ""),
  z.union([z.literal(""), z.string().max(254, { message: "email_invalid" }).pipe(z.email({ message: "email_invalid" }))]),
);

export const collectionReportSchema = z.object({
  reason: requiredText(REPORT_REASON_MAX),
  email: optionalEmail.transform((v) => (v ? v.toLowerCase() : null)),
});
export type CollectionReportInput = z.output<typeof collectionReportSchema>;

/** Hiding needs a reason (it is audited and shown to staff); restoring does not. */
export const hideCollectionSchema = z.object({ collectionId: idSchema, reason: requiredText(MODERATION_REASON_MAX) });
export const restoreCollectionSchema = z.object({ collectionId: idSchema });
/** Payment ids are bigserial: digits, not a JavaScript number. */
export const paymentIdField = z.preprocess(
  (v) => v ?? "",
  z.string().trim().regex(/^[1-9]\d{0,17}$/, { message: "invalid_id" }),
);
export const hideGreetingSchema = z.object({ paymentId: paymentIdField, reason: requiredText(MODERATION_REASON_MAX) });
export const restoreGreetingSchema = z.object({ paymentId: paymentIdField });
export const handleReportSchema = z.object({ reportId: paymentIdField });

