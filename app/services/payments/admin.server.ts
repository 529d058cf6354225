import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { goals, ledgerEntries, monthlyGifts, paymentAnomalies, paymentAnomalyResolutions, paymentChannels, payments, paymentStatuses } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";

// Staff only: every function checks the actor itself, whatever the route did (a service never trusts its caller).

export interface PaymentRow {
  id: string;
  createdAt: string;
  paidAt: string | null;
  status: string;
  channel: string;
  method: string | null;
  origin: string;
  amountOre: string;
  refundedOre: string;
  goalTitle: string | null;
  donorName: string | null;
  donorEmail: string | null;
  anonymous: boolean;
  greeting: string | null;
  flags: string[];
}

/** The newest payments (optionally one status), with the anomalies staff must look at. */
export async function listPaymentsForStaff(ctx: ServiceContext, { status, limit = 200 }: { status?: string; limit?: number } = {}) {
  requireStaffActor(ctx);
  const { db, locale } = ctx;
  const filter = status && (paymentStatuses as readonly string[]).includes(status) ? eq(payments.status, status) : undefined;
  const rows = await db
    .select({ p: payments, titleSv: goals.titleSv, titleEn: goals.titleEn })
    .from(payments)
    .leftJoin(goals, eq(goals.id, payments.goalId))
    .where(filter)
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit);
  const ids = rows.map((r) => r.p.id);
  const flags = ids.length ? await db.select().from(paymentAnomalies).where(inArray(paymentAnomalies.paymentId, ids)) : [];
  const out: PaymentRow[] = rows.map(({ p, titleSv, titleEn }) => ({
    id: p.id.toString(),
    createdAt: p.createdAt.toISOString(),
    paidAt: p.paidAt?.toISOString() ?? null,
    status: p.status,
    channel: p.channel,
    method: p.method,
    origin: p.origin,
    amountOre: p.amountOre.toString(),
    refundedOre: p.refundedOre.toString(),
    goalTitle: (locale === "en" ? titleEn : titleSv) ?? null,
    donorName: p.donorName,
    donorEmail: p.donorEmail,
    anonymous: p.anonymous,
    greeting: p.greeting,
    flags: flags.filter((f) => f.paymentId === p.id).map((f) => f.kind),
  }));
  return out;
}

/**
 * Every anomaly, newest first (including those about no known payment yet, e.g. an early dispute), with its
 * resolution if staff resolved it (`resolved`, the shape /admin/corrections uses; only a failed refund is resolved, there): the list is what
 * is left to review, so a resolved flag says so instead of looking open.
 */
export async function listAnomalies(ctx: ServiceContext, { limit = 100 }: { limit?: number } = {}) {
  requireStaffActor(ctx);
  const { db } = ctx;
  const rows = await db
    .select({ a: paymentAnomalies, r: paymentAnomalyResolutions })
    .from(paymentAnomalies)
    .leftJoin(paymentAnomalyResolutions, eq(paymentAnomalyResolutions.anomalyId, paymentAnomalies.id))
    .orderBy(desc(paymentAnomalies.createdAt), desc(paymentAnomalies.id))
    .limit(limit);
  return rows.map(({ a, r }) => ({
    id: a.id.toString(),
    paymentId: a.paymentId?.toString() ?? null,
    kind: a.kind,
    objectId: a.objectId,
    details: JSON.stringify(a.details),
    createdAt: a.createdAt.toISOString(),
    /** Whether staff can resolve this kind here at all (a failed refund), and if they did: when, who, why. */
    resolvable: a.kind === "refund_failed",
    resolved: r ? { at: r.createdAt.toISOString(), by: r.author, note: r.note } : null,
  }));
}

const channelRank = (channel: string) => (paymentChannels as readonly string[]).indexOf(channel);

/** Each goal's ledger balance, and per channel (in paymentChannels' order), straight from the ledger entries. */
export async function goalLedgerSummary(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const { db, locale } = ctx;
  const allGoals = await db.select().from(goals).orderBy(asc(goals.number));
  const sums = await db
    .select({ goalId: ledgerEntries.goalId, channel: ledgerEntries.channel, total: sql<string>`sum(${ledgerEntries.amountOre})::text` })
    .from(ledgerEntries)
    .groupBy(ledgerEntries.goalId, ledgerEntries.channel);
  const [monthly] = await db
    .select({ n: sql<number>`count(*)::int`, total: sql<string>`coalesce(sum(${monthlyGifts.amountOre}), 0)::text` })
    .from(monthlyGifts)
    .where(eq(monthlyGifts.status, "active"));
  return {
    goals: allGoals.map((g) => {
      // In the one channel order (GROUP BY returns groups in any order, and the page must not reshuffle between reads).
      const mine = sums.filter((s) => s.goalId === g.id).sort((a, b) => channelRank(a.channel) - channelRank(b.channel));
      return {
        number: g.number,
        slug: g.slug,
        title: locale === "en" ? g.titleEn : g.titleSv,
        balanceOre: mine.reduce((a, s) => a + BigInt(s.total), 0n).toString(),
        byChannel: mine.map((s) => ({ channel: s.channel, totalOre: s.total })),
      };
    }),
    activeMonthlyGifts: monthly?.n ?? 0,
    activeMonthlyOre: monthly?.total ?? "0",
  };
}
