import { asc, eq } from "drizzle-orm";
import { goals, type Goal } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { invalidatePageCache } from "~/utils/page-cache.server";
import { goalEditSchema } from "~/validation/goals";

// The form's schema, shared with the page (app/validation/goals.ts).
export { goalEditSchema };

export type GoalEditInput = Record<string, unknown>;

export async function listGoalsForStaff(ctx: ServiceContext): Promise<Goal[]> {
  requireStaffActor(ctx);
  return ctx.db.select().from(goals).orderBy(asc(goals.number));
}

export async function getGoalForStaff(ctx: ServiceContext, slug: string): Promise<Goal> {
  requireStaffActor(ctx);
  const [goal] = await ctx.db.select().from(goals).where(eq(goals.slug, slug)).limit(1);
  if (!goal) throw new NotFound("goal_not_found");
  return goal;
}

/**
 * Staff edit a goal's texts (both languages), yearly target, linked SDGs and draft mark. The slug and
 * number are contracts (DESIGN.md) and never change here. Audited with before and after.
 */
export async function updateGoal(ctx: ServiceContext, slug: string, input: GoalEditInput): Promise<Goal> {
  const actor = requireStaffActor(ctx);
  const parsed = goalEditSchema.safeParse(input);
  if (!parsed.success) {
    throw new Invalid("invalid_goal", fieldErrorCodes(parsed.error));
  }
  const { target, ...rest } = parsed.data;
  const updated = await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(goals).where(eq(goals.slug, slug)).for("update");
    if (!before) throw new NotFound("goal_not_found");
    const [after] = await tx
      .update(goals)
      .set({ ...rest, targetOre: target, updatedAt: new Date() })
      .where(eq(goals.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "goal_changed",
      details: {
        slug,
        before: { ...before, targetOre: before.targetOre?.toString() ?? null, updatedAt: undefined },
        after: { ...after, targetOre: after.targetOre?.toString() ?? null, updatedAt: undefined },
      },
    });
    return after;
  });
  invalidatePageCache();
  return updated;
}
