import { z } from "zod";
import { competitionScoringModes } from "~db/schema/collections";
import { parseKronor } from "~/utils/money";
import { optionalText, requiredText } from "./fields";

/**
 * Starting a competition (/competitions/new, issue 12 item 6) and joining one as another team.
 * Browser-safe. Messages are codes (app/i18n/competitions.ts). Team rows are named
 * `teams[i].name`, `teams[i].headcount`, `teams[i].invited`; blank rows are ignored, and fewer than
 * two teams left is `teams_min` on the first row (nothing is written).
 */

export const COMPETITION_TITLE_MAX = 120;
export const COMPETITION_DESCRIPTION_MAX = 2000;
export const TEAM_NAME_MAX = 80;
export const TEAM_ROWS = 6;
export const TEAMS_MAX = 20;
/** A headcount or invited count: a whole number of people, at most this many. */
export const PEOPLE_MAX = 1_000_000;
export const COMPETITION_TARGET_MIN_ORE = 10_000n;
export const COMPETITION_AMOUNT_MAX_ORE = 10_000_000_000n;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isRealDate(text: string): boolean {
  const m = datePattern.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && text <= "2100-12-31";
}

const day = (required: string) =>
  z.preprocess(
    (v) => v ?? "",
    z
      .string()
      .trim()
      .min(1, { message: required })
      .refine((v) => isRealDate(v), { message: "date_invalid" }),
  );

/** Empty: null; else kronor within [min, max]. */
function optionalKronor(min: bigint, codes: { invalid: string; min: string }) {
  return z.preprocess(
    (v) => v ?? "",
    z
      .string()
      .trim()
      .transform((v, ctx) => {
        if (v === "") return null;
        const ore = parseKronor(v);
        if (ore === null) ctx.addIssue({ code: "custom", message: codes.invalid });
        else if (ore < min) ctx.addIssue({ code: "custom", message: codes.min });
        else if (ore > COMPETITION_AMOUNT_MAX_ORE) ctx.addIssue({ code: "custom", message: "amount_max" });
        else return ore;
        return z.NEVER;
      }),
  );
}

/** Empty: null; else a whole number of people 1…PEOPLE_MAX. */
const optionalPeople = z.preprocess(
  (v) => v ?? "",
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = /^\d{1,7}$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > PEOPLE_MAX) {
        ctx.addIssue({ code: "custom", message: "people_invalid" });
        return z.NEVER;
      }
      return n;
    }),
);

export const teamRowSchema = z.object({
  name: optionalText(TEAM_NAME_MAX),
  headcount: optionalPeople,
  invited: optionalPeople,
});
export type TeamRowValues = z.output<typeof teamRowSchema>;

export const scoringModeSchema = z.preprocess((v) => v ?? "", z.enum(competitionScoringModes, { message: "mode_invalid" }));

export const competitionSchema = z.object({
  title: requiredText(COMPETITION_TITLE_MAX),
  description: optionalText(COMPETITION_DESCRIPTION_MAX),
  /** Goal slugs (checkboxes named `goals`): at least one. */
  goals: z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().trim().max(100)).min(1, { message: "goals_required" }).max(5, { message: "goals_required" })),
  startsOn: day("starts_required"),
  endsOn: day("ends_required"),
  mode: scoringModeSchema,
  target: optionalKronor(COMPETITION_TARGET_MIN_ORE, { invalid: "target_invalid", min: "target_min" }),
  matchPot: optionalKronor(100n, { invalid: "match_invalid", min: "match_invalid" }),
  matchSponsor: optionalText(120),
  teams: z.array(teamRowSchema).max(TEAMS_MAX, { message: "teams_max" }).default([]),
});
export type CompetitionInput = z.input<typeof competitionSchema>;
export type CompetitionValues = z.output<typeof competitionSchema>;

/** Another team joins with the competition's invite link. */
export const joinCompetitionSchema = z.object({
  name: requiredText(TEAM_NAME_MAX),
  goal: z.preprocess((v) => v ?? "", z.string().trim().min(1, { message: "goal_required" }).max(100, { message: "goal_unknown" })),
  headcount: optionalPeople,
  invited: optionalPeople,
});

/** A colleague's member page under a team (the team's invite link). */
export const joinTeamSchema = z.object({
  title: requiredText(COMPETITION_TITLE_MAX),
  story: optionalText(COMPETITION_DESCRIPTION_MAX),
});
