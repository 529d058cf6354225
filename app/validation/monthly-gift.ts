import { z } from "zod";
import { GIFT_LIMITS } from "~/services/payments/limits";
import { kronorField } from "./fields";

/** A monthly gift's amount in kronor (codes: amount_invalid, amount_min, amount_max_monthly). */
export const monthlyAmountField = kronorField({ minOre: GIFT_LIMITS.minOre, maxOre: GIFT_LIMITS.maxMonthlyOre, codes: { max: "amount_max_monthly" } });

/** /give/monthly/<token>: change the amount. */
export const monthlyAmountSchema = z.object({
  amount: monthlyAmountField,
  requestId: z.string().max(100).optional(),
});
