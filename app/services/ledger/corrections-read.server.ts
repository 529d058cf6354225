import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import { goals, ledgerEntries, paymentAnomalies, paymentAnomalyResolutions, paymentChannels, payments } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { NotFound } from "~/services/errors";
import { undesignatedByGoal } from "./corrections.server";

/** What staff read on /admin/corrections and a goal's ledger page. Staff only, checked here. */

export const ledgerPageSize = 50;

/** The goals with balance and movable (undesignated) money per channel, recent corrections and moves, failed refunds. */
export async function correctionsOverview(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const { db, locale } = ctx;
  const allGoals = await db.select({ id: goals.id, number: goals.number, slug: goals.slug, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  const balances = await db
    .select({ goalId: ledgerEntries.goalId, total: sql<string>`sum(${ledgerEntries.amountOre})::text` })
    .from(ledgerEntries)
    .groupBy(ledgerEntries.goalId);
  const undesignated = await undesignatedByGoal(db);
  const titleOf = new Map(allGoals.map((g) => [g.id, `#${g.number} ${locale === "en" ? g.titleEn : g.titleSv}`]));
  const recent = await db
    .select()
    .from(ledgerEntries)
    .where(inArray(ledgerEntries.kind, ["correction", "reallocation"]))
    .orderBy(desc(ledgerEntries.id))
    .limit(50);
  const anomalies = await db
    .select({
      id: paymentAnomalies.id,
      paymentId: paymentAnomalies.paymentId,
      objectId: paymentAnomalies.objectId,
      details: paymentAnomalies.details,
      createdAt: paymentAnomalies.createdAt,
      amountOre: payments.amountOre,
      channel: payments.channel,
      resolvedAt: paymentAnomalyResolutions.createdAt,
      note: paymentAnomalyResolutions.note,
      resolvedBy: paymentAnomalyResolutions.author,
    })
    .from(paymentAnomalies)
    .leftJoin(payments, eq(payments.id, paymentAnomalies.paymentId))
    .leftJoin(paymentAnomalyResolutions, eq(paymentAnomalyResolutions.anomalyId, paymentAnomalies.id))
    .where(eq(paymentAnomalies.kind, "refund_failed"))
    .orderBy(desc(paymentAnomalies.id))
    .limit(100);
  return {
    channels: paymentChannels,
    goals: allGoals.map((g) => ({
      id: g.id,
      slug: g.slug,
      title: titleOf.get(g.id)!,
      balanceOre: balances.find((b) => b.goalId === g.id)?.total ?? "0",
      undesignated: [...(undesignated.get(g.id) ?? new Map()).entries()].filter(([, ore]) => ore !== 0n).map(([channel, ore]) => ({ channel, ore: ore.toString() })),
    })),
    recent: recent.map((e) => ({
      id: e.id.toString(),
      at: e.createdAt.toISOString(),
      kind: e.kind,
      goal: titleOf.get(e.goalId) ?? `#${e.goalId}`,
      amountOre: e.amountOre.toString(),
      channel: e.channel,
      reason: e.reason ?? "",
      author: e.author ?? "",
    })),
    refundsFailed: anomalies.map((a) => ({
      id: a.id.toString(),
      paymentId: a.paymentId?.toString() ?? null,
      objectId: a.objectId,
      at: a.createdAt.toISOString(),
      amountOre: a.amountOre?.toString() ?? null,
      channel: a.channel,
      resolved: a.resolvedAt ? { at: a.resolvedAt.toISOString(), note: a.note ?? "", by: a.resolvedBy ?? "" } : null,
    })),
  };
}

async function goalBySlug(ctx: ServiceContext, slug: string) {
  const [goal] = await ctx.db.select().from(goals).where(eq(goals.slug, slug));
  if (!goal) throw new NotFound();
  return goal;
}

/** Where an entry came from: its payment (and how it was paid), or the staff correction or move. */
function entryRows(ctx: ServiceContext, goalId: number, opts: { offset?: number; limit?: number }) {
  const query = ctx.db
    .select({
      id: ledgerEntries.id,
      at: ledgerEntries.createdAt,
      kind: ledgerEntries.kind,
      channel: ledgerEntries.channel,
      amountOre: ledgerEntries.amountOre,
      reason: ledgerEntries.reason,
      author: ledgerEntries.author,
      entryKey: ledgerEntries.entryKey,
      paymentId: ledgerEntries.paymentId,
      origin: payments.origin,
      method: payments.method,
      designated: sql<boolean>`${payments.goalId} is not null`,
    })
    .from(ledgerEntries)
    .leftJoin(payments, eq(payments.id, ledgerEntries.paymentId))
    .where(eq(ledgerEntries.goalId, goalId))
    .orderBy(desc(ledgerEntries.id));
  return opts.limit === undefined ? query : query.limit(opts.limit).offset(opts.offset ?? 0);
}

type EntryRow = Awaited<ReturnType<typeof entryRows>>[number];

function sourceOf(e: EntryRow): { type: "payment" | "correction" | "reallocation"; paymentId: string | null; origin: string | null; method: string | null; designated: boolean | null; group: string | null } {
  if (e.paymentId !== null) return { type: "payment", paymentId: e.paymentId.toString(), origin: e.origin, method: e.method, designated: e.designated, group: null };
  const group = e.entryKey?.split(":").slice(0, 2).join(":") ?? null;
  return { type: e.kind === "reallocation" ? "reallocation" : "correction", paymentId: null, origin: null, method: null, designated: null, group };
}

/** One page of a goal's ledger, newest first (`page` from 1). */
export async function goalLedgerPage(ctx: ServiceContext, input: { slug: string; page?: unknown }) {
  requireStaffActor(ctx);
  const goal = await goalBySlug(ctx, input.slug);
  const [{ n, total }] = await ctx.db
    .select({ n: sql<number>`count(*)::int`, total: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.goalId, goal.id));
  const pages = Math.max(1, Math.ceil(n / ledgerPageSize));
  const asked = Number(input.page ?? 1);
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1;
  const rows = await entryRows(ctx, goal.id, { offset: (page - 1) * ledgerPageSize, limit: ledgerPageSize });
  return {
    goal: { slug: goal.slug, number: goal.number, title: ctx.locale === "en" ? goal.titleEn : goal.titleSv },
    balanceOre: total,
    count: n,
    page,
    pages,
    entries: rows.map((e) => ({
      id: e.id.toString(),
      at: e.at.toISOString(),
      kind: e.kind,
      channel: e.channel,
      amountOre: e.amountOre.toString(),
      reason: e.reason ?? "",
      author: e.author ?? "",
      source: sourceOf(e),
    })),
  };
}

/** Öre as kronor with a decimal point and its sign: -50n → "-0.50" (for spreadsheets, any locale). */
function kronorText(ore: bigint): string {
  const abs = ore < 0n ? -ore : ore;
  return `${ore < 0n ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** The goal's whole ledger as CSV (UTF-8 with BOM so Excel reads å, ä, ö), oldest first, amounts in kronor. */
export async function goalLedgerCsv(ctx: ServiceContext, input: { slug: string }): Promise<{ filename: string; csv: string }> {
  requireStaffActor(ctx);
  const goal = await goalBySlug(ctx, input.slug);
  const rows = (await entryRows(ctx, goal.id, {})).reverse();
  const en = ctx.locale === "en";
  const header = en
    ? ["entry", "date", "kind", "channel", "amount_sek", "source", "payment", "designated", "reason", "author"]
    : ["post", "datum", "typ", "kanal", "belopp_kr", "källa", "betalning", "öronmärkt", "orsak", "av"];
  const csv = stringify(
    rows.map((e) => {
      const s = sourceOf(e);
      return [
        e.id.toString(),
        e.at.toISOString(),
        e.kind,
        e.channel,
        kronorText(e.amountOre),
        s.type === "payment" ? [s.origin, s.method].filter(Boolean).join("/") : s.group,
        s.paymentId ?? "",
        s.designated === null ? "" : String(s.designated),
        e.reason ?? "",
        e.author ?? "",
      ];
    }),
    { header: true, columns: header },
  );
  return { filename: `ledger-${goal.slug}.csv`, csv: `\ufeff${csv}` };
}
