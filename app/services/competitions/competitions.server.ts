import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, like, or } from "drizzle-orm";
import type { Tx } from "~db/client.server";
import { collections, competitionGoals, competitions, competitionScoringModes, competitionTeams, goals, type Competition, type CompetitionScoringMode } from "~db/schema";
import { slugCandidate, slugify } from "~/services/collections/slug";
import { requirePerson, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Forbidden, Invalid, NotFound } from "~/services/errors";
import { enqueueJob } from "~/services/jobs/jobs.server";
import { competitionSchema, joinCompetitionSchema, scoringModeSchema, type TeamRowValues } from "~/validation/competitions";
import { modeNeeds } from "./scoring";
import { forgetBoard } from "./board.server";
import { competitionBySlug, competitionStatus, mayOrganise } from "./standings.server";
import { stockholmDay, stockholmEndOf, stockholmStartOf } from "~/utils/dates";

/**
 * Competitions (issue 12, item 6): a signed-in person organises one between two or more teams
 * (typically companies); each team collects through a team collection of its own, whose member
 * pages (colleagues) count for it too. The organiser chooses the scoring mode and may change it
 * until the start. Other teams join with the competition's invite link.
 */

export const RESULTS_JOB = "competition_results";

export const newInviteCode = () => randomBytes(12).toString("base64url");


