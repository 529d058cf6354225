import { asc, eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, type Goal } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { fieldErrorCodes, Forbidden, Invalid, NotFound } from "~/services/errors";
import { isStaff, type CurrentUser } from "~/utils/auth.server";
import { invalidatePageCache } from "~/utils/page-cache.server";
import { goalEditSchema } from "~/validation/goals";

// The form's schema, shared with the page (app/validation/goals.ts).
export { goalEditSchema };

export type GoalEditInput = Record<string, unknown>;

function requireStaffActor(actor: CurrentUser) {
  if (!isStaff(actor)) throw new Forbidden();
}

export async function listGoalsForStaff(db: Db, actor: CurrentUser): Promise<Goal[]> {
  requireStaffActor(actor);
  return db.select().from(goals).orderBy(asc(goals.number));
}

export async function getGoalForStaff(db: Db, actor: CurrentUser, slug: string): Promise<Goal> {
  requireStaffActor(actor);
  const [goal] = await db.select().from(goals).where(eq(goals.slug, slug)).limit(1);
  if (!goal) throw new NotFound("goal_not_found");
  return goal;
}

/**
 * Staff edit a goal's texts (both languages), yearly target, linked SDGs and draft mark. The slug and
 * number are contracts (DESIGN.md) and never change here. Audited with before and after.
 */
export async function updateGoal(db: Db, actor: CurrentUser, slug: string, input: GoalEditInput): Promise<Goal> {
  requireStaffActor(actor);
  const parsed = goalEditSchema.safeParse(input);
  if (!parsed.success) {
    throw new Invalid("invalid_goal", fieldErrorCodes(parsed.error));
  }
  const { target, ...rest } = parsed.data;
  const updated = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(goals).where(eq(goals.slug, slug)).for("update");
    if (!before) throw new NotFound("goal_not_found");
    const [after] = await tx
      .update(goals)
      .set({ ...rest, targetOre: target, updatedAt: new Date() })
      .where(eq(goals.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorPersonId: actor.personId,
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
