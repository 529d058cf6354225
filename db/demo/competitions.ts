import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../client.server";
import { collections, competitionGoals, competitions, competitionTeams, goals, people, type CompetitionScoringMode } from "../schema";
import { newInviteCode } from "~/services/competitions/competitions.server";
import { scheduleResults } from "~/services/competitions/results.server";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";
import { demoPeople } from "./identity";

/**
 * Demo competitions (issue 12 item 9): one per scoring mode, each between two fictional companies
 * (every name says "Demo"), each team a team collection with a colleague's member page, and gifts
 * paid through the payments core (channel competition, origin 'demo', fictional donors at
 * example.com). Rows are marked demo (competitions.demo, people.demo, payments.origin 'demo').
 * The period runs from ten days before the seeding to twenty days after it, so the leaderboards
 * are live when the demo is explored. Idempotent: a competition whose slug exists is left alone.
 */

type DemoCompetition = {
  slug: string;
  title: string;
  mode: CompetitionScoringMode;
  goal: string;
  targetKr?: number;
  match?: { sponsor: string; kr: number };
  teams: { name: string; headcount?: number; invited?: number; giftsKr: number[] }[];
};

const demoCompetitions: DemoCompetition[] = [
  {
    slug: "demo-mest-insamlat",
    title: "Demo: Vem samlar mest? Bygg mot Café",
    mode: "total",
    goal: "ingen-hemloshet",
    teams: [
      { name: "Demo: Exempelbolaget Bygg AB", giftsKr: [500, 250, 1000] },
      { name: "Demo: Testfirman Café HB", giftsKr: [300, 300, 200, 150] },
    ],
  },
  {
    slug: "demo-per-deltagare",
    title: "Demo: Mest per deltagare",
    mode: "per_participant",
    goal: "ingen-ensamhet",
    teams: [
      { name: "Demo: Påhittat Konsult AB", giftsKr: [800, 400] },
      { name: "Demo: Fiktiva Fastigheter AB", giftsKr: [200, 200, 200, 300] },
    ],
  },
  {
    slug: "demo-per-anstalld",
    title: "Demo: Stor mot liten – per anställd",
    mode: "per_headcount",
    goal: "alla-kan-arbeta",
    teams: [
      { name: "Demo: Storföretaget Exempel AB", headcount: 120, giftsKr: [1000, 1500, 500, 700] },
      { name: "Demo: Lilla Verkstaden HB", headcount: 6, giftsKr: [400, 250] },
    ],
  },
  {
    slug: "demo-deltagande",
    title: "Demo: Flest med – deltagande",
    mode: "participation",
    goal: "alla-ar-trygga",
    teams: [
      { name: "Demo: Kontoret Prov AB", invited: 20, giftsKr: [100, 150, 200] },
      { name: "Demo: Butiken Test HB", invited: 5, giftsKr: [100, 100] },
    ],
  },
  {
    slug: "demo-tillsammans",
    title: "Demo: Tillsammans för psykisk hälsa",
    mode: "together",
    goal: "ingen-psykisk-ohalsa",
    targetKr: 3000,
    match: { sponsor: "Demo: Sponsorbolaget AB", kr: 3000 },
    teams: [
      { name: "Demo: Grannföretaget Ett AB", giftsKr: [600, 400] },
      { name: "Demo: Grannföretaget Två AB", giftsKr: [500, 250, 250] },
    ],
  },
];

async function demoPerson(tx: Tx, email: string, name: string): Promise<number> {
  await tx.insert(people).values({ email, name, demo: true }).onConflictDoNothing({ target: people.email });
  const [row] = await tx.select({ id: people.id }).from(people).where(eq(people.email, email));
  return row.id;
}

export async function seedCompetitionsDemo(db: Db): Promise<void> {
  const day = 86_400_000;
  const today = new Date(Math.floor(Date.now() / day) * day);
  const startsAt = new Date(today.getTime() - 10 * day);
  const endsAt = new Date(today.getTime() + 20 * day);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4242012)`);
    const organiser = await demoPerson(tx, demoPeople.contactA.email, demoPeople.contactA.name);
    const goalIds = new Map((await tx.select({ id: goals.id, slug: goals.slug }).from(goals)).map((g) => [g.slug, g.id]));
    for (const [ci, c] of demoCompetitions.entries()) {
      const [exists] = await tx.select({ id: competitions.id }).from(competitions).where(eq(competitions.slug, c.slug));
      if (exists) continue;
      const goalId = goalIds.get(c.goal)!;
      const [competition] = await tx
        .insert(competitions)
        .values({
          slug: c.slug,
          title: c.title,
          description: "Demo: en påhittad tävling mellan två fiktiva företag, för att visa hur tävlingar fungerar.",
          organiserPersonId: organiser,
          scoringMode: c.mode,
          startsAt,
          endsAt,
          targetOre: c.targetKr ? BigInt(c.targetKr * 100) : null,
          matchPotOre: c.match ? BigInt(c.match.kr * 100) : null,
          matchSponsorName: c.match?.sponsor ?? null,
          inviteCode: newInviteCode(),
          demo: true,
        })
        .returning();
      await tx.insert(competitionGoals).values({ competitionId: competition.id, goalId });
      for (const [ti, t] of c.teams.entries()) {
        const [team] = await tx
          .insert(competitionTeams)
          .values({ competitionId: competition.id, name: t.name, statedHeadcount: t.headcount ?? null, invitedCount: t.invited ?? null })
          .returning({ id: competitionTeams.id });
        const [teamPage] = await tx
          .insert(collections)
          .values({ slug: `${c.slug}-lag-${ti + 1}`, title: t.name, story: competition.description, goalId, ownerPersonId: organiser, endsAt, kind: "team", inviteCode: newInviteCode(), competitionTeamId: team.id })
          .returning({ id: collections.id });
        await tx.update(competitionTeams).set({ collectionId: teamPage.id }).where(eq(competitionTeams.id, team.id));
        const colleague = await demoPerson(tx, `demo.kollega${ci + 1}${ti + 1}@example.com`, `Demo Kollega ${ci + 1}${ti + 1}`);
        const [memberPage] = await tx
          .insert(collections)
          .values({ slug: `${c.slug}-lag-${ti + 1}-kollega`, title: `Demo: kollegans sida i ${t.name.replace(/^Demo: /, "")}`, story: "Demo: jag samlar in för mitt lag.", goalId, ownerPersonId: colleague, endsAt, parentCollectionId: teamPage.id, competitionTeamId: team.id })
          .returning({ id: collections.id });
        for (const [gi, kr] of t.giftsKr.entries()) {
          const payment = await recordPayment(tx, {
            channel: "competition",
            amountOre: BigInt(kr * 100),
            goalId,
            origin: "demo",
            method: gi % 2 ? "swish" : "card",
            payer: { name: `Demo Givare ${gi + 1}`, email: `demo.tavling${ci + 1}${ti + 1}${gi + 1}@example.com` },
            source: { collectionId: gi % 2 ? memberPage.id : teamPage.id, competitionTeamId: team.id },
            reference: `demo-competition:${c.slug}:${ti}:${gi}`,
          });
          await markPaymentPaid(tx, payment, { paidAt: new Date(startsAt.getTime() + (gi + 1) * day), author: "demo" });
        }
      }
      await scheduleResults(tx as unknown as Db, competition);
    }
  });
}
