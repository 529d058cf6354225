import { and, count, eq, inArray, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { collections, competitionGoals, competitions, competitionTeams, emailOutbox, jobs, payments } from "~db/schema";
import { collectionTotals } from "~/services/collections/collections.server";
import { competitionJson } from "~/services/competitions/board.server";
import { changeScoringMode, createCompetition, joinCompetition, organiserLinks, RESULTS_JOB } from "~/services/competitions/competitions.server";
import { registerCompetitionJobs, sendCompetitionResults } from "~/services/competitions/results.server";
import { joinTeam, rotateTeamInvite, teamInviteForOwner } from "~/services/competitions/teams.server";
import { SignInRequired } from "~/services/context";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { drainJobs } from "~/services/jobs/jobs.server";
import { formatOre } from "~/utils/money";
import { createPaidGift, createPerson } from "../factories";
import { usePaymentEnv } from "../payments/helpers";
import { anonymousContext, personContext, staffContext, testSystemContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { dayFromToday, endCompetition, GOAL, makeCompetition } from "./helpers";

async function rowCounts(db: Parameters<typeof collectionTotals>[0]) {
  const [c] = await db.select({ n: count() }).from(competitions);
  const [t] = await db.select({ n: count() }).from(competitionTeams);
  const [k] = await db.select({ n: count() }).from(collections);
  const [g] = await db.select({ n: count() }).from(competitionGoals);
  return { competitions: c.n, teams: t.n, collections: k.n, goals: g.n };
}

describe.each(dbTargets)("competitions and teams (%s)", (target) => {
  const ctx = useTestDatabase(target);

  it("refuses a competition with one team: a 4xx with the message on the team field, nothing written", async () => {
    usePaymentEnv();
    const before = await rowCounts(ctx.db);
    const organiser = await createPerson(ctx.db);
    const error = await createCompetition(personContext(ctx.db, { id: organiser.id }), {
      fields: { title: "Ensam", goals: [GOAL], startsOn: dayFromToday(1), endsOn: dayFromToday(3), mode: "total" },
      teams: [{ name: "Bara Vi AB" }, { name: "" }, {}],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).status).toBe(400);
    expect((error as Invalid).fieldErrors).toMatchObject({ "teams[0].name": "teams_min" });
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it("asks for the figures the mode needs, the shared target for together, and refuses dates in the past", async () => {
    const organiser = await createPerson(ctx.db);
    const error = (await createCompetition(personContext(ctx.db, { id: organiser.id }), {
      fields: { title: "Per anställd", goals: [GOAL], startsOn: dayFromToday(-2), endsOn: dayFromToday(-3), mode: "per_headcount" },
      teams: [{ name: "A AB", headcount: "10" }, { name: "B AB" }],
    }).catch((e: unknown) => e)) as Invalid;
    expect(error.fieldErrors).toMatchObject({ "teams[1].headcount": "headcount_required", startsOn: "starts_past", endsOn: "ends_before_start" });
    const together = (await createCompetition(personContext(ctx.db, { id: organiser.id }), {
      fields: { title: "Tillsammans", goals: [GOAL], startsOn: dayFromToday(1), endsOn: dayFromToday(2), mode: "together", matchPot: "5000" },
      teams: [{ name: "A AB" }, { name: "B AB" }],
    }).catch((e: unknown) => e)) as Invalid;
    expect(together.fieldErrors).toMatchObject({ target: "target_required_together", matchSponsor: "sponsor_required" });
  });

  it("creates the teams as team collections credited to the competition, with a results job at the end", async () => {
    const { id, slug, organiser } = await makeCompetition(ctx.db, { title: "Höstkampen" });
    const teams = await ctx.db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, id));
    expect(teams.map((t) => [t.name, t.statedHeadcount, t.invitedCount])).toEqual([
      ["Fiktiva Verkstaden AB", 40, 40],
      ["Påhittade Konsult HB", 8, 10],
    ]);
    const teamCollections = await ctx.db.select().from(collections).where(inArray(collections.competitionTeamId, teams.map((t) => t.id)));
    expect(teamCollections.map((c) => [c.kind, c.ownerPersonId, c.inviteCode !== null])).toEqual([
      ["team", organiser.id, true],
      ["team", organiser.id, true],
    ]);
    expect(teams.map((t) => t.collectionId).sort()).toEqual(teamCollections.map((c) => c.id).sort());
    const [job] = await ctx.db.select().from(jobs).where(and(eq(jobs.kind, RESULTS_JOB), eq(jobs.dedupeKey, `competition:${id}`)));
    const [competition] = await ctx.db.select().from(competitions).where(eq(competitions.id, id));
    expect(job.runAt.getTime()).toBe(competition.endsAt.getTime());
    expect(slug).toBe("hostkampen");
  });

  it("lets the organiser change the mode before the start only, and only to a mode the teams have figures for", async () => {
    const upcoming = await makeCompetition(ctx.db, { startsOn: dayFromToday(2), endsOn: dayFromToday(4), teams: [{ name: "A AB", headcount: "5" }, { name: "B AB", headcount: "7" }] });
    const stranger = await createPerson(ctx.db);
    await expect(changeScoringMode(personContext(ctx.db, { id: stranger.id }), upcoming.slug, "per_headcount")).rejects.toBeInstanceOf(Forbidden);
    await expect(changeScoringMode(anonymousContext(ctx.db), upcoming.slug, "per_headcount")).rejects.toBeInstanceOf(SignInRequired);
    await expect(changeScoringMode(upcoming.ctx, upcoming.slug, "participation")).rejects.toMatchObject({ fieldErrors: { mode: "mode_needs_invited" } });
    await changeScoringMode(upcoming.ctx, upcoming.slug, "per_headcount");
    expect((await competitionJson(anonymousContext(ctx.db), upcoming.slug))?.mode).toBe("per_headcount");
    const running = await makeCompetition(ctx.db);
    await expect(changeScoringMode(running.ctx, running.slug, "per_headcount")).rejects.toMatchObject({ status: 400, fieldErrors: { mode: "mode_locked" } });
    const [row] = await ctx.db.select().from(competitions).where(eq(competitions.id, running.id));
    expect(row.scoringMode).toBe("total");
  });

  it("another team joins with the competition's invite link, and only with it", async () => {
    const { slug, ctx: organiserCtx } = await makeCompetition(ctx.db);
    const { competitionInvite } = await organiserLinks(organiserCtx, slug);
    const captain = await createPerson(ctx.db);
    const captainCtx = personContext(ctx.db, { id: captain.id });
    await expect(organiserLinks(captainCtx, slug)).rejects.toBeInstanceOf(Forbidden);
    await expect(joinCompetition(captainCtx, slug, "wrong", { name: "Tredje AB", goal: GOAL })).rejects.toBeInstanceOf(NotFound);
    await expect(joinCompetition(anonymousContext(ctx.db), slug, competitionInvite, { name: "Tredje AB", goal: GOAL })).rejects.toBeInstanceOf(SignInRequired);
    await expect(joinCompetition(captainCtx, slug, competitionInvite, { name: "fiktiva verkstaden ab", goal: GOAL })).rejects.toMatchObject({ fieldErrors: { name: "team_name_taken" } });
    const joined = await joinCompetition(captainCtx, slug, competitionInvite, { name: "Tredje AB", goal: GOAL });
    const [team] = await ctx.db.select().from(collections).where(eq(collections.slug, joined.teamSlug));
    expect(team).toMatchObject({ kind: "team", ownerPersonId: captain.id });
    expect((await competitionJson(anonymousContext(ctx.db), slug))?.standings.map((s) => s.team).sort()).toEqual(["Fiktiva Verkstaden AB", "Påhittade Konsult HB", "Tredje AB"]);
  });

  it("team: members join with the invite link; the team total is its own gifts and its members'; a rotated code stops the old link", async () => {
    usePaymentEnv();
    const { id } = await makeCompetition(ctx.db);
    const [team] = await ctx.db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, id)).orderBy(competitionTeams.id).limit(1);
    const [teamPage] = await ctx.db.select().from(collections).where(eq(collections.id, team.collectionId!));
    const colleague = await createPerson(ctx.db);
    const colleagueCtx = personContext(ctx.db, { id: colleague.id });
    await expect(joinTeam(anonymousContext(ctx.db), teamPage.slug, teamPage.inviteCode!, { title: "Min sida" })).rejects.toBeInstanceOf(SignInRequired);
    await expect(joinTeam(colleagueCtx, teamPage.slug, "gammal", { title: "Min sida" })).rejects.toBeInstanceOf(NotFound);
    await expect(joinTeam(colleagueCtx, teamPage.slug, teamPage.inviteCode!, { title: "" })).rejects.toMatchObject({ fieldErrors: { title: "required" } });
    const member = await joinTeam(colleagueCtx, teamPage.slug, teamPage.inviteCode!, { title: "Annas lopp", story: "Jag springer." });
    const [memberPage] = await ctx.db.select().from(collections).where(eq(collections.slug, member.slug));
    expect(memberPage).toMatchObject({ parentCollectionId: teamPage.id, ownerPersonId: colleague.id, competitionTeamId: team.id, goalId: teamPage.goalId });
    // Joining again leads to the same page.
    expect(await joinTeam(colleagueCtx, teamPage.slug, teamPage.inviteCode!, { title: "Igen" })).toEqual(member);

    const gift = (collectionId: number, amountOre: bigint) =>
      createPaidGift(ctx.db, { amountOre, goal: GOAL, payment: { channel: "competition", collectionId, competitionTeamId: team.id } });
    await gift(teamPage.id, 30_000n);
    await gift(memberPage.id, 20_000n);
    const totals = await collectionTotals(ctx.db, [teamPage.id, memberPage.id]);
    expect(totals.get(teamPage.id)).toEqual({ raisedOre: 50_000n, giftCount: 2 });
    expect(totals.get(memberPage.id)).toEqual({ raisedOre: 20_000n, giftCount: 1 });
    const board = await competitionJson(anonymousContext(ctx.db), (await ctx.db.select().from(competitions).where(eq(competitions.id, id)))[0].slug);
    expect(board?.standings.find((s) => s.team === team.name)).toMatchObject({ raisedOre: 50_000, giftCount: 2 });

    // Only the owner (or staff) sees and rotates the code.
    await expect(rotateTeamInvite(colleagueCtx, teamPage.slug)).rejects.toBeInstanceOf(Forbidden);
    await expect(teamInviteForOwner(anonymousContext(ctx.db), teamPage.slug)).rejects.toBeInstanceOf(SignInRequired);
    const owner = personContext(ctx.db, { id: teamPage.ownerPersonId });
    const fresh = await rotateTeamInvite(owner, teamPage.slug);
    expect(fresh).not.toBe(teamPage.inviteCode);
    expect((await teamInviteForOwner(owner, teamPage.slug)).inviteCode).toBe(fresh);
    const late = await createPerson(ctx.db);
    await expect(joinTeam(personContext(ctx.db, { id: late.id }), teamPage.slug, teamPage.inviteCode!, { title: "Sen" })).rejects.toBeInstanceOf(NotFound);
    await joinTeam(personContext(ctx.db, { id: late.id }), teamPage.slug, fresh, { title: "Sen men med" });
    // A member page cannot be made a team.
    await expect(rotateTeamInvite(colleagueCtx, member.slug)).rejects.toMatchObject({ status: 409 });
    const staff = await createPerson(ctx.db);
    expect(typeof (await rotateTeamInvite(staffContext(ctx.db, staff.id), teamPage.slug))).toBe("string");
  });

  it("sends the results email once to everyone who took part, under two drains at once", async () => {
    usePaymentEnv();
    const { id, slug, organiser } = await makeCompetition(ctx.db, { title: "Resultatkampen" });
    const teams = await ctx.db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, id)).orderBy(competitionTeams.id);
    await createPaidGift(ctx.db, { amountOre: 50_000n, goal: GOAL, payment: { channel: "competition", collectionId: teams[0].collectionId, competitionTeamId: teams[0].id, donorEmail: "givare.ett@example.com" } });
    await createPaidGift(ctx.db, { amountOre: 10_000n, goal: GOAL, payment: { channel: "competition", collectionId: teams[1].collectionId, competitionTeamId: teams[1].id, donorEmail: "givare.tva@example.com", locale: "en" } });
    await expect(sendCompetitionResults(anonymousContext(ctx.db), id)).rejects.toBeInstanceOf(Forbidden);
    // Not ended yet: nothing is sent.
    expect(await sendCompetitionResults(testSystemContext(ctx.db), id)).toBe(0);
    await endCompetition(ctx.db, id);
    await registerCompetitionJobs(ctx.db);
    await Promise.all([drainJobs({ db: ctx.db, kinds: [RESULTS_JOB] }), drainJobs({ db: ctx.db, kinds: [RESULTS_JOB] })]);
    expect(await sendCompetitionResults(testSystemContext(ctx.db), id)).toBe(0);
    const mails = await ctx.db.select().from(emailOutbox).where(like(emailOutbox.dedupeKey, `competition-results:${id}:%`));
    expect(mails.map((m) => m.to).sort()).toEqual(["givare.ett@example.com", "givare.tva@example.com", organiser.email].sort());
    expect(mails).toHaveLength(3);
    const english = mails.find((m) => m.to === "givare.tva@example.com")!;
    expect(english.locale).toBe("en");
    expect(String((english.props as { body: string }).body)).toContain(`1. Fiktiva Verkstaden AB: ${formatOre(50_000n)}\n2. Påhittade Konsult HB: ${formatOre(10_000n)}`);
    const [row] = await ctx.db.select().from(competitions).where(eq(competitions.id, id));
    expect(row.resultsSentAt).not.toBeNull();
    expect(slug).toBe("resultatkampen");
  });

  it("the match pot is promised until the shared target is reached, then unlocked (and stays so)", async () => {
    usePaymentEnv();
    const { id, slug } = await makeCompetition(ctx.db, { mode: "together", target: "1000", matchPot: "5000", matchSponsor: "Sponsorbolaget (fiktivt)" });
    const [team] = await ctx.db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, id)).limit(1);
    const json = await competitionJson(anonymousContext(ctx.db), slug);
    expect(json?.matchPot).toEqual({ sponsor: "Sponsorbolaget (fiktivt)", amountOre: 500_000, state: "promised" });
    expect(json?.standings.every((s) => s.rank === null)).toBe(true);
    await createPaidGift(ctx.db, { amountOre: 100_000n, goal: GOAL, payment: { channel: "competition", collectionId: team.collectionId, competitionTeamId: team.id } });
    expect((await competitionJson(anonymousContext(ctx.db), slug, { fresh: true }))?.matchPot?.state).toBe("unlocked");
    const [row] = await ctx.db.select().from(competitions).where(eq(competitions.id, id));
    expect(row.matchUnlockedAt).not.toBeNull();
    // The sponsor's pot is not a gift: nothing was booked for it.
    expect(await ctx.db.select().from(payments).where(eq(payments.competitionTeamId, team.id))).toHaveLength(1);
  });
});
