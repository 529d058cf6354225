import { z } from "zod";
import { emailField } from "./fields";

/** /login: the address to send the sign-in link to (codes: email_required, email_invalid). */
export const loginSchema = z.object({
  email: emailField,
  returnTo: z.string().optional(),
});
