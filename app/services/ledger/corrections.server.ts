import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Tx } from "~db/client.server";
import { goals, ledgerEntries, paymentAnomalies, paymentAnomalyResolutions, paymentChannels, payments, type PaymentChannel } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { authorOf, personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Invalid } from "~/services/errors";
import { parseKronor } from "~/utils/money";
import { invalidatePageCache } from "~/utils/page-cache.server";

/**
 * Staff corrections and re-allocation of undesignated money (issue 9, item 4). Both append to the
 * ledger and to audit_log in one transaction; nothing is written when a rule refuses.
 *
 * - A correction is one entry (kind `correction`, entry key `corr:<uuid>:<goal>`) with a reason and
 *   its author, for money the ledger does not show right (a failed refund: the reversal stays until
 *   staff put the money back).
 * - A move takes undesignated money (gifts to "where the need is greatest", split by the allocation
 *   rule) from one goal to another: two entries of kind `reallocation` that sum to zero and share
 *   their uuid (`realloc:<uuid>:<goal>`). Money given to a goal (a designated payment) never moves:
 *   a goal's movable amount per channel is what undesignated payments allocated to it, minus their
 *   reversals, plus or minus earlier moves (`undesignatedByGoal`).
 * - No correction or move may leave a goal's balance, or the undesignated part that a move takes
 *   from, below zero. The goals concerned are locked (FOR NO KEY UPDATE, which does not block the
 *   webhooks' inserts referencing them) so two staff members cannot both pass the check.
 */

/** 1 000 000 kr: far above any real correction, so a typo of a few extra digits is caught. */
const maxOre = 100_000_000n;

const amountField = z.string({ message: "amount_invalid" }).trim().transform((text, ctx) => {
  const ore = parseKronor(text.replace(/^[+]/, ""));
  if (ore === null || ore <= 0n || ore > maxOre) {
    ctx.addIssue({ code: "custom", message: "amount_invalid" });
    return z.NEVER;
  }
  return ore;
});
const goalField = (code: string) => z.coerce.number({ message: code }).int(code).positive(code);
const channelField = z.enum(paymentChannels, { message: "channel_invalid" });
const reasonField = z.string({ message: "reason_required" }).trim().min(3, "reason_required").max(500, "reason_long");
const optionalId = z.union([z.literal("").transform(() => undefined), z.coerce.number().int().positive().optional()]);

const correctionSchema = z.object({
  goalId: goalField("goal_required"),
  direction: z.enum(["add", "remove"], { message: "direction_invalid" }),
  amount: amountField,
  channel: channelField,
  reason: reasonField,
  /** A flagged failed refund this correction settles (resolved in the same transaction). */
  anomalyId: optionalId,
});
export type CorrectionInput = { goalId?: unknown; direction?: unknown; amount?: unknown; channel?: unknown; reason?: unknown; anomalyId?: unknown };

const moveSchema = z
  .object({
    fromGoalId: goalField("from_required"),
    toGoalId: goalField("to_required"),
    amount: amountField,
    channel: channelField,
    reason: reasonField,
  })
  .refine((v) => v.fromGoalId !== v.toGoalId, { message: "same_goal", path: ["toGoalId"] });
export type MoveInput = { fromGoalId?: unknown; toGoalId?: unknown; amount?: unknown; channel?: unknown; reason?: unknown };

const resolveSchema = z.object({
  anomalyId: z.coerce.number({ message: "anomaly_required" }).int("anomaly_required").positive("anomaly_required"),
  note: reasonField,
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new Invalid("invalid_input", fieldErrorCodes(parsed.error));
  return parsed.data;
}

/** Locks the goals (lowest id first, so two moves in opposite directions cannot deadlock) and checks they exist. */
async function lockGoals(tx: Tx, ids: number[], field: Record<number, string>) {
  const found = await tx
    .select({ id: goals.id })
    .from(goals)
    .where(inArray(goals.id, ids))
    .orderBy(asc(goals.id))
    .for("no key update");
  for (const id of ids) if (!found.some((g) => g.id === id)) throw new Invalid("invalid_input", { [field[id]]: "goal_unknown" });
}

async function balanceOf(tx: Tx, goalId: number): Promise<bigint> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.goalId, goalId));
  return BigInt(row.total);
}

/**
 * Undesignated money per goal and channel: entries of payments without a goal (their allocation by
 * the rule and the reversals of it) and earlier moves. Corrections are not counted: they are staff
 * decisions about a goal's money, not gifts to the general fund.
 */
export async function undesignatedByGoal(tx: Pick<Tx, "select">, goalIds?: number[]): Promise<Map<number, Map<PaymentChannel, bigint>>> {
  const rows = await tx
    .select({ goalId: ledgerEntries.goalId, channel: ledgerEntries.channel, total: sql<string>`sum(${ledgerEntries.amountOre})::text` })
    .from(ledgerEntries)
    .leftJoin(payments, eq(payments.id, ledgerEntries.paymentId))
    .where(
      and(
        goalIds ? inArray(ledgerEntries.goalId, goalIds) : undefined,
        or(
          and(inArray(ledgerEntries.kind, ["allocation", "reversal"]), sql`${ledgerEntries.paymentId} is not null`, isNull(payments.goalId)),
          eq(ledgerEntries.kind, "reallocation"),
        ),
      ),
    )
    .groupBy(ledgerEntries.goalId, ledgerEntries.channel);
  const out = new Map<number, Map<PaymentChannel, bigint>>();
  for (const r of rows) {
    const perChannel = out.get(r.goalId) ?? new Map<PaymentChannel, bigint>();
    perChannel.set(r.channel as PaymentChannel, BigInt(r.total));
    out.set(r.goalId, perChannel);
  }
  return out;
}

