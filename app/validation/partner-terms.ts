import { z } from "zod";
import { requiredText } from "./fields";

/** /admin/partner-terms: a new version, both languages (the app never writes terms for the charity). */
export const partnerTermsSchema = z.object({
  bodySv: requiredText(20_000),
  bodyEn: requiredText(20_000),
});
