import { and, eq, isNull } from "drizzle-orm";
import { competitionGoals, competitions, competitionScoringModes, goals } from "~db/schema";
import type { ServiceContext } from "~/services/context";
import { NotFound } from "~/services/errors";
import { boardJson, competitionBySlug, mayOrganise, readBoard, type BoardJson, type CompetitionBoard } from "./standings.server";

/**
 * The public leaderboard read (/competitions/<slug> and GET /api/competitions/<slug>). Everyone may
 * read it. Many visitors poll it while gifts arrive, so each instance reads a competition's figures
 * at most once per BOARD_TTL_MS (one read in flight per slug; the others wait for it): the shown
 * total is at most that much behind this instance's ledger, well inside issue 12's 2 s.
 */
export const BOARD_TTL_MS = 1000;

interface Cached {
  at: number;
  board: CompetitionBoard;
}
interface Store {
  cache: Map<string, Cached>;
  inFlight: Map<string, Promise<CompetitionBoard | null>>;
}
/** One cache per database handle: two databases in one process (tests on PGlite and PostgreSQL) never share a board. */
const stores = new WeakMap<object, Store>();
function storeOf(db: object): Store {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = { cache: new Map(), inFlight: new Map() }));
  return store;
}

async function freshBoard(ctx: ServiceContext, slug: string): Promise<CompetitionBoard | null> {
  const competition = await competitionBySlug(ctx.db, slug);
  if (!competition) return null;
  const board = await readBoard(ctx.db, competition);
  // The shared target reached: the match pot is unlocked from now on, also if a refund later lowers the total.
  if (competition.matchPotOre !== null && board.targetReached && competition.matchUnlockedAt === null) {
    await ctx.db.update(competitions).set({ matchUnlockedAt: new Date() }).where(and(eq(competitions.id, competition.id), isNull(competitions.matchUnlockedAt)));
  }
  return board;
}

/** Drops this instance's cached board (after the organiser changed it). */
export function forgetBoard(db: object, slug: string) {
  storeOf(db).cache.delete(slug);
}

/** The board, at most BOARD_TTL_MS old (`fresh` skips the cache, e.g. for tests and the organiser). */
export async function publicBoard(ctx: ServiceContext, slug: string, opts: { fresh?: boolean } = {}): Promise<CompetitionBoard> {
  const { cache, inFlight } = storeOf(ctx.db);
  const hit = cache.get(slug);
  if (!opts.fresh && hit && Date.now() - hit.at < BOARD_TTL_MS) return hit.board;
  let work = inFlight.get(slug);
  if (!work) {
    const started = Date.now();
    work = freshBoard(ctx, slug).finally(() => inFlight.delete(slug));
    inFlight.set(slug, work);
    work.then((b) => {
      if (b) cache.set(slug, { at: started, board: b });
      else cache.delete(slug);
      if (cache.size > 500) cache.delete(cache.keys().next().value!);
    }, () => {});
  }
  const board = await work;
  if (!board) throw new NotFound();
  return board;
}

/** The JSON of GET /api/competitions/<slug>, or null for an unknown slug. */
export async function competitionJson(ctx: ServiceContext, slug: string, opts: { fresh?: boolean } = {}): Promise<BoardJson | null> {
  const board = await publicBoard(ctx, slug, opts).catch((error: unknown) => {
    if (error instanceof NotFound) return null;
    throw error;
  });
  return board && boardJson(board);
}

/** What the page shows: the board, the goals, and whether the reader organises it. */
export async function competitionPage(ctx: ServiceContext, slug: string) {
  const board = await publicBoard(ctx, slug);
  const goalRows = await ctx.db
    .select({ slug: goals.slug, titleSv: goals.titleSv, titleEn: goals.titleEn })
    .from(competitionGoals)
    .innerJoin(goals, eq(goals.id, competitionGoals.goalId))
    .where(eq(competitionGoals.competitionId, board.competition.id))
    .orderBy(goals.number);
  const organiser = ctx.actor.kind === "person" && mayOrganise(ctx.actor, board.competition);
  return {
    board,
    json: boardJson(board),
    description: board.competition.description,
    goals: goalRows.map((g) => ({ slug: g.slug, title: ctx.locale === "en" ? g.titleEn : g.titleSv })),
    teamPages: board.teams.map((t) => ({ name: t.name, slug: t.collectionSlug })),
    organiser,
    modes: [...competitionScoringModes],
  };
}