/** Posts one correction. Returns its group (`corr:<uuid>`). */
export async function postCorrection(ctx: ServiceContext, input: CorrectionInput): Promise<{ group: string; amountOre: bigint }> {
  const actor = requireStaffActor(ctx);
  const v = parse(correctionSchema, input);
  const amountOre = v.direction === "add" ? v.amount : -v.amount;
  const uuid = randomUUID();
  const group = `corr:${uuid}`;
  await ctx.db.transaction(async (tx) => {
    await lockGoals(tx, [v.goalId], { [v.goalId]: "goalId" });
    if (amountOre < 0n && (await balanceOf(tx, v.goalId)) + amountOre < 0n) throw new Invalid("balance_negative", { amount: "balance_negative" });
    await tx.insert(ledgerEntries).values({
      goalId: v.goalId,
      amountOre,
      channel: v.channel,
      kind: "correction",
      entryKey: `${group}:${v.goalId}`,
      reason: v.reason,
      author: authorOf(actor),
    });
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "ledger_correction",
      details: { group, goalId: v.goalId, amountOre: amountOre.toString(), channel: v.channel, reason: v.reason, anomalyId: v.anomalyId ?? null },
    });
    if (v.anomalyId !== undefined) await resolveIn(tx, ctx, v.anomalyId, v.reason, group, "anomalyId");
  });
  invalidatePageCache();
  return { group, amountOre };
}

/** Moves undesignated money between two goals: a pair of entries summing to zero. Returns its group. */
export async function moveUndesignated(ctx: ServiceContext, input: MoveInput): Promise<{ group: string }> {
  const actor = requireStaffActor(ctx);
  const v = parse(moveSchema, input);
  const group = `realloc:${randomUUID()}`;
  await ctx.db.transaction(async (tx) => {
    await lockGoals(tx, [v.fromGoalId, v.toGoalId], { [v.fromGoalId]: "fromGoalId", [v.toGoalId]: "toGoalId" });
    const movable = (await undesignatedByGoal(tx, [v.fromGoalId])).get(v.fromGoalId)?.get(v.channel) ?? 0n;
    // Designated money never moves: only what undesignated gifts brought this goal in this channel.
    if (v.amount > movable) throw new Invalid("designated_money", { amount: "designated_money" });
    if ((await balanceOf(tx, v.fromGoalId)) - v.amount < 0n) throw new Invalid("balance_negative", { amount: "balance_negative" });
    const author = authorOf(actor);
    const common = { channel: v.channel, kind: "reallocation", reason: v.reason, author };
    await tx.insert(ledgerEntries).values([
      { ...common, goalId: v.fromGoalId, amountOre: -v.amount, entryKey: `${group}:${v.fromGoalId}` },
      { ...common, goalId: v.toGoalId, amountOre: v.amount, entryKey: `${group}:${v.toGoalId}` },
    ]);
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "ledger_reallocation",
      details: { group, fromGoalId: v.fromGoalId, toGoalId: v.toGoalId, amountOre: v.amount.toString(), channel: v.channel, reason: v.reason },
    });
  });
  invalidatePageCache();
  return { group };
}

/** Marks a flagged failed refund resolved, with a note (no ledger change: post a correction for that). */
export async function resolveRefundFailed(ctx: ServiceContext, input: { anomalyId?: unknown; note?: unknown }): Promise<void> {
  requireStaffActor(ctx);
  const v = parse(resolveSchema, input);
  await ctx.db.transaction((tx) => resolveIn(tx, ctx, v.anomalyId, v.note, null, "anomalyId"));
}

async function resolveIn(tx: Tx, ctx: ServiceContext, anomalyId: number, note: string, correctionGroup: string | null, field: string) {
  const [anomaly] = await tx
    .select({ id: paymentAnomalies.id, kind: paymentAnomalies.kind })
    .from(paymentAnomalies)
    .where(eq(paymentAnomalies.id, BigInt(anomalyId)))
    .for("update");
  if (!anomaly) throw new Invalid("invalid_input", { [field]: "anomaly_unknown" });
  if (anomaly.kind !== "refund_failed") throw new Invalid("invalid_input", { [field]: "anomaly_not_refund_failed" });
  const inserted = await tx
    .insert(paymentAnomalyResolutions)
    .values({ anomalyId: anomaly.id, note, author: authorOf(ctx.actor), personId: personIdOf(ctx.actor), correctionGroup })
    .onConflictDoNothing({ target: paymentAnomalyResolutions.anomalyId })
    .returning({ id: paymentAnomalyResolutions.id });
  if (!inserted.length) throw new Conflict("already_resolved");
  await recordAudit(tx, {
    actorPersonId: personIdOf(ctx.actor),
    action: "anomaly_resolved",
    details: { anomalyId: String(anomalyId), kind: anomaly.kind, note, correctionGroup },
  });
}
