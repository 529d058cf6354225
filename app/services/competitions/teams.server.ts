import { and, eq, isNull, like, or } from "drizzle-orm";
import { collections } from "~db/schema";
import { slugCandidate, slugify } from "~/services/collections/slug";
import { isStaffActor, requirePerson, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Forbidden, Invalid, NotFound } from "~/services/errors";
import { joinTeamSchema } from "~/validation/competitions";
import { newInviteCode } from "./competitions.server";

/**
 * Teams (issue 12, item 5): a team collection has member pages under it (a company's team, each
 * colleague with a page); its total is its own gifts and its members' (collectionTotals). Anyone
 * with the team's invite link (/c/<slug>/join?code=…) may start a member page, signed in by email;
 * the owner can turn a collection of their own into a team and rotate the code, after which the old
 * link no longer works. A member page in a competition team credits that team too.
 */

async function teamBySlug(ctx: ServiceContext, slug: string) {
  const [row] = await ctx.db.select().from(collections).where(eq(collections.slug, slug)).limit(1);
  return row ?? null;
}

/** What the owner sees at /c/<slug>/join: the invite code (null while it is not a team yet). */
export async function teamInviteForOwner(ctx: ServiceContext, slug: string) {
  const person = requirePerson(ctx);
  const team = await teamBySlug(ctx, slug);
  if (!team) throw new NotFound();
  if (team.ownerPersonId !== person.personId && !isStaffActor(person)) throw new Forbidden();
  return { title: team.title, isTeam: team.kind === "team", inviteCode: team.kind === "team" ? team.inviteCode : null, isMemberPage: team.parentCollectionId !== null };
}

/**
 * The owner makes the collection a team (when it is not one) and gets a fresh invite code; an old
 * code stops working at once. A member page cannot be a team (no teams inside teams).
 */
export async function rotateTeamInvite(ctx: ServiceContext, slug: string): Promise<string> {
  const person = requirePerson(ctx);
  const team = await teamBySlug(ctx, slug);
  if (!team) throw new NotFound();
  if (team.ownerPersonId !== person.personId && !isStaffActor(person)) throw new Forbidden();
  if (team.parentCollectionId !== null) throw new Conflict("member_page_not_team");
  const code = newInviteCode();
  await ctx.db.update(collections).set({ kind: "team", inviteCode: code, updatedAt: new Date() }).where(eq(collections.id, team.id));
  return code;
}

/** The team an invite link names, for the join page; a wrong or old code is a 404 (it reveals nothing). */
export async function teamForInvite(ctx: ServiceContext, slug: string, code: string) {
  requirePerson(ctx);
  const team = await teamBySlug(ctx, slug);
  if (!team || team.kind !== "team" || !code || team.inviteCode !== code || team.hiddenAt !== null) throw new NotFound();
  const closed = team.status !== "open" || (team.endsAt !== null && team.endsAt.getTime() <= Date.now());
  return { title: team.title, closed };
}

/** A member page under the team: the team's goal, end and competition team; owned by the person joining. */
export async function joinTeam(ctx: ServiceContext, slug: string, code: string, fields: Record<string, unknown>): Promise<{ slug: string }> {
  const person = requirePerson(ctx);
  const team = await teamBySlug(ctx, slug);
  if (!team || team.kind !== "team" || !code || team.inviteCode !== code || team.hiddenAt !== null) throw new NotFound();
  if (team.status !== "open" || (team.endsAt !== null && team.endsAt.getTime() <= Date.now())) throw new Invalid("team_closed", { title: "team_closed" });
  const parsed = joinTeamSchema.safeParse(fields);
  if (!parsed.success) throw new Invalid("member_invalid", fieldErrorCodes(parsed.error));
  const v = parsed.data;
  return ctx.db.transaction(async (tx) => {
    const [already] = await tx
      .select({ slug: collections.slug })
      .from(collections)
      .where(and(eq(collections.parentCollectionId, team.id), eq(collections.ownerPersonId, person.personId), isNull(collections.hiddenAt)))
      .limit(1);
    // One page per person in a team: joining again leads to the page they have.
    if (already) return already;
    const base = slugify(`${v.title}`);
    const taken = new Set((await tx.select({ slug: collections.slug }).from(collections).where(or(eq(collections.slug, base), like(collections.slug, `${base}-%`)))).map((r) => r.slug));
    for (let n = 1; n < 10_000; n++) {
      const candidate = slugCandidate(base, n);
      if (taken.has(candidate)) continue;
      const [row] = await tx
        .insert(collections)
        .values({
          slug: candidate,
          title: v.title,
          story: v.story,
          goalId: team.goalId,
          ownerPersonId: person.personId,
          organisationId: team.organisationId,
          parentCollectionId: team.id,
          endsAt: team.endsAt,
          competitionTeamId: team.competitionTeamId,
        })
        .onConflictDoNothing({ target: collections.slug })
        .returning({ slug: collections.slug });
      if (row) return row;
    }
    throw new Conflict("slug_taken");
  });
}
