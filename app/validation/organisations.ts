import { z } from "zod";
import { checkboxField, emailField, orgNumberField, requiredText } from "./fields";

/** /admin/organisations: a new organisation (codes: required, too_long, org_number, org_number_checksum). */
export const organisationSchema = z.object({
  name: requiredText(200),
  // Checked with the organisationsnummer package and stored as NNNNNN-NNNN, whatever the typed form.
  orgNumber: orgNumberField,
});

/** An organisation's page: add a contact (codes: email_required, email_invalid). */
export const memberSchema = z.object({
  email: emailField,
  isAdmin: checkboxField,
});
