import { and, eq } from "drizzle-orm";
import { people, workplacePledges } from "~db/schema";
import type { ServiceContext } from "~/services/context";
import type { InviteRefusal } from "./invite.server";
import { programmeByCode } from "./invite.server";
import { monthChoices } from "./pledge-months";
import { firstOpenMonth, loadProgramme, programmeGoals, rulesOf, type GoalChoice } from "./pledge-rules.server";

export type JoinPage =
  | { ok: false; reason: InviteRefusal }
  | {
      ok: true;
      organisationName: string;
      closed: boolean;
      rules: { minimumOre: string; perMilleOffered: boolean; goalIds: number[] };
      goals: GoalChoice[];
      months: string[];
      /** Signed in: the name they go by (for the form) and whether they already pledge here. */
      person: { name: string | null; pledged: boolean } | null;
    };

/**
 * What /workplace/<code> shows: the employer's name, the goals offered and the programme's rules,
 * for anyone holding the code (the code is the secret; a visitor who is not signed in is asked to
 * sign in first). An expired, rotated or unknown code gives only the reason.
 */
export async function joinPage(ctx: ServiceContext, code: string, now = new Date()): Promise<JoinPage> {
  const found = await programmeByCode(ctx.db, code, now);
  if (!found.ok) return { ok: false, reason: found.reason };
  const loaded = await loadProgramme(ctx.db, found.programme.id);
  if (!loaded) return { ok: false, reason: "unknown" };
  const { programme } = loaded;
  const goals = await programmeGoals(ctx.db, programme, ctx.locale);
  const rules = rulesOf(programme, goals);
  let person: { name: string | null; pledged: boolean } | null = null;
  if (ctx.actor.kind === "person") {
    const [me] = await ctx.db.select({ name: people.name }).from(people).where(eq(people.id, ctx.actor.personId));
    const [pledge] = await ctx.db
      .select({ id: workplacePledges.id })
      .from(workplacePledges)
      .where(and(eq(workplacePledges.programmeId, programme.id), eq(workplacePledges.personId, ctx.actor.personId)));
    person = { name: me?.name ?? null, pledged: !!pledge };
  }
  return {
    ok: true,
    organisationName: loaded.organisationName,
    closed: programme.status !== "active",
    rules: { minimumOre: String(rules.minimumOre), perMilleOffered: rules.perMilleOffered, goalIds: rules.goalIds },
    goals,
    months: monthChoices(await firstOpenMonth(ctx.db, programme.id, now)),
    person,
  };
}
