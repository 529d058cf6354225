import { z } from "zod";
import { contactRoles } from "~db/schema/contact-roles";
import { checkboxField, emailField, idSchema, optionalText, orgNumberField, requiredText, safeText } from "./fields";

/** Empty (or left out) is "not given": null. */
const blankToUndefined = (v: unknown) => (v == null || (typeof v === "string" && v.trim() === "") ? undefined : v);

/** An email address that may be left empty (codes: email_invalid). */
const optionalEmail = z.preprocess(blankToUndefined, emailField.optional()).transform((v) => v ?? null);

/** A Swedish postal code, "NNN NN" (code: postal_code); empty is null. */
const postalCodeField = z.preprocess(
  (v) => v ?? "",
  safeText(10).transform((v, ctx) => {
    if (!v) return null;
    const digits = v.replace(/\s/g, "");
    if (/^\d{5}$/.test(digits)) return `${digits.slice(0, 3)} ${digits.slice(3)}`;
    ctx.addIssue({ code: "custom", message: "postal_code" });
    return z.NEVER;
  }),
);

/** The organisation's site: http(s) only, "example.se" taken as https://example.se (code: website); empty is null. */
const websiteField = z.preprocess(
  (v) => v ?? "",
  safeText(300).transform((v, ctx) => {
    if (!v) return null;
    const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`;
    try {
      const url = new URL(withScheme);
      // Only web links: a javascript: or data: "website" would run in the reader's browser.
      if ((url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".")) return url.href;
    } catch {
      // falls through to the message
    }
    ctx.addIssue({ code: "custom", message: "website" });
    return z.NEVER;
  }),
);

/** A chosen industry (a select; the empty choice is none). */
const optionalId = z.preprocess(blankToUndefined, idSchema.optional()).transform((v) => v ?? null);

/** What a contact may change themselves: where invoices go, their reference and purchase order. */
export const invoiceDetailsSchema = z.object({
  invoiceEmail: optionalEmail,
  invoiceReference: optionalText(100).transform((v) => v || null),
  purchaseOrder: optionalText(100).transform((v) => v || null),
});
export type InvoiceDetailsInput = z.output<typeof invoiceDetailsSchema>;

/**
 * /admin/organisations: a new organisation or an edit (codes: required, too_long, org_number,
 * org_number_checksum, postal_code, website, email_invalid, invalid_id).
 */
export const organisationSchema = z.object({
  name: requiredText(200),
  // Checked with the organisationsnummer package and stored as NNNNNN-NNNN, whatever the typed form.
  orgNumber: orgNumberField,
  address: optionalText(200).transform((v) => v || null),
  postalCode: postalCodeField,
  city: optionalText(100).transform((v) => v || null),
  website: websiteField,
  industryId: optionalId,
  ...invoiceDetailsSchema.shape,
  isPublic: checkboxField,
});
export type OrganisationInput = z.output<typeof organisationSchema>;

/** Checkboxes named `roles`: none, one (a string) or several (an array). Code: contact_role. */
const rolesField = z.preprocess((v) => (v == null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(contactRoles, { message: "contact_role" })));

/** An organisation's page: add a contact (codes: email_required, email_invalid, too_long, contact_role). */
export const memberSchema = z.object({
  email: emailField,
  name: optionalText(200).transform((v) => v || null),
  roles: rolesField,
  isAdmin: checkboxField,
});
export type MemberInput = z.output<typeof memberSchema>;

/** A contact's roles changed (the person is named by id). */
export const memberRolesSchema = z.object({ personId: idSchema, roles: rolesField });

/**
 * A logo upload, checked in the browser for presence and size (codes: logo_required, logo_too_large);
 * the server checks its type by its bytes (logos.server.ts). 1 MB is 1 000 000 bytes, so such an upload
 * with its form still fits the server's 1 MiB body limit.
 */
export const LOGO_MAX_BYTES = 1_000_000;
export const logoSchema = z.object({
  logo: z
    .custom<File>((v) => typeof File !== "undefined" && v instanceof File && v.size > 0, { message: "logo_required" })
    .refine((f) => f.size <= LOGO_MAX_BYTES, { message: "logo_too_large" }),
});
