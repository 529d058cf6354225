import type { Db, Tx } from "~db/client.server";
import { WriteBatch } from "./deferred-writes.server";
import { loadGoalDirectory, type GoalDirectory } from "./goal-directory.server";
import { PreparedStatements } from "./hot-queries.server";

const GOALS_TTL_MS = 60_000;
const RECENT_MAX = 50_000;

/**
 * What the Stripe webhook path keeps between events for one database, in one explicit object
 * (docs/decisions/0006-webhook-speed-ups.md): its prepared statements, the goal directory (a minute),
 * and the ids of events this instance committed recently. Only the Stripe entry points
 * (dispatchStripeEvent, receiveStripeWebhook, applyCheckoutSession) ask for it; each event gets a
 * WriteBatch from it, passed down to the handlers in their context. Nothing outside the Stripe path
 * sees any of it, so shared code behaves the same whoever called first.
 */
export class StripePath {
  readonly statements = new PreparedStatements();
  private goalsAt = 0;
  private goalsDir: Promise<GoalDirectory> | undefined;
  private readonly recent = new Set<string>();

  constructor(readonly db: Db) {}

  /** The goal directory, read again after a minute (a staff edit of a title shows within it). */
  goals(): Promise<GoalDirectory> {
    if (!this.goalsDir || Date.now() - this.goalsAt >= GOALS_TTL_MS) {
      this.goalsAt = Date.now();
      const dir = loadGoalDirectory(this.db);
      dir.catch(() => {
        if (this.goalsDir === dir) this.goalsDir = undefined;
      });
      this.goalsDir = dir;
    }
    return this.goalsDir;
  }

  /** A new write plan for one event's transaction. */
  batch(tx: Tx): WriteBatch {
    return new WriteBatch(tx, this.statements);
  }

  /** Whether this instance already committed the event (a cheap pre-check; the unique insert decides). */
  recentlyProcessed(eventId: string): boolean {
    return this.recent.has(eventId);
  }

  /** Only ids whose transaction committed are remembered (a failed handler must run again on retry). */
  remember(eventId: string): void {
    this.recent.add(eventId);
    if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.values().next().value!);
  }
}

// One per database (tests open several). Consulted only by the Stripe entry points named above.
const paths = new WeakMap<Db, StripePath>();

export function stripePathFor(db: Db): StripePath {
  let path = paths.get(db);
  if (!path) paths.set(db, (path = new StripePath(db)));
  return path;
}
