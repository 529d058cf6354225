import os from "node:os";
import { parentPort, Worker } from "node:worker_threads";
import { openDatabase, type Db } from "~db/client.server";
import { env } from "~/utils/env.server";
import { anEmailIsDue, outboxListeners } from "./outbox.server";
import { transportFor } from "./transport.server";
import { startEmailWorker } from "./worker.server";

/**
 * With PostgreSQL, the production server runs the email outbox worker in a worker thread: rendering
 * an email (React, then plain text) takes about a millisecond of CPU, and on the request thread each
 * one delays the answers to requests (Stripe's webhooks among them) by as much. The thread has its
 * own small connection pool; claims stay FOR UPDATE SKIP LOCKED, so it is one more worker like any
 * other instance's. PGlite is one process's database, so there the worker stays on the main thread.
 *
 * `bundle` is the URL of the server build (build/server/index.js), which exports runEmailWorkerThread.
 * If the thread cannot start or dies, `fallback` runs (startup starts the worker on the main thread),
 * so receipts never stop silently.
 */
export function startEmailWorkerThread(bundle: string, fallback: () => void): Worker {
  const thread = new Worker(
    `import(${JSON.stringify(bundle)})
      .then((m) => m.entry.module.runEmailWorkerThread())
      .catch((error) => { console.error("[email] worker thread could not start:", error); process.exit(1); });`,
    { eval: true },
  );
  const wake = () => thread.postMessage("wake");
  outboxListeners.add(wake);
  thread.on("error", (error) => console.error("[email] worker thread failed:", error));
  thread.on("exit", (code) => {
    outboxListeners.delete(wake);
    if (code !== 0) {
      console.error(`[email] worker thread ended (${code}); the email worker now runs on the main thread`);
      fallback();
    }
  });
  // The thread never keeps the server process alive by itself.
  thread.unref();
  return thread;
}

/**
 * startEmailWorkerThread once there is an email to send, not at the server's start: the thread loads the
 * whole server build a second time (about 1 CPU-s and 50 MB a process), which an instance that sends
 * no email never needs. It starts when this process queues an email (wakeOutbox), or when a look at the
 * outbox, at the start and then every `intervalMs` as the worker itself polls, finds a row that is due
 * by the worker's own claim rule (outbox.server.ts): queued by another instance or a script, a retry
 * whose time came, or a claim that ran out. The thread's worker drains at once when it starts, so
 * nothing queued before it is missed; the first email after a start waits for the thread (~1 s).
 */
export function startEmailWorkerThreadWhenDue(db: Db, bundle: string, fallback: () => void, intervalMs = 2000): void {
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    if (started) return;
    started = true;
    clearTimeout(timer);
    outboxListeners.delete(start);
    console.log("[email] an email is due: starting the worker thread");
    startEmailWorkerThread(bundle, fallback);
  };
  const look = async () => {
    try {
      if (!started && (await anEmailIsDue(db))) start();
    } catch {
      // The database is away: look again at the next interval, as the worker would retry its run.
    }
    if (!started) {
      timer = setTimeout(look, intervalMs);
      timer.unref();
    }
  };
  outboxListeners.add(start);
  void look();
}

/** Inside the thread: the outbox worker, woken by the main thread after each commit that queued an email. */
export async function runEmailWorkerThread(): Promise<void> {
  const config = env();
  if (!config.databaseUrl || !parentPort) throw new Error("the email worker thread needs PostgreSQL (DATABASE_URL) and a parent thread");
  // Emails can wait a few seconds; answers to requests cannot. On Linux the nice value belongs to the
  // calling thread, so this lowers only this thread's priority (the request thread keeps its own).
  try {
    os.setPriority(10);
  } catch {
    // not permitted here: run at the normal priority
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, max: 2 });
  const worker = startEmailWorker({ db: database.db, transport: transportFor(config) });
  parentPort.on("message", (message) => {
    if (message === "wake") worker.wake();
  });
}
