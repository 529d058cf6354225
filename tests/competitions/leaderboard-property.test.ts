import { eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { collections, competitions, competitionScoringModes, competitionTeams, ledgerEntries, payments, people, type CompetitionScoringMode } from "~db/schema";
import { boardJson, readBoard } from "~/services/competitions/standings.server";
import { joinTeam } from "~/services/competitions/teams.server";
import { recordPayment } from "~/services/payments/core.server";
import { chargeObject, checkoutSessionObject, stripeEvent, stripeId } from "~/services/payments/stripe-objects";
import { receiveStripeWebhook } from "~/services/payments/webhook.server";
import Stripe from "stripe";
import { createPerson, goalId } from "../factories";
import { usePaymentEnv, WEBHOOK_SECRET } from "../payments/helpers";
import { personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { GOAL, makeCompetition } from "./helpers";

/**
 * Issue 12's leaderboard property: under 200 gifts made at once, spread over a competition's teams
 * and member pages, each paid (and some refunded, some delivered twice) through the payments core by
 * signed Stripe webhooks, every scoring mode's standings equal a recomputation straight from
 * ledger_entries and payments: money per team net of refunds, gifts still standing, participants
 * (distinct donor emails, any case, and member-page owners), only gifts paid inside the period, and
 * ranks from an independent rule (1 + the number of teams with a strictly higher score). In
 * `together` nobody has a rank.
 */
const gift = fc.record({
  team: fc.nat({ max: 2 }),
  /** 0: the team's own page; else one of its member pages, if it has them. */
  page: fc.nat({ max: 2 }),
  amount: fc.integer({ min: 300, max: 500_000 }),
  donor: fc.nat({ max: 40 }),
  upperCase: fc.boolean(),
  refundPermille: fc.option(fc.integer({ min: 1, max: 1000 }), { freq: 3, nil: null }),
  /** Paid the day before the competition started: it must not count. */
  early: fc.boolean().map((b) => b && Math.random() < 0.2),
  twice: fc.boolean(),
});

function deliver(db: Parameters<typeof receiveStripeWebhook>[0], event: Stripe.Event) {
  const payload = JSON.stringify(event);
  return receiveStripeWebhook(db, payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }));
}

