import { z } from "zod";
import { emailField } from "./fields";

/** The staff roles an admin can give (codes: invalid_role). */
export const roleField = z.enum(["admin", "fundraiser"], { message: "invalid_role" });

/** /admin/people: add a staff member (codes: email_required, email_invalid, invalid_role). */
export const staffMemberSchema = z.object({
  email: emailField,
  role: roleField,
});
