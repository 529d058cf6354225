import { asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "~db/client.server";
import { allocationRules, allocationShares, goals } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { Invalid } from "~/services/errors";
import { FULL_SHARE, parsePercent } from "~/validation/allocation";
import type { Weighted } from "./split";

/**
 * Basis points: 10 000 = 100 %. Rules are stored in basis points so percentages with two decimals
 * are exact. The rules for a share are shared with the page (app/validation/allocation.ts).
 */
export { FULL_SHARE, parsePercent };

export interface RuleInForce {
  /** Null: no rule saved yet, the default equal split. */
  ruleId: bigint | null;
  weights: Weighted[];
}

type Conn = Db | Tx;

/** The id of the allocation rule in force at `at` (the latest whose valid_from is not after it), as a subquery. */
function ruleIdAt(at: Date | ReturnType<typeof sql.placeholder>): SQL {
  return sql`(select ${allocationRules.id} from ${allocationRules} where ${allocationRules.validFrom} <= ${at instanceof Date ? at.toISOString() : at}::timestamptz order by ${allocationRules.validFrom} desc, ${allocationRules.id} desc limit 1)`;
}

/**
 * The allocation rule in force at `at`, with the goals' numbers; with no rule saved, an equal split
 * over all goals. (Ledger posting reads the same rule through ruleSharesAt, in its own query.)
 */
export async function ruleInForce(db: Conn, at: Date, allGoals?: { id: number; number: number }[]): Promise<RuleInForce> {
  const rows = await db
    .select({ ruleId: allocationShares.ruleId, goalId: allocationShares.goalId, number: goals.number, bp: allocationShares.basisPoints })
    .from(allocationShares)
    .innerJoin(goals, eq(goals.id, allocationShares.goalId))
    .where(eq(allocationShares.ruleId, ruleIdAt(at)))
    .orderBy(asc(goals.number));
  if (rows.length === 0) return equalSplit(allGoals ?? (await db.select({ id: goals.id, number: goals.number }).from(goals)));
  return { ruleId: rows[0].ruleId, weights: rows.map((s) => ({ goalId: s.goalId, goalNumber: s.number, weight: BigInt(s.bp) })) };
}

/** With no rule saved: every goal weighs the same. */
export function equalSplit(allGoals: { id: number; number: number }[]): RuleInForce {
  const sorted = [...allGoals].sort((a, b) => a.number - b.number);
  return { ruleId: null, weights: sorted.map((g) => ({ goalId: g.id, goalNumber: g.number, weight: 1n })) };
}

/**
 * The rule in force at `at` as a subquery of (goal_id, rule_id, basis_points) rows, for a caller
 * that reads it in the same round trip as other things (ledger posting); empty with no rule saved.
 */
export function ruleSharesAt(at: Date | ReturnType<typeof sql.placeholder>): SQL {
  return sql`select ${allocationShares.goalId} as goal_id, ${allocationShares.ruleId} as rule_id, ${allocationShares.basisPoints} as basis_points
      from ${allocationShares}
     where ${allocationShares.ruleId} = ${ruleIdAt(at)}`;
}

export interface AllocationView {
  current: { ruleId: string | null; validFrom: string | null; createdBy: string | null; shares: { goalId: number; number: number; slug: string; titleSv: string; titleEn: string; basisPoints: number }[] };
  history: { id: string; validFrom: string; createdBy: string | null; note: string | null; shares: { number: number; basisPoints: number }[] }[];
}

/** What /admin/allocation shows (staff only): the rule in force now (percent per goal) and earlier versions. */
export async function allocationOverview(ctx: ServiceContext): Promise<AllocationView> {
  requireStaffActor(ctx);
  const { db } = ctx;
  const allGoals = await db.select().from(goals).orderBy(asc(goals.number));
  const now = await ruleInForce(db, new Date());
  const rules = await db.select().from(allocationRules).orderBy(desc(allocationRules.validFrom), desc(allocationRules.id)).limit(50);
  const shares = await db.select().from(allocationShares);
  const currentRule = rules.find((r) => r.id === now.ruleId) ?? null;
  const equal = Math.floor(FULL_SHARE / Math.max(1, allGoals.length));
  return {
    current: {
      ruleId: now.ruleId?.toString() ?? null,
      validFrom: currentRule?.validFrom.toISOString() ?? null,
      createdBy: currentRule?.createdBy ?? null,
      shares: allGoals.map((g) => {
        const w = now.weights.find((x) => x.goalId === g.id);
        const bp = now.ruleId === null ? equal : w ? Number(w.weight) : 0;
        return { goalId: g.id, number: g.number, slug: g.slug, titleSv: g.titleSv, titleEn: g.titleEn, basisPoints: bp };
      }),
    },
    history: rules.map((r) => ({
      id: r.id.toString(),
      validFrom: r.validFrom.toISOString(),
      createdBy: r.createdBy,
      note: r.note,
      shares: shares
        .filter((s) => s.ruleId === r.id)
        .map((s) => ({ number: allGoals.find((g) => g.id === s.goalId)?.number ?? 0, basisPoints: s.basisPoints }))
        .sort((a, b) => a.number - b.number),
    })),
  };
}

const ruleInput = z.object({
  shares: z.record(z.string(), z.string()),
  note: z.string().trim().max(500).optional(),
});

/** Zod issues → field error codes: `note_long` for the note, `percent_invalid` for a share (or the form). */
function ruleInputErrors(issues: z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [field, key] = issue.path;
    if (field === "note") errors.note ??= "note_long";
    else if (field === "shares" && key !== undefined) errors[`share-${String(key)}`] ??= "percent_invalid";
    else errors._form ??= "percent_invalid";
  }
  if (Object.keys(errors).length === 0) errors._form = "percent_invalid";
  return errors;
}

/**
 * Staff save a new version of the allocation rule, in force from now. Field errors (keys
 * `share-<goalId>`, `_form` for the sum) are message codes; `attempt` puts them in the reader's language.
 */
export async function saveAllocationRule(ctx: ServiceContext, input: { shares: Record<string, string>; note?: string }): Promise<{ ruleId: bigint }> {
  const actor = requireStaffActor(ctx);
  const { db } = ctx;
  const result = ruleInput.safeParse(input);
  if (!result.success) throw new Invalid("allocation_invalid", ruleInputErrors(result.error.issues));
  const parsed = result.data;
  const allGoals = await db.select({ id: goals.id }).from(goals);
  const fieldErrors: Record<string, string> = {};
  const rows: { goalId: number; basisPoints: number }[] = [];
  for (const g of allGoals) {
    const raw = parsed.shares[String(g.id)] ?? "";
    const bp = parsePercent(raw === "" ? "0" : raw);
    if (bp === null) fieldErrors[`share-${g.id}`] = "percent_invalid";
    else rows.push({ goalId: g.id, basisPoints: bp });
  }
  if (Object.keys(fieldErrors).length === 0) {
    const sum = rows.reduce((s, r) => s + r.basisPoints, 0);
    if (sum !== FULL_SHARE) fieldErrors._form = "sum_not_100";
  }
  if (Object.keys(fieldErrors).length) throw new Invalid("allocation_invalid", fieldErrors);
  return db.transaction(async (tx) => {
    const [rule] = await tx
      .insert(allocationRules)
      .values({ createdBy: actor.email, note: parsed.note || null })
      .returning({ id: allocationRules.id });
    await tx.insert(allocationShares).values(rows.map((r) => ({ ruleId: rule.id, ...r })));
    return { ruleId: rule.id };
  });
}
