import { eq, type SQL } from "drizzle-orm";
import { oneStatement, type Tx } from "~db/client.server";
import { payments, type Payment } from "~db/schema";
import type { LedgerFacts } from "~/services/ledger/posting.server";
import type { PreparedStatements } from "./hot-queries.server";

/**
 * The Stripe path's write plan for one transaction (docs/decisions/0006-webhook-speed-ups.md): the
 * writes a handler does not read back, sent to the database together as one statement
 * (data-modifying CTEs: `with w1 as (insert …), w2 as (update …) insert …`) instead of one round trip
 * each; the advisory lock keys the transaction already holds; the statements it runs prepared. On the
 * webhook path a round trip costs more than the work it carries, so this is most of what makes an
 * event cheap (docs/payments.md, "Throughput").
 *
 * Only the Stripe path creates one (events.server.ts, per event) and hands it down explicitly. Shared
 * code (the payments core, syncPaymentLedger, notify) takes it as an optional argument: without it,
 * every write runs at once, as it does for invoices, BgMax and corrections.
 *
 * Rules that keep it correct:
 * - Statements in one WITH see the same snapshot and must not touch the same row twice, so updates of
 *   a payment are merged into one patch per payment (`patch`), and the handler's own copy of the row
 *   is what it reads afterwards.
 * - A read of a table with pending writes first sends them (`beforeRead`), so a handler never reads a
 *   state older than its own writes.
 * - The transaction sends what is left before it commits (`flush`), or with its COMMIT (`take` and
 *   pipelinedTransaction's `last`).
 */
export type DeferredTable = "payments" | "ledger_entries" | "payment_anomalies" | "email_outbox";

export class WriteBatch {
  private writes: { table: DeferredTable; query: SQL }[] = [];
  private readonly patches = new Map<bigint, Partial<Payment>>();
  private emails = false;
  /** Advisory lock keys (`pi:…`, `sub:…`) this transaction holds already. */
  readonly heldKeys = new Set<string>();
  /** Ledger facts read ahead, by what they are valid for (posting.server.ts readAheadKey); each used once. */
  private readonly ahead = new Map<string, LedgerFacts>();

  constructor(
    readonly tx: Tx,
    /** The Stripe path's statements, run prepared on this transaction's connection. */
    readonly statements: PreparedStatements,
  ) {}

  /** An INSERT (or UPDATE) whose result nobody reads in this transaction. */
  write(table: DeferredTable, query: { getSQL(): SQL }): void {
    this.writes.push({ table, query: query.getSQL() });
    if (table === "email_outbox") this.emails = true;
  }

  /**
   * A new payment's ledger facts, read in the flight of its insert (createExternalPayment). Valid only
   * while nothing has been posted for it: its first ledger sync takes them (takeLedgerFacts), later
   * ones read the entries.
   */
  keepLedgerFacts(key: string, facts: LedgerFacts): void {
    this.ahead.set(key, facts);
  }

  takeLedgerFacts(key: string): LedgerFacts | undefined {
    const facts = this.ahead.get(key);
    this.ahead.delete(key);
    return facts;
  }

  /** Sets columns of a payment; several patches of one payment become one UPDATE. Returns the row as it will be. */
  patch(payment: Payment, set: Partial<Payment>): Payment {
    this.patches.set(payment.id, { ...this.patches.get(payment.id), ...set });
    return { ...payment, ...set };
  }

  /** Before reading any of these tables: sends the pending writes if one of them touches it. */
  async beforeRead(...tables: DeferredTable[]): Promise<void> {
    const touched = (tables.includes("payments") && this.patches.size > 0) || this.writes.some((w) => tables.includes(w.table));
    if (touched) await this.flush();
  }

  /** Sends every pending write in one statement. Returns whether an email was queued in this transaction. */
  async flush(): Promise<boolean> {
    const { statements, emails } = this.take();
    const statement = oneStatement(statements);
    if (statement) await this.tx.execute(statement);
    return emails;
  }

  /**
   * The pending writes, not sent (the caller sends them, e.g. together with COMMIT: pipelinedTransaction's
   * `last`), and whether an email was queued in this transaction.
   */
  take(): { statements: SQL[]; emails: boolean } {
    const statements: SQL[] = [];
    for (const [id, set] of this.patches) statements.push(this.tx.update(payments).set(set).where(eq(payments.id, id)).getSQL());
    for (const w of this.writes) statements.push(w.query);
    this.patches.clear();
    this.writes = [];
    return { statements, emails: this.emails };
  }
}

/** A write nobody reads back: into the batch when there is one, else at once. Returns whether it waits. */
export async function deferWrite(tx: Tx, table: DeferredTable, query: { getSQL(): SQL } & PromiseLike<unknown>, batch?: WriteBatch): Promise<boolean> {
  if (!batch) {
    await query;
    return false;
  }
  batch.write(table, query);
  return true;
}

/** Sets columns of a payment: merged into the batch when there is one, else updated at once (and read back). */
export async function patchPayment(tx: Tx, payment: Payment, set: Partial<Payment>, batch?: WriteBatch): Promise<Payment> {
  if (batch) return batch.patch(payment, set);
  const [row] = await tx.update(payments).set(set).where(eq(payments.id, payment.id)).returning();
  return row;
}

/** Before reading these tables: sends the batch's pending writes that touch them (nothing without a batch). */
export async function beforeRead(batch: WriteBatch | undefined, ...tables: DeferredTable[]): Promise<void> {
  if (batch) await batch.beforeRead(...tables);
}
