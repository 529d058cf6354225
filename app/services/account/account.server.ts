import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, monthlyGifts, payments, people } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { listSessionsOf } from "~/services/auth/sessions.server";
import { manageToken } from "~/services/payments/manage-link.server";
import type { PersonActor } from "~/services/context";
import { deviceName } from "./devices";

/** A person's own page shows this many gifts, newest first (a monthly donor of ten years has 120). */
export const ACCOUNT_GIFT_LIMIT = 200;

export interface AccountGift {
  /** The payment id: the receipt's reference. */
  id: string;
  /** When it was paid, or when it was started for a gift that was not (ISO). */
  date: string;
  goalTitle: string | null;
  amountOre: string;
  refundedOre: string;
  channel: string;
  status: string;
  method: "card" | "swish" | null;
  /** Paid: the receipt's details are shown (the same facts as the emailed receipt). */
  hasReceipt: boolean;
}

export interface AccountMonthlyGift {
  id: string;
  status: string;
  amountOre: string;
  goalTitle: string | null;
  startedAt: string;
  /** The signed self-service page (the link in every receipt); null while checkout is unfinished. */
  managePath: string | null;
}

export interface AccountSession {
  current: boolean;
  device: string;
  createdAt: string;
  lastSeenAt: string;
}

export interface AccountOverview {
  email: string;
  name: string | null;
  roles: PersonActor["roles"];
  organisations: { id: number; name: string; isAdmin: boolean }[];
  gifts: AccountGift[];
  monthlyGifts: AccountMonthlyGift[];
  sessions: AccountSession[];
  /** The receipt's recipient line. */
  recipient: { name: string; organisationNumber: string };
}

/**
 * The person's own address, read from their row by id, so the gift queries below match the address
 * the person signed in with and nothing a caller passes in. Payments carry the donor's address as
 * Stripe or the give form wrote it (any case), so it is compared lower-cased, exactly.
 */
function ownAddress(personId: number) {
  return sql`(select ${people.email} from ${people} where ${people.id} = ${personId})`;
}

function goalTitle(locale: Locale) {
  return locale === "en" ? goals.titleEn : goals.titleSv;
}

/**
 * Whether a paid gift was made with this address (for a sign-in request from an address that has no
 * person yet). Compared lower-cased: Stripe keeps the address as the donor typed it.
 */
export async function hasGivenWith(db: Db | Tx, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(sql`lower(${payments.donorEmail}) = ${email.trim().toLowerCase()}`, eq(payments.status, "paid")))
    .limit(1);
  return !!row;
}

/** Gifts made with this person's address (one-off, each month of a monthly gift, any other channel). */
export async function giftsOf(db: Db, personId: number, locale: Locale): Promise<AccountGift[]> {
  const rows = await db
    .select({
      id: payments.id,
      paidAt: payments.paidAt,
      createdAt: payments.createdAt,
      goalTitle: goalTitle(locale),
      amountOre: payments.amountOre,
      refundedOre: payments.refundedOre,
      channel: payments.channel,
      status: payments.status,
      method: payments.method,
    })
    .from(payments)
    .leftJoin(goals, eq(goals.id, payments.goalId))
    .where(sql`lower(${payments.donorEmail}) = ${ownAddress(personId)}`)
    .orderBy(desc(sql`coalesce(${payments.paidAt}, ${payments.createdAt})`), desc(payments.id))
    .limit(ACCOUNT_GIFT_LIMIT);
  return rows.map((r) =>
    giftView({
      ...r,
      id: r.id.toString(),
      paidAt: r.paidAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      amountOre: r.amountOre.toString(),
      refundedOre: r.refundedOre.toString(),
    }),
  );
}

/** A gift's columns as giftsOf and the account page's statement (overview.server.ts) read them: ids, money and times as text. */
export interface GiftFields {
  id: string;
  paidAt: string | null;
  createdAt: string;
  goalTitle: string | null;
  amountOre: string;
  refundedOre: string;
  channel: string;
  status: string;
  method: string | null;
}

export function giftView(r: GiftFields): AccountGift {
  return {
    id: r.id,
    date: r.paidAt ?? r.createdAt,
    goalTitle: r.goalTitle,
    amountOre: r.amountOre,
    refundedOre: r.refundedOre,
    channel: r.channel,
    status: r.status,
    method: r.method === "card" || r.method === "swish" ? r.method : null,
    hasReceipt: r.status === "paid",
  };
}

/** Monthly gifts started with this person's address; unfinished checkouts are left out. */
export async function monthlyGiftsOf(db: Db, personId: number, locale: Locale): Promise<AccountMonthlyGift[]> {
  const rows = await db
    .select({
      id: monthlyGifts.id,
      status: monthlyGifts.status,
      amountOre: monthlyGifts.amountOre,
      goalTitle: goalTitle(locale),
      createdAt: monthlyGifts.createdAt,
      subscriptionId: monthlyGifts.subscriptionId,
    })
    .from(monthlyGifts)
    .leftJoin(goals, eq(goals.id, monthlyGifts.goalId))
    .where(and(sql`lower(${monthlyGifts.donorEmail}) = ${ownAddress(personId)}`, ne(monthlyGifts.status, "pending")))
    .orderBy(desc(monthlyGifts.createdAt), desc(monthlyGifts.id));
  return rows.map((r) => monthlyGiftView({ ...r, id: r.id.toString(), amountOre: r.amountOre.toString(), createdAt: r.createdAt.toISOString() }));
}

/** A monthly gift's columns as monthlyGiftsOf and the account page's statement read them. */
export interface MonthlyGiftFields {
  id: string;
  status: string;
  amountOre: string;
  goalTitle: string | null;
  createdAt: string;
  subscriptionId: string | null;
}

export function monthlyGiftView(r: MonthlyGiftFields): AccountMonthlyGift {
  return {
    id: r.id,
    status: r.status,
    amountOre: r.amountOre,
    goalTitle: r.goalTitle,
    startedAt: r.createdAt,
    managePath: r.subscriptionId ? `/give/monthly/${manageToken(r.id)}` : null,
  };
}

/** The person's sessions with readable device names, the current one first and marked. */
export async function sessionsOf(db: Db, personId: number, currentSessionId: string, locale: Locale): Promise<AccountSession[]> {
  const rows = await listSessionsOf(db, personId);
  return sessionViews(
    rows.map((r) => ({ id: r.id, userAgent: r.userAgent, createdAt: r.createdAt.toISOString(), lastSeenAt: r.lastSeenAt.toISOString() })),
    currentSessionId,
    locale,
  );
}

/** A session's columns as sessionsOf and the account page's statement read them (times in toISOString's form). */
export interface SessionFields {
  id: string;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
}

export function sessionViews(rows: SessionFields[], currentSessionId: string, locale: Locale): AccountSession[] {
  return [...rows]
    .sort((a, b) => Number(b.id === currentSessionId) - Number(a.id === currentSessionId) || Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt))
    .map((s) => ({
      current: s.id === currentSessionId,
      device: deviceName(s.userAgent, locale),
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
    }));
}
