import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";

/**
 * Exports of any size without holding the rows in memory: the query runs once under a server-side
 * cursor (one sort in the database, not one per page as keyset paging over an unindexed order would
 * be), rows are fetched `batch` at a time, each batch is turned into bytes and handed to the response
 * stream, and the next is fetched only when the reader has taken the last (backpressure). Memory is
 * one batch plus the stream's small queue, whether the period holds a hundred rows or a million.
 *
 * The cursor lives in a read-only transaction that stays open while the file downloads; a reader who
 * goes away cancels the stream, which ends the transaction.
 */

/** The rows of `db.execute` (postgres.js returns an array, PGlite an object with `rows`). */
export const rowsOf = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

class Cancelled extends Error {}

export interface CursorExport<Row> {
  query: SQL;
  /** Bytes before the first row (a header, a BOM). */
  head?: () => Uint8Array | Promise<Uint8Array>;
  /** A batch of rows as bytes; may keep state across batches (a voucher that goes on in the next one). */
  batch: (rows: Row[]) => Uint8Array;
  /** Bytes after the last row (what `batch` kept back). */
  tail?: () => Uint8Array;
  batchSize?: number;
}

export function cursorStream<Row>(db: Db, spec: CursorExport<Row>): ReadableStream<Uint8Array> {
  const size = spec.batchSize ?? 2000;
  let cancelled = false;
  let wake: (() => void) | null = null;
  const resume = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const push = async (bytes: Uint8Array) => {
          if (cancelled) throw new Cancelled();
          if (bytes.byteLength > 0) controller.enqueue(bytes);
          while (!cancelled && (controller.desiredSize ?? 1) <= 0) await new Promise<void>((r) => (wake = r));
          if (cancelled) throw new Cancelled();
        };
        const run = async (tx: Tx) => {
          await tx.execute(sql`set transaction read only`);
          if (spec.head) await push(await spec.head());
          await tx.execute(sql`declare export_cursor no scroll cursor for ${spec.query}`);
          for (;;) {
            const rows = rowsOf<Row>(await tx.execute(sql`fetch forward ${sql.raw(String(size))} from export_cursor`));
            if (rows.length > 0) await push(spec.batch(rows));
            if (rows.length < size) break;
          }
          await tx.execute(sql`close export_cursor`);
          if (spec.tail) await push(spec.tail());
        };
        db.transaction(run).then(
          () => controller.close(),
          (error) => {
            if (!(error instanceof Cancelled)) controller.error(error);
          },
        );
      },
      pull() {
        resume();
      },
      cancel() {
        cancelled = true;
        resume();
      },
    },
    // A few batches queued ahead of the reader, no more.
    { highWaterMark: 4 },
  );
}

/** The whole stream as one Buffer (tests, small files). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}
