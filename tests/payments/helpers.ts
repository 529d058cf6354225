import { asc, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "~db/client.server";
import { goals, ledgerEntries, payments } from "~db/schema";
import { parseEnv, setEnvForTests, type Env } from "~/utils/env.server";
import { tempDir } from "../setup/server";
import { afterAll, beforeAll } from "vitest";
import { startFakeStripe, type FakeStripe } from "../fakes/stripe-server";

export const WEBHOOK_SECRET = "whsec_test_lokala_mal_payments";

/** A local configuration for payment tests; Stripe keys only when asked. */
export function usePaymentEnv(extra: Record<string, string> = {}): Env {
  const config = parseEnv({
    DATA_DIR: tempDir("payments"),
    SESSION_SECRET: "s".repeat(40),
    APP_URL: "http://127.0.0.1:3999",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...extra,
  });
  setEnvForTests(config);
  return config;
}

/** A webhook delivery as Stripe makes it: JSON body, Stripe-Signature over it with the endpoint secret. */
export function signedWebhookRequest(event: unknown, secret = WEBHOOK_SECRET, url = "http://127.0.0.1:3999/webhooks/stripe"): Request {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return new Request(url, { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": header } });
}

export async function goalIdsBySlug(db: Db): Promise<Map<string, { id: number; number: number }>> {
  const rows = await db.select().from(goals).orderBy(asc(goals.number));
  return new Map(rows.map((g) => [g.slug, { id: g.id, number: g.number }]));
}

/** Sum of every ledger entry (öre). */
export async function ledgerTotal(db: Db): Promise<bigint> {
  const [row] = await db.select({ s: sql<string>`coalesce(sum(${ledgerEntries.amountOre}), 0)::text` }).from(ledgerEntries);
  return BigInt(row.s);
}

export async function entriesOf(db: Db, paymentId: bigint) {
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.paymentId, paymentId)).orderBy(asc(ledgerEntries.id));
}

export async function allPayments(db: Db) {
  return db.select().from(payments).orderBy(asc(payments.id));
}

export function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Small seeded PRNG (mulberry32) so a failing order can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fake Stripe API for a describe block, with the app's payment settings pointed at it. */
export function useFakeStripe(): { fake: FakeStripe } {
  const ctx = {} as { fake: FakeStripe };
  beforeAll(async () => {
    ctx.fake = await startFakeStripe();
    usePaymentEnv({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_API_URL: ctx.fake.url });
  });
  afterAll(async () => {
    setEnvForTests(undefined);
    await ctx.fake?.stop();
  });
  return ctx;
}

/** The constraint a refused write broke (PGlite and postgres.js name the field differently); throws if it was accepted. */
export async function brokenConstraint(write: Promise<unknown>): Promise<string | undefined> {
  try {
    await write;
  } catch (e) {
    const err = ((e as { cause?: unknown }).cause ?? e) as { constraint?: string; constraint_name?: string };
    return err.constraint ?? err.constraint_name;
  }
  throw new Error("the database accepted the write");
}
