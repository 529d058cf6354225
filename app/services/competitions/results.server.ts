import { and, eq, gte, inArray, isNotNull, lt } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { collections, competitions, payments, people } from "~db/schema";
import { competitionEmailMessages } from "~/i18n/competitions";
import { fill, type Locale } from "~/i18n/messages";
import { requireSystem, type ServiceContext } from "~/services/context";
import { outboxInsert, wakeOutbox } from "~/services/email/outbox.server";
import { enqueueJob, registerJobHandler } from "~/services/jobs/jobs.server";
import { env } from "~/utils/env.server";
import { formatOre } from "~/utils/money";
import { RESULTS_JOB } from "./competitions.server";
import { readBoard, type CompetitionBoard } from "./standings.server";

/**
 * The results email when a competition ends (issue 12, item 6): one job per competition at its end
 * (dedupe key `competition:<id>`). Sent once: the competition row is locked while the emails are
 * queued, `results_sent_at` is set in the same transaction, and each email has its own dedupe key,
 * so a job run twice (two workers, a crash after the commit) queues nothing twice. Everyone who took
 * part gets it: the teams' collectors (team and member page owners) and donors with an email.
 */

function resultsText(board: CompetitionBoard, locale: Locale) {
  const t = competitionEmailMessages(locale);
  const c = board.competition;
  const together = c.scoringMode === "together";
  const lines = board.standings.map((s) =>
    together || s.rank === null ? fill(t.togetherLine, { team: s.name, raised: formatOre(s.raisedOre) }) : fill(t.line, { rank: s.rank, team: s.name, raised: formatOre(s.raisedOre) }),
  );
  const paragraphs = [together ? fill(t.togetherIntro, { raised: formatOre(board.combinedOre) }) : t.intro, lines.join("\n")];
  if (c.matchPotOre !== null && board.targetReached) paragraphs.push(fill(t.matchUnlocked, { sponsor: c.matchSponsorName ?? "", amount: formatOre(c.matchPotOre) }));
  return {
    subject: fill(t.subject, { title: c.title }),
    heading: fill(t.heading, { title: c.title }),
    body: paragraphs.join("\n\n"),
    actionUrl: `${env().appUrl}/competitions/${c.slug}`,
    actionLabel: t.action,
  };
}

/** Sends the results of an ended competition, once. Returns how many emails were queued now. */
export async function sendCompetitionResults(ctx: ServiceContext, competitionId: number, now = new Date()): Promise<number> {
  requireSystem(ctx);
  const queued = await ctx.db.transaction(async (tx) => {
    const [competition] = await tx.select().from(competitions).where(eq(competitions.id, competitionId)).for("update");
    if (!competition || competition.resultsSentAt !== null || competition.endsAt > now) return 0;
    const board = await readBoard(tx, competition, now);
    const teamIds = board.teams.map((t) => t.id);
    const recipients = new Map<string, Locale>();
    if (teamIds.length) {
      const collectors = await tx
        .select({ email: people.email })
        .from(collections)
        .innerJoin(people, eq(people.id, collections.ownerPersonId))
        .where(inArray(collections.competitionTeamId, teamIds));
      for (const c of collectors) recipients.set(c.email.toLowerCase(), "sv");
      const donors = await tx
        .select({ email: payments.donorEmail, locale: payments.locale })
        .from(payments)
        .where(
          and(
            inArray(payments.competitionTeamId, teamIds),
            isNotNull(payments.donorEmail),
            inArray(payments.status, ["paid"]),
            gte(payments.paidAt, competition.startsAt),
            lt(payments.paidAt, competition.endsAt),
          ),
        );
      for (const d of donors) recipients.set(d.email!.toLowerCase(), d.locale === "en" ? "en" : "sv");
    }
    for (const [to, locale] of recipients) {
      await outboxInsert(tx, { to, template: "notice", locale, props: resultsText(board, locale), dedupeKey: `competition-results:${competition.id}:${to}` });
    }
    await tx
      .update(competitions)
      .set({ resultsSentAt: now, matchUnlockedAt: competition.matchUnlockedAt ?? (competition.matchPotOre !== null && board.targetReached ? now : null), updatedAt: now })
      .where(eq(competitions.id, competition.id));
    return recipients.size;
  });
  if (queued) wakeOutbox();
  return queued;
}

export async function registerCompetitionJobs(_db: Db): Promise<void> {
  registerJobHandler(RESULTS_JOB, async ({ ctx, job }) => {
    const id = Number((job.payload as { competitionId?: unknown }).competitionId);
    if (Number.isInteger(id)) await sendCompetitionResults(ctx, id);
  });
}

/** Re-queues the results job of a competition (e.g. demo data whose end passed); a no-op when it exists. */
export async function scheduleResults(db: Db, competition: { id: number; endsAt: Date }) {
  await enqueueJob(db, { kind: RESULTS_JOB, runAt: competition.endsAt, dedupeKey: `competition:${competition.id}`, payload: { competitionId: competition.id } });
}