export async function goalOptions(ctx: ServiceContext) {
  const rows = await ctx.db.select({ slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  return rows.map((g) => ({ slug: g.slug, number: g.number, title: ctx.locale === "en" ? g.titleEn : g.titleSv }));
}

/** What /competitions/new offers a signed-in person. */
export async function newCompetitionOptions(ctx: ServiceContext) {
  requirePerson(ctx);
  return { goals: await goalOptions(ctx), modes: [...competitionScoringModes] };
}

const isBlankRow = (r: { name?: unknown; headcount?: unknown; invited?: unknown }) => [r.name, r.headcount, r.invited].every((v) => String(v ?? "").trim() === "");

/** Headcount / invited count the mode needs, for each team (field errors keyed by row). */
function checkTeamFigures(mode: CompetitionScoringMode, teams: { headcount: number | null; invited: number | null }[], key: (i: number, f: string) => string, errors: Record<string, string>) {
  const need = modeNeeds(mode);
  teams.forEach((t, i) => {
    if (need === "headcount" && t.headcount === null) errors[key(i, "headcount")] ??= "headcount_required";
    if (need === "invited" && t.invited === null) errors[key(i, "invited")] ??= "invited_required";
  });
}

/** A team collection for a competition team: the goal, the period's end, its own invite code. */
async function insertTeamCollection(
  tx: Tx,
  values: { title: string; story: string; goalId: number; ownerPersonId: number; endsAt: Date; competitionTeamId: number; slugBase: string },
): Promise<{ id: number; slug: string }> {
  const base = slugify(values.slugBase);
  const taken = new Set((await tx.select({ slug: collections.slug }).from(collections).where(or(eq(collections.slug, base), like(collections.slug, `${base}-%`)))).map((r) => r.slug));
  for (let n = 1; n < 10_000; n++) {
    const slug = slugCandidate(base, n);
    if (taken.has(slug)) continue;
    const [row] = await tx
      .insert(collections)
      .values({
        slug,
        title: values.title,
        story: values.story,
        goalId: values.goalId,
        ownerPersonId: values.ownerPersonId,
        endsAt: values.endsAt,
        kind: "team",
        inviteCode: newInviteCode(),
        competitionTeamId: values.competitionTeamId,
      })
      .onConflictDoNothing({ target: collections.slug })
      .returning({ id: collections.id, slug: collections.slug });
    if (row) return row;
  }
  throw new Conflict("slug_taken");
}

async function addTeam(
  tx: Tx,
  competition: Competition,
  team: { name: string; headcount: number | null; invited: number | null; goalId: number; ownerPersonId: number },
): Promise<number> {
  const [row] = await tx
    .insert(competitionTeams)
    .values({ competitionId: competition.id, name: team.name, statedHeadcount: team.headcount, invitedCount: team.invited })
    .returning({ id: competitionTeams.id });
  const collection = await insertTeamCollection(tx, {
    title: team.name,
    story: competition.description,
    goalId: team.goalId,
    ownerPersonId: team.ownerPersonId,
    endsAt: competition.endsAt,
    competitionTeamId: row.id,
    slugBase: `${team.name} ${competition.slug}`,
  });
  await tx.update(competitionTeams).set({ collectionId: collection.id }).where(eq(competitionTeams.id, row.id));
  return row.id;
}

export interface NewCompetitionInput {
  fields: Record<string, unknown>;
  teams: { name?: unknown; headcount?: unknown; invited?: unknown }[];
}

/**
 * Checks everything first (every field's message at once; fewer than two teams is `teams_min`,
 * nothing written), then writes the competition, its goals, its teams with their team collections,
 * and the results job at its end, in one transaction.
 */
export async function createCompetition(ctx: ServiceContext, input: NewCompetitionInput, now = new Date()): Promise<{ id: number; slug: string }> {
  const person = requirePerson(ctx);
  const rows = input.teams.map((t, i) => ({ t, i })).filter(({ t }) => !isBlankRow(t));
  const parsed = competitionSchema.safeParse({ ...input.fields, teams: rows.map(({ t }) => t) });
  const errors: Record<string, string> = parsed.success ? {} : fieldErrorCodes(parsed.error);
  const teamKey = (i: number, f: string) => `teams[${rows[i]?.i ?? i}].${f}`;
  // Row errors point at the row the person typed in, not at its place among the filled rows.
  if (!parsed.success) {
    delete errors.teams;
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === "teams" && typeof issue.path[1] === "number") errors[teamKey(issue.path[1], String(issue.path[2] ?? "name"))] ??= issue.message;
    }
  }
  const v = parsed.success ? parsed.data : null;
  const teams: TeamRowValues[] = v?.teams ?? [];
  if (rows.length < 2) errors["teams[0].name"] = "teams_min";
  teams.forEach((t, i) => {
    if (!t.name) errors[teamKey(i, "name")] ??= "team_name_required";
  });
  const names = teams.map((t) => t.name.toLocaleLowerCase("sv"));
  names.forEach((n, i) => {
    if (n && names.indexOf(n) !== i) errors[teamKey(i, "name")] ??= "team_name_taken";
  });
  let goalIds: number[] = [];
  if (v) {
    checkTeamFigures(v.mode, teams, teamKey, errors);
    if (v.startsOn < stockholmDay(now)) errors.startsOn = "starts_past";
    if (v.endsOn < v.startsOn) errors.endsOn = "ends_before_start";
    if (v.mode === "together" && v.target === null) errors.target = "target_required_together";
    if (v.matchPot !== null && v.target === null) errors.target ??= "target_required_match";
    if (v.matchPot !== null && !v.matchSponsor) errors.matchSponsor = "sponsor_required";
    const found = await ctx.db.select({ id: goals.id, slug: goals.slug }).from(goals).where(inArray(goals.slug, v.goals));
    if (found.length !== new Set(v.goals).size) errors.goals = "goal_unknown";
    goalIds = [...new Set(v.goals)].map((s) => found.find((g) => g.slug === s)?.id).filter((id): id is number => id !== undefined);
  }
  if (!v || Object.keys(errors).length) throw new Invalid("competition_invalid", errors);

  return ctx.db.transaction(async (tx) => {
    const base = slugify(v.title);
    const taken = new Set((await tx.select({ slug: competitions.slug }).from(competitions).where(or(eq(competitions.slug, base), like(competitions.slug, `${base}-%`)))).map((r) => r.slug));
    let competition: Competition | undefined;
    for (let n = 1; !competition && n < 10_000; n++) {
      const slug = slugCandidate(base, n);
      if (taken.has(slug)) continue;
      [competition] = await tx
        .insert(competitions)
        .values({
          slug,
          title: v.title,
          description: v.description,
          organiserPersonId: person.personId,
          scoringMode: v.mode,
          startsAt: stockholmStartOf(v.startsOn),
          endsAt: stockholmEndOf(v.endsOn),
          targetOre: v.target,
          matchPotOre: v.matchPot,
          matchSponsorName: v.matchPot !== null ? v.matchSponsor : null,
          inviteCode: newInviteCode(),
        })
        .onConflictDoNothing({ target: competitions.slug })
        .returning();
    }
    if (!competition) throw new Conflict("slug_taken");
    await tx.insert(competitionGoals).values(goalIds.map((goalId) => ({ competitionId: competition!.id, goalId })));
    for (const t of teams) await addTeam(tx, competition, { ...t, goalId: goalIds[0], ownerPersonId: person.personId });
    await enqueueJob(tx, { kind: RESULTS_JOB, runAt: competition.endsAt, dedupeKey: `competition:${competition.id}`, payload: { competitionId: competition.id } });
    return { id: competition.id, slug: competition.slug };
  });
}

async function competitionForOrganiser(ctx: ServiceContext, slug: string): Promise<Competition> {
  const person = requirePerson(ctx);
  const competition = await competitionBySlug(ctx.db, slug);
  if (!competition) throw new NotFound();
  if (!mayOrganise(person, competition)) throw new Forbidden();
  return competition;
}

