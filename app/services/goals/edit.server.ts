import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~db/client.server";
import { goals, type Goal } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { safeText } from "~/services/auth/validation";
import { fieldErrorCodes, Forbidden, Invalid, NotFound } from "~/services/errors";
import { isStaff, type CurrentUser } from "~/utils/auth.server";
import { parseKronor } from "~/utils/money";
import { invalidatePageCache } from "~/utils/page-cache.server";

/** The largest yearly target staff may set: 1 000 000 000 kr, far above anything real, far below bigint's limit. */
const MAX_TARGET_ORE = 100_000_000_000n;

const optionalKronor = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return null;
    const ore = parseKronor(v);
    if (ore === null || ore <= 0n || ore > MAX_TARGET_ORE) {
      ctx.addIssue({ code: "custom", message: "target_invalid" });
      return z.NEVER;
    }
    return ore;
  });

const sdgList = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return [];
    const parts = v.split(/[\s,;]+/).filter(Boolean);
    const numbers = parts.map((p) => (/^\d{1,2}$/.test(p) ? Number(p) : NaN));
    if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 17)) {
      ctx.addIssue({ code: "custom", message: "sdgs_invalid" });
      return z.NEVER;
    }
    return [...new Set(numbers)].sort((a, b) => a - b);
  });

export const goalEditSchema = z.object({
  titleSv: safeText(120).min(1, { message: "required" }),
  titleEn: safeText(120).min(1, { message: "required" }),
  leadSv: safeText(300),
  leadEn: safeText(300),
  aboutSv: safeText(5000),
  aboutEn: safeText(5000),
  todaySv: safeText(5000),
  todayEn: safeText(5000),
  moreSv: safeText(5000),
  moreEn: safeText(5000),
  target: optionalKronor,
  sdgs: sdgList,
  draft: z.boolean(),
});

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
  const parsed = goalEditSchema.safeParse({ ...input, draft: input.draft === "on" || input.draft === true });
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