describe.each(dbTargets)("leaderboard property (%s)", (target) => {
  const ctx = useTestDatabase(target);
  beforeAll(() => {
    usePaymentEnv();
  });

  it("each mode's standings equal a recomputation from the ledger under 200 concurrent gifts", { timeout: 240_000 }, async () => {
    const { id } = await makeCompetition(ctx.db, {
      teams: [
        { name: "Fiktiva Verkstaden AB", headcount: "40", invited: "30" },
        { name: "Påhittade Konsult HB", headcount: "6", invited: "6" },
        { name: "Exempelbolaget AB", headcount: "15", invited: "12" },
      ],
    });
    const [competition] = await ctx.db.select().from(competitions).where(eq(competitions.id, id));
    const teams = await ctx.db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, id)).orderBy(competitionTeams.id);
    const teamPages = await ctx.db.select().from(collections).where(inArray(collections.id, teams.map((t) => t.collectionId!)));
    // Member pages: two colleagues in the first team, one in the second, none in the third.
    const pages: number[][] = teams.map((t) => [t.collectionId!]);
    for (const [teamIndex, n] of [[0, 2], [1, 1]] as const) {
      const page = teamPages.find((p) => p.id === teams[teamIndex].collectionId)!;
      for (let i = 0; i < n; i++) {
        const colleague = await createPerson(ctx.db);
        const member = await joinTeam(personContext(ctx.db, { id: colleague.id }), page.slug, page.inviteCode!, { title: `Kollega ${i} i ${page.title}` });
        const [row] = await ctx.db.select({ id: collections.id }).from(collections).where(eq(collections.slug, member.slug));
        pages[teamIndex].push(row.id);
      }
    }
    const goal = { id: await goalId(ctx.db, GOAL) };

    await fc.assert(
      fc.asyncProperty(fc.array(gift, { minLength: 200, maxLength: 200 }), async (gifts) => {
        await Promise.all(
          gifts.map(async (g) => {
            const team = teams[g.team];
            const collectionId = pages[g.team][g.page % pages[g.team].length];
            const email = `givare${g.donor}@example.com`;
            const pending = await ctx.db.transaction((tx) =>
              recordPayment(tx, {
                channel: "competition",
                amountOre: BigInt(g.amount),
                goalId: goal.id,
                origin: "app",
                method: "card",
                payer: { email: g.upperCase ? email.toUpperCase() : email, name: "Givare" },
                source: { collectionId, competitionTeamId: team.id },
              }),
            );
            const pi = stripeId("pi");
            const created = Math.floor((g.early ? competition.startsAt.getTime() - 3_600_000 : Date.now()) / 1000);
            const completed = stripeEvent(
              "checkout.session.completed",
              checkoutSessionObject({ id: stripeId("cs"), mode: "payment", amountTotal: g.amount, status: "complete", paymentStatus: "paid", paymentIntent: pi, metadata: { payment_ref: pending.id.toString() } }),
              { created },
            );
            expect((await deliver(ctx.db, completed)).status).toBe(200);
            if (g.twice) expect((await deliver(ctx.db, completed)).status).toBe(200);
            if (g.refundPermille !== null) {
              const refunded = Math.max(1, Math.floor((g.amount * g.refundPermille) / 1000));
              const refund = stripeEvent("charge.refunded", chargeObject({ id: stripeId("ch"), amount: g.amount, amountRefunded: refunded, paymentIntent: pi }));
              expect((await deliver(ctx.db, refund)).status).toBe(200);
            }
          }),
        );

        // The recomputation: straight from the ledger, in its own words.
        const perPayment = await ctx.db
          .select({ team: payments.competitionTeamId, email: payments.donorEmail, paidAt: payments.paidAt, net: sql<string>`sum(${ledgerEntries.amountOre})::text` })
          .from(payments)
          .innerJoin(ledgerEntries, eq(ledgerEntries.paymentId, payments.id))
          .where(inArray(payments.competitionTeamId, teams.map((t) => t.id)))
          .groupBy(payments.id);
        const owners = await ctx.db
          .select({ parent: collections.parentCollectionId, email: people.email })
          .from(collections)
          .innerJoin(people, eq(people.id, collections.ownerPersonId))
          .where(inArray(collections.parentCollectionId, teams.map((t) => t.collectionId!)));
        const expected = teams.map((t) => {
          const inPeriod = perPayment.filter((r) => {
            const at = r.paidAt!.getTime();
            return r.team === t.id && at >= competition.startsAt.getTime() && at < competition.endsAt.getTime();
          });
          const standing = inPeriod.filter((r) => BigInt(r.net) > 0n);
          const who = new Set([...standing.map((r) => r.email!.toLowerCase()), ...owners.filter((o) => o.parent === t.collectionId).map((o) => o.email)]);
          return { name: t.name, raised: inPeriod.reduce((s, r) => s + BigInt(r.net), 0n), gifts: standing.length, participants: who.size, headcount: t.statedHeadcount!, invited: t.invitedCount! };
        });
        for (const mode of competitionScoringModes) {
          const ratio = (e: (typeof expected)[number]): [bigint, bigint] =>
            mode === "per_participant" ? (e.participants ? [e.raised, BigInt(e.participants)] : [0n, 1n]) : mode === "per_headcount" ? [e.raised, BigInt(e.headcount)] : mode === "participation" ? [BigInt(e.participants), BigInt(e.invited)] : [e.raised, 1n];
          const higher = (a: [bigint, bigint], b: [bigint, bigint]) => a[0] * b[1] > b[0] * a[1];
          const want = expected.map((e) => ({
            team: e.name,
            raisedOre: Number(e.raised),
            giftCount: e.gifts,
            participants: e.participants,
            rank: mode === "together" ? null : 1 + expected.filter((o) => higher(ratio(o), ratio(e))).length,
          }));
          const board = boardJson(await readBoard(ctx.db, { ...competition, scoringMode: mode as CompetitionScoringMode }));
          const got = board.standings.map(({ team, raisedOre, giftCount, participants, rank }) => ({ team, raisedOre, giftCount, participants, rank }));
          expect(got.sort((a, b) => a.team.localeCompare(b.team)), mode).toEqual(want.sort((a, b) => a.team.localeCompare(b.team)));
          if (mode === "together") expect(board.standings.map((s) => s.team)).toEqual(expected.map((e) => e.name).sort((a, b) => a.localeCompare(b, "sv")));
          else for (let i = 1; i < board.standings.length; i++) expect(board.standings[i].rank!).toBeGreaterThanOrEqual(board.standings[i - 1].rank!);
        }
      }),
      { numRuns: 1 },
    );
  });
});
