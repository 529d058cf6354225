import type { Db } from "~db/client.server";
import { drainJobs, jobListeners } from "./jobs.server";

export interface JobWorker {
  wake(): void;
  stop(): Promise<void>;
}

/**
 * A polling loop in the app process, like the email worker: its timer is unref'd (SIGTERM ends the
 * server as before; a job running at that moment is taken over by another worker once its claim
 * runs out). Every instance runs one; the claim keeps them from running a job twice. A failed run
 * (the database went away) is logged in one line and tried again after the interval.
 */
export function startJobWorker(opts: { db: Db; intervalMs?: number; clock?: () => Date }): JobWorker {
  const intervalMs = opts.intervalMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Infinity;
  let running: Promise<void> | undefined;
  let stopped = false;
  let again = false;

  // The earliest run wins: a wake-up never postpones a run already due sooner.
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
    running = drainJobs({ db: opts.db, clock: opts.clock })
      .then(() => undefined)
      .catch((error) => {
        console.error(`[jobs] worker run failed, retrying in ${intervalMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        running = undefined;
        schedule(again ? 0 : intervalMs);
        again = false;
      });
  };
  // A short delay after a wake-up lets the enqueuing transaction commit first.
  const wake = () => schedule(50);
  jobListeners.add(wake);
  schedule(0);
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      jobListeners.delete(wake);
      await running;
    },
  };
}