/** The organiser changes the scoring mode; only before the start, and only to a mode every team has figures for. */
export async function changeScoringMode(ctx: ServiceContext, slug: string, rawMode: unknown, now = new Date()): Promise<void> {
  const competition = await competitionForOrganiser(ctx, slug);
  const parsed = scoringModeSchema.safeParse(rawMode);
  if (!parsed.success) throw new Invalid("mode_invalid", { mode: "mode_invalid" });
  if (competitionStatus(competition, now) !== "upcoming") throw new Invalid("mode_locked", { mode: "mode_locked" });
  const mode = parsed.data;
  const teams = await ctx.db.select().from(competitionTeams).where(eq(competitionTeams.competitionId, competition.id));
  const need = modeNeeds(mode);
  if (need === "headcount" && teams.some((t) => t.statedHeadcount === null)) throw new Invalid("mode_needs_headcount", { mode: "mode_needs_headcount" });
  if (need === "invited" && teams.some((t) => t.invitedCount === null)) throw new Invalid("mode_needs_invited", { mode: "mode_needs_invited" });
  if (mode === "together" && competition.targetOre === null) throw new Invalid("target_required_together", { mode: "target_required_together" });
  // Checked again under the row lock: the start may pass between the read and the write.
  await ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(competitions).where(eq(competitions.id, competition.id)).for("update");
    if (competitionStatus(locked, now) !== "upcoming") throw new Invalid("mode_locked", { mode: "mode_locked" });
    await tx.update(competitions).set({ scoringMode: mode, updatedAt: new Date() }).where(eq(competitions.id, competition.id));
  });
  forgetBoard(ctx.db, slug);
}

/** The organiser's links: the competition's invite for other teams, and each team's for its colleagues. */
export async function organiserLinks(ctx: ServiceContext, slug: string) {
  const competition = await competitionForOrganiser(ctx, slug);
  const teams = await ctx.db
    .select({ name: competitionTeams.name, slug: collections.slug, inviteCode: collections.inviteCode })
    .from(competitionTeams)
    .innerJoin(collections, eq(collections.id, competitionTeams.collectionId))
    .where(eq(competitionTeams.competitionId, competition.id))
    .orderBy(asc(competitionTeams.id));
  return { competitionInvite: competition.inviteCode, teams };
}

/** What the join page shows someone with the invite link (a wrong code learns nothing). */
export async function competitionJoinView(ctx: ServiceContext, slug: string, code: string) {
  requirePerson(ctx);
  const competition = await competitionBySlug(ctx.db, slug);
  if (!competition || code.length === 0 || competition.inviteCode !== code) throw new NotFound();
  const goalRows = await ctx.db
    .select({ slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn })
    .from(competitionGoals)
    .innerJoin(goals, eq(goals.id, competitionGoals.goalId))
    .where(eq(competitionGoals.competitionId, competition.id))
    .orderBy(asc(goals.number));
  return {
    title: competition.title,
    mode: competition.scoringMode as CompetitionScoringMode,
    needs: modeNeeds(competition.scoringMode as CompetitionScoringMode),
    ended: competitionStatus(competition) === "ended",
    goals: goalRows.map((g) => ({ slug: g.slug, title: ctx.locale === "en" ? g.titleEn : g.titleSv })),
  };
}

/** Another team joins with the invite link: its own team collection, owned by the person who joins. */
export async function joinCompetition(ctx: ServiceContext, slug: string, code: string, fields: Record<string, unknown>, now = new Date()): Promise<{ teamSlug: string }> {
  const person = requirePerson(ctx);
  const competition = await competitionBySlug(ctx.db, slug);
  if (!competition || code.length === 0 || competition.inviteCode !== code) throw new NotFound();
  if (competitionStatus(competition, now) === "ended") throw new Invalid("competition_ended", { name: "competition_ended" });
  const parsed = joinCompetitionSchema.safeParse(fields);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrorCodes(parsed.error);
  const v = parsed.success ? parsed.data : null;
  let goalId: number | null = null;
  if (v) {
    checkTeamFigures(competition.scoringMode as CompetitionScoringMode, [v], (_i, f) => f, errors);
    const [g] = await ctx.db
      .select({ id: goals.id })
      .from(competitionGoals)
      .innerJoin(goals, eq(goals.id, competitionGoals.goalId))
      .where(and(eq(competitionGoals.competitionId, competition.id), eq(goals.slug, v.goal)));
    if (g) goalId = g.id;
    else errors.goal = "goal_unknown";
  }
  if (!v || goalId === null || Object.keys(errors).length) throw new Invalid("team_invalid", errors);
  return ctx.db.transaction(async (tx) => {
    // One join at a time per competition, so two teams cannot take one name.
    await tx.select({ id: competitions.id }).from(competitions).where(eq(competitions.id, competition.id)).for("update");
    const existing = await tx.select({ name: competitionTeams.name }).from(competitionTeams).where(eq(competitionTeams.competitionId, competition.id));
    if (existing.some((t) => t.name.toLocaleLowerCase("sv") === v.name.toLocaleLowerCase("sv"))) throw new Invalid("team_invalid", { name: "team_name_taken" });
    const teamId = await addTeam(tx, competition, { name: v.name, headcount: v.headcount, invited: v.invited, goalId: goalId!, ownerPersonId: person.personId });
    const [team] = await tx.select({ slug: collections.slug }).from(collections).where(eq(collections.competitionTeamId, teamId));
    return { teamSlug: team.slug };
  });
}
