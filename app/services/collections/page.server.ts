import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import QRCode from "qrcode";
import type { Db } from "~db/client.server";
import { collections, goals, ledgerEntries, payments } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { anonymousActor, type ServiceContext } from "~/services/context";
import { percentOf } from "~/utils/money";
import { collectionIsActive, collectionTotals, getCollectionBySlug } from "./collections.server";

/** How many gifts the donor wall shows (newest first). */
export const DONOR_WALL_MAX = 50;

export interface DonorWallEntry {
  /** Null: anonymous ("Anonym"). */
  name: string | null;
  /** Null: the donor chose not to show it. Net of refunds. */
  amountOre: string | null;
  /** Null: none, or hidden by staff. */
  greeting: string | null;
  paidAt: string;
}

export interface CollectionPageView {
  slug: string;
  title: string;
  story: string;
  goal: { slug: string; number: number; title: string };
  raisedOre: string;
  targetOre: string | null;
  percent: number | null;
  giftCount: number;
  endsAt: string | null;
  status: "active" | "ended";
  hasImage: boolean;
  thankYouMessage: string | null;
  donors: DonorWallEntry[];
}

type Lookup = { kind: "found"; view: CollectionPageView } | { kind: "hidden" } | { kind: "missing" };

/**
 * The public view of /c/<slug> (and the poster and JSON): everything from the ledger, the donor wall
 * only as each donor chose (name or anonymous, amount or not), greetings staff hid left out.
 */
export async function collectionPage(ctx: ServiceContext, slug: string): Promise<Lookup> {
  const c = await getCollectionBySlug(ctx.db, slug.toLowerCase().slice(0, 100));
  if (!c) return { kind: "missing" };
  if (c.hiddenAt !== null) return { kind: "hidden" };
  const [[goal], totals, donors] = await Promise.all([
    ctx.db.select({ titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).where(eq(goals.id, c.goalId)),
    collectionTotals(ctx.db, [c.id]),
    donorWall(ctx.db, c.id),
  ]);
  const total = totals.get(c.id)!;
  return {
    kind: "found",
    view: {
      slug: c.slug,
      title: c.title,
      story: c.story,
      goal: { slug: c.goalSlug, number: c.goalNumber, title: ctx.locale === "en" ? goal.titleEn : goal.titleSv },
      raisedOre: total.raisedOre.toString(),
      targetOre: c.targetOre === null ? null : c.targetOre.toString(),
      percent: c.targetOre === null ? null : Math.floor(percentOf(total.raisedOre, c.targetOre) ?? 0),
      giftCount: total.giftCount,
      endsAt: c.endsAt ? c.endsAt.toISOString() : null,
      status: collectionIsActive(c) ? "active" : "ended",
      hasImage: c.imageId !== null,
      thankYouMessage: c.thankYouMessage,
      donors,
    },
  };
}

async function donorWall(db: Db, collectionId: number): Promise<DonorWallEntry[]> {
  const net = sql<string>`coalesce((select sum(${ledgerEntries.amountOre}) from ${ledgerEntries} where ${ledgerEntries.paymentId} = ${payments.id}), 0)`;
  const rows = await db
    .select({
      name: payments.donorName,
      anonymous: payments.anonymous,
      showAmount: payments.showAmount,
      greeting: payments.greeting,
      greetingHiddenAt: payments.greetingHiddenAt,
      paidAt: payments.paidAt,
      netOre: sql<string>`(${net})::text`,
    })
    .from(payments)
    .innerJoin(collections, eq(collections.id, payments.collectionId))
    .where(and(or(eq(collections.id, collectionId), eq(collections.parentCollectionId, collectionId)), eq(payments.status, "paid"), isNull(collections.hiddenAt)))
    .orderBy(desc(payments.paidAt), desc(payments.id))
    .limit(DONOR_WALL_MAX * 2);
  return rows
    .filter((r) => BigInt(r.netOre) > 0n)
    .slice(0, DONOR_WALL_MAX)
    .map((r) => ({
      name: r.anonymous || !r.name ? null : r.name,
      amountOre: r.showAmount ? r.netOre : null,
      greeting: r.greeting && r.greetingHiddenAt === null ? r.greeting : null,
      paidAt: (r.paidAt ?? new Date(0)).toISOString(),
    }));
}

/** The public JSON contract of GET /api/collections/<slug> (DESIGN.md): no donor's data. */
export async function collectionJson(ctx: ServiceContext, slug: string) {
  const found = await collectionPage({ ...ctx, actor: anonymousActor }, slug);
  if (found.kind !== "found") return found;
  const v = found.view;
  return {
    kind: "found" as const,
    body: {
      slug: v.slug,
      title: v.title,
      goal: v.goal.slug,
      raisedOre: Number(v.raisedOre),
      targetOre: v.targetOre === null ? null : Number(v.targetOre),
      giftCount: v.giftCount,
      endsAt: v.endsAt,
      status: v.status,
    },
  };
}

/** The QR code of the page's address as inline SVG (scanned from a poster or a screen). */
export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

export type { Locale };
