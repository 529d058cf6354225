import { eq } from "drizzle-orm";
import { yearlyCosts, type YearlyCosts } from "~db/schema";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid } from "~/services/errors";
import { oreToKronorText } from "~/utils/money";
import { reportYearSchema, yearlyCostsSchema } from "~/validation/impact";

/**
 * A year's costs as staff take them from the bookkeeping (issue 14 item 4): purpose, fundraising and
 * administration, the split Svensk Insamlingskontroll's 75 % rule is about. Entering the year again
 * replaces its row. Staff only; the app never estimates a cost.
 */
export async function saveYearlyCosts(ctx: ServiceContext, input: Record<string, unknown>): Promise<YearlyCosts> {
  requireStaffActor(ctx);
  const parsed = yearlyCostsSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_costs", fieldErrorCodes(parsed.error));
  const { year, purpose, fundraising, administration, note } = parsed.data;
  const values = { purposeOre: purpose, fundraisingOre: fundraising, administrationOre: administration, note, updatedBy: personIdOf(ctx.actor), updatedAt: new Date() };
  const [row] = await ctx.db
    .insert(yearlyCosts)
    .values({ year, ...values })
    .onConflictDoUpdate({ target: yearlyCosts.year, set: values })
    .returning();
  return row;
}

/** The costs form's values for a year (empty fields when none are entered yet). */
export async function yearlyCostsForm(ctx: ServiceContext, year: unknown): Promise<{ year: number; values: Record<string, string>; entered: boolean }> {
  requireStaffActor(ctx);
  const parsed = reportYearSchema.safeParse(year);
  if (!parsed.success) throw new Invalid("invalid_costs", { year: "year_invalid" });
  const [row] = await ctx.db.select().from(yearlyCosts).where(eq(yearlyCosts.year, parsed.data));
  const values = row
    ? { year: String(row.year), purpose: oreToKronorText(row.purposeOre), fundraising: oreToKronorText(row.fundraisingOre), administration: oreToKronorText(row.administrationOre), note: row.note }
    : { year: String(parsed.data), purpose: "", fundraising: "", administration: "", note: "" };
  return { year: parsed.data, values, entered: !!row };
}
