import { eq, fillPlaceholders, Param, sql, SQL, StringChunk } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
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

/** A write's text split at its parameters, and its parameters (placeholders with their column's encoder). */
export type WriteShape = { pieces: string[]; params: unknown[] };

/**
 * Rows (or an UPDATE's set) with a placeholder for every value, and the key of their shape: the same
 * key always gives the same SQL text. An undefined value is left out (Drizzle writes `default`, or
 * leaves the column alone in a SET), a null stays literal (a json column's encoder would make it 'null').
 */
function placeheld(rows: Record<string, unknown>[]): { key: string; rows: Record<string, unknown>[]; values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  const keys: string[] = [];
  const held = rows.map((row, i) => {
    const out: Record<string, unknown> = {};
    let key = "";
    for (const k in row) {
      const v = row[k];
      if (v === undefined) continue;
      if (v === null) {
        out[k] = null;
        key += `${k}=null,`;
      } else {
        out[k] = sql.placeholder(`${i}_${k}`);
        values[`${i}_${k}`] = v;
        key += `${k},`;
      }
    }
    keys.push(key);
    return out;
  });
  return { key: keys.join(";"), rows: held, values };
}

type Dialect = { sqlToQuery(s: SQL): { sql: string; params: unknown[] } };

/**
 * A query's text cut at its parameters, so each use can put its values in (`$1` … `$n`, in order,
 * as Drizzle numbers them). A text where the markers are not exactly that (a `$2` inside a string
 * literal, say) is refused rather than cut in the wrong place.
 */
export function shapeOf(query: { sql: string; params: unknown[] }): WriteShape {
  const parts = query.sql.split(/\$(\d+)/);
  const pieces: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    pieces.push(parts[i]);
    if (i + 1 < parts.length && Number(parts[i + 1]) !== i / 2 + 1) throw new Error(`deferred write: parameter markers out of order in ${query.sql}`);
  }
  if (pieces.length !== query.params.length + 1) throw new Error(`deferred write: ${pieces.length - 1} parameter markers for ${query.params.length} parameters in ${query.sql}`);
  return { pieces, params: query.params };
}

type Insert = { values(rows: Record<string, unknown>[]): { getSQL(): SQL } };

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

  /**
   * An INSERT of these rows whose result nobody reads in this transaction. Its text is built once per
   * shape (`name`, which columns of each row, how many rows) with placeholders; each event only fills in
   * its values, so the statement's text repeats and stays prepared (hot-queries.server.ts).
   */
  insert(table: DeferredTable, name: string, into: PgTable, rows: Record<string, unknown>[], end: (q: { getSQL(): SQL }) => { getSQL(): SQL } = (q) => q): void {
    const held = placeheld(rows);
    const insert = () => end((this.tx.insert(into) as unknown as Insert).values(held.rows));
    this.push(table, `${name}|${held.key}`, insert, held.values);
  }

  private push(table: DeferredTable, key: string, build: () => { getSQL(): SQL }, values: Record<string, unknown>): void {
    this.writes.push({ table, query: this.filled(key, build, values) });
    if (table === "email_outbox") this.emails = true;
  }

  /** The write of this shape (its text made once, hot-queries.server.ts) with these values. */
  private filled(key: string, build: () => { getSQL(): SQL }, values: Record<string, unknown>): SQL {
    const shape = this.statements.shape(key, () => shapeOf((this.tx as unknown as { dialect: Dialect }).dialect.sqlToQuery(build().getSQL())));
    const filled = fillPlaceholders(shape.params, values);
    const chunks: (StringChunk | Param)[] = [new StringChunk(shape.pieces[0])];
    for (let i = 0; i < filled.length; i++) chunks.push(new Param(filled[i]), new StringChunk(shape.pieces[i + 1]));
    return new SQL(chunks);
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
    // The merged patches of each payment first, then the other writes in the order they were made.
    const statements: SQL[] = [];
    for (const [id, set] of this.patches) {
      const held = placeheld([set]);
      const update = () => this.tx.update(payments).set(held.rows[0]).where(eq(payments.id, sql.placeholder("id")));
      statements.push(this.filled(`payment_patch|${held.key}`, update, { ...held.values, id: id.toString() }));
    }
    for (const w of this.writes) statements.push(w.query);
    this.patches.clear();
    this.writes = [];
    return { statements, emails: this.emails };
  }
}

/**
 * An INSERT nobody reads back: into the batch when there is one (built once per shape, see
 * WriteBatch.insert), else built and run at once. Returns whether it waits.
 */
export async function deferInsert(
  tx: Tx,
  batch: WriteBatch | undefined,
  table: DeferredTable,
  name: string,
  into: PgTable,
  rows: Record<string, unknown>[],
  end: (q: { getSQL(): SQL }) => { getSQL(): SQL } = (q) => q,
): Promise<boolean> {
  if (batch) {
    batch.insert(table, name, into, rows, end);
    return true;
  }
  await (end((tx.insert(into) as unknown as Insert).values(rows)) as unknown as PromiseLike<unknown>);
  return false;
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
