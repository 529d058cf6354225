import { z } from "zod";
import { optionalText, requiredText } from "./fields";

/**
 * /admin/settings: the charity's identity in email footers. Empty is allowed everywhere but the
 * name (unknown facts stay empty). Codes: required, too_long, org_number, email, url.
 */
export const charityIdentitySchema = z.object({
  name: requiredText(200),
  // 10 digits, written NNNNNN-NNNN; empty is allowed (unknown).
  organisationNumber: optionalText(11).refine((v) => v === "" || /^\d{6}-?\d{4}$/.test(v), { message: "org_number" }),
  address: optionalText(500),
  email: optionalText(200).refine((v) => v === "" || z.email().safeParse(v).success, { message: "email" }),
  phone: optionalText(50),
  website: optionalText(200).refine((v) => v === "" || /^https?:\/\/[^\s]+$/.test(v), { message: "url" }),
});
