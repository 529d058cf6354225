import { eq, type SQL } from "drizzle-orm";
import { oneStatement, type Tx } from "~db/client.server";
import { payments, type Payment } from "~db/schema";

/**
 * Writes a Stripe event's handler does not read back, sent to the database together as one statement
 * (data-modifying CTEs: `with w1 as (insert …), w2 as (update …) insert …`) instead of one round trip
 * each. On the webhook path a round trip costs more than the work it carries, so this is most of what
 * makes an event cheap (docs/payments.md, "Throughput").
 *
 * Rules that keep it correct:
 * - Only inside a transaction that called `deferWrites(tx)`; anywhere else every write runs at once.
 * - Statements in one WITH see the same snapshot and must not touch the same row twice, so updates of
 *   a payment are merged into one patch per payment (`patchPayment`), and the handler's own copy of the
 *   row is what it reads afterwards.
 * - A read of a table with pending writes first sends them (`beforeRead`), so a handler never reads a
 *   state older than its own writes.
 * - The transaction sends what is left before it commits (`flushWrites`), or with its COMMIT
 *   (`takeWrites` and pipelinedTransaction's `last`).
 */
export type DeferredTable = "payments" | "ledger_entries" | "payment_anomalies" | "email_outbox";

interface Pending {
  writes: { table: DeferredTable; query: SQL }[];
  patches: Map<bigint, Partial<Payment>>;
  emails: boolean;
}

const pendingByTx = new WeakMap<object, Pending>();

/** From now on, writes made through this module in `tx` wait for a read that needs them, or the end. */
export function deferWrites(tx: Tx): void {
  if (!pendingByTx.has(tx)) pendingByTx.set(tx, { writes: [], patches: new Map(), emails: false });
}

/** An INSERT (or UPDATE) whose result nobody reads in this transaction. Returns whether it waits. */
export async function deferWrite(tx: Tx, table: DeferredTable, query: { getSQL(): SQL } & PromiseLike<unknown>): Promise<boolean> {
  const pending = pendingByTx.get(tx);
  if (!pending) {
    await query;
    return false;
  }
  pending.writes.push({ table, query: query.getSQL() });
  if (table === "email_outbox") pending.emails = true;
  return true;
}

/**
 * Sets columns of a payment; returns the row as it will be. Deferred, several patches of one payment
 * become one UPDATE; otherwise it is updated at once (and the row read back).
 */
export async function patchPayment(tx: Tx, payment: Payment, set: Partial<Payment>): Promise<Payment> {
  const pending = pendingByTx.get(tx);
  if (!pending) {
    const [row] = await tx.update(payments).set(set).where(eq(payments.id, payment.id)).returning();
    return row;
  }
  pending.patches.set(payment.id, { ...pending.patches.get(payment.id), ...set });
  return { ...payment, ...set };
}

/** Before reading any of these tables: sends the pending writes if one of them touches it. */
export async function beforeRead(tx: Tx, ...tables: DeferredTable[]): Promise<void> {
  const pending = pendingByTx.get(tx);
  if (!pending) return;
  const touched = (tables.includes("payments") && pending.patches.size > 0) || pending.writes.some((w) => tables.includes(w.table));
  if (touched) await flushWrites(tx);
}

/** Sends every pending write in one statement. Returns whether an email was queued in this transaction. */
export async function flushWrites(tx: Tx): Promise<boolean> {
  const { statements, emails } = takeWrites(tx);
  const statement = oneStatement(statements);
  if (statement) await tx.execute(statement);
  return emails;
}

/**
 * The pending writes, not sent (the caller sends them, e.g. together with COMMIT: pipelinedTransaction's
 * `last`), and whether an email was queued in this transaction.
 */
export function takeWrites(tx: Tx): { statements: SQL[]; emails: boolean } {
  const pending = pendingByTx.get(tx);
  if (!pending) return { statements: [], emails: false };
  const statements: SQL[] = [];
  for (const [id, set] of pending.patches) statements.push(tx.update(payments).set(set).where(eq(payments.id, id)).getSQL());
  for (const w of pending.writes) statements.push(w.query);
  pending.patches.clear();
  pending.writes = [];
  return { statements, emails: pending.emails };
}
