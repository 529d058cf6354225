import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { competitions, jobs } from "~db/schema";
import { createCompetition } from "~/services/competitions/competitions.server";
import { stockholmDay } from "~/utils/dates";
import { personContext } from "../setup/contexts";
import { createPerson } from "../factories";

/** Days after today in Stockholm, as YYYY-MM-DD. */
export function dayFromToday(days: number): string {
  const [y, m, d] = stockholmDay().split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export const GOAL = "ingen-ensamhet";

/** A competition through the service, by a new organiser; running now (today to a week ahead) unless told. */
export async function makeCompetition(
  db: Db,
  opts: { mode?: string; teams?: { name: string; headcount?: string; invited?: string }[]; startsOn?: string; endsOn?: string; target?: string; matchPot?: string; matchSponsor?: string; title?: string } = {},
) {
  const organiser = await createPerson(db);
  const ctx = personContext(db, { id: organiser.id, email: organiser.email });
  const teams = opts.teams ?? [
    { name: "Fiktiva Verkstaden AB", headcount: "40", invited: "40" },
    { name: "Påhittade Konsult HB", headcount: "8", invited: "10" },
  ];
  const created = await createCompetition(ctx, {
    fields: {
      title: opts.title ?? "Vårutmaningen",
      description: "Vem samlar mest?",
      goals: [GOAL],
      startsOn: opts.startsOn ?? dayFromToday(0),
      endsOn: opts.endsOn ?? dayFromToday(7),
      mode: opts.mode ?? "total",
      target: opts.target ?? "",
      matchPot: opts.matchPot ?? "",
      matchSponsor: opts.matchSponsor ?? "",
    },
    teams,
  });
  return { ...created, organiser, ctx };
}

/** Ends a competition now (its period the last day up to this moment, so gifts made so far are in it) and makes its results job due. */
export async function endCompetition(db: Db, id: number) {
  const endsAt = new Date();
  await db.update(competitions).set({ startsAt: new Date(endsAt.getTime() - 86_400_000), endsAt }).where(eq(competitions.id, id));
  await db.update(jobs).set({ runAt: endsAt }).where(eq(jobs.dedupeKey, `competition:${id}`));
}
