import type { Db } from "~db/client.server";
import { drainOutbox, OutboxInterrupted, outboxListeners, settleClaim, type UnsettledClaim } from "./outbox.server";
import type { EmailTransport } from "./transport.server";

export interface EmailWorker {
  wake(): void;
  stop(): Promise<void>;
}

/**
 * A polling loop in the app process. Its timer is unref'd, so it never keeps the process alive:
 * SIGTERM ends the server as before, and a message being sent at that moment is picked up again
 * by any instance once its claim runs out. Started by startup({ workers: true }) in server.mjs only.
 */
export function startEmailWorker(opts: { db: Db; transport: EmailTransport; intervalMs?: number }): EmailWorker {
  const intervalMs = opts.intervalMs ?? 2000;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Infinity;
  let running: Promise<void> | undefined;
  let stopped = false;
  let again = false;

  // The earliest run wins: a wake-up never postpones a run already due sooner, so a steady stream
  // of new messages (one every few milliseconds during a busy hour) cannot keep the worker waiting.
  const schedule = (ms: number) => {
    if (stopped) return;
    const at = Date.now() + ms;
    if (timer && at >= dueAt) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      dueAt = Infinity;
      tick();
    }, ms);
    timer.unref();
  };
  const tick = () => {
    if (running) {
      again = true;
      return;
    }
    running = settleThenDrain()
      .then(() => undefined)
      .catch((error) => {
        if (error instanceof OutboxInterrupted) unsettled.push(error.claim);
        // One line: while the database is down this repeats every interval.
        console.error(`[email] worker run failed, retrying in ${intervalMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        running = undefined;
        schedule(again ? 0 : intervalMs);
        again = false;
      });
  };
  // Claims of runs that failed part way (the database went away): settled first once it answers
  // again, so their messages are sent now rather than when the claims run out (outbox.server.ts).
  const unsettled: UnsettledClaim[] = [];
  const settleThenDrain = async () => {
    while (unsettled.length) {
      await settleClaim(opts.db, unsettled[0]);
      unsettled.shift();
    }
    await drainOutbox({ db: opts.db, transport: opts.transport });
  };
  // A short delay after a wake-up lets the enqueuing transaction commit first.
  const wake = () => schedule(50);
  outboxListeners.add(wake);
  schedule(0);
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      outboxListeners.delete(wake);
      await running;
    },
  };
}
