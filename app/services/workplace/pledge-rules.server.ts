import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, organisations, payrollRuns, workplaceProgrammes, type WorkplaceProgramme } from "~db/schema";
import { Invalid, withParams } from "~/services/errors";
import { monthName } from "~/i18n/workplace-pledge";
import type { Locale } from "~/i18n/messages";
import type { PledgeRules } from "~/validation/workplace-pledge";
import { addMonths, MONTHS_AHEAD, monthOf } from "./pledge-months";

/**
 * What a pledge is checked against: the programme's rules and which payroll months are still open.
 * Shared by the join and self-service services; reads only (the caller checked access).
 */

export interface GoalChoice {
  id: number;
  number: number;
  slug: string;
  title: string;
}

/** The goals a programme offers (its own list, or every goal when it names none), in goal order. */
export async function programmeGoals(db: Db | Tx, programme: Pick<WorkplaceProgramme, "goalIds">, locale: Locale): Promise<GoalChoice[]> {
  const rows = await db
    .select({ id: goals.id, number: goals.number, slug: goals.slug, titleSv: goals.titleSv, titleEn: goals.titleEn })
    .from(goals)
    .where(programme.goalIds.length ? inArray(goals.id, programme.goalIds) : undefined)
    .orderBy(asc(goals.number));
  return rows.map((g) => ({ id: g.id, number: g.number, slug: g.slug, title: locale === "en" ? g.titleEn : g.titleSv }));
}

export function rulesOf(programme: Pick<WorkplaceProgramme, "minimumOre" | "perMilleOffered">, goalChoices: GoalChoice[]): PledgeRules {
  return { minimumOre: programme.minimumOre.toString(), perMilleOffered: programme.perMilleOffered, goalIds: goalChoices.map((g) => g.id) };
}

export async function loadProgramme(db: Db | Tx, programmeId: number) {
  const [row] = await db
    .select({ programme: workplaceProgrammes, organisationName: organisations.name })
    .from(workplaceProgrammes)
    .innerJoin(organisations, eq(organisations.id, workplaceProgrammes.organisationId))
    .where(eq(workplaceProgrammes.id, programmeId));
  return row ?? null;
}

/**
 * The first payroll month a pledge or a change may start: this month (Swedish time), or the month
 * after the latest run the employer confirmed, whichever is later. A confirmed run is what payroll
 * deducted; changing it afterwards would make the list and the invoice disagree. A draft run is
 * re-run, so a change for its month is still taken.
 */
export async function firstOpenMonth(db: Db | Tx, programmeId: number, now: Date): Promise<string> {
  const [last] = await db
    .select({ month: payrollRuns.month })
    .from(payrollRuns)
    .where(and(eq(payrollRuns.programmeId, programmeId), isNotNull(payrollRuns.confirmedAt)))
    .orderBy(desc(payrollRuns.month))
    .limit(1);
  const current = monthOf(now);
  const afterConfirmed = last ? addMonths(last.month, 1) : current;
  return afterConfirmed > current ? afterConfirmed : current;
}

/** Refuses a start month before the first open one or more than a year after it, next to `field`. */
export function checkMonthOpen(month: string, firstOpen: string, field: string, locale: Locale): void {
  if (month < firstOpen) {
    throw withParams(new Invalid("invalid_pledge", { [field]: "month_past" }), { month: monthName(month, locale), first: monthName(firstOpen, locale) });
  }
  if (month > addMonths(firstOpen, MONTHS_AHEAD)) throw new Invalid("invalid_pledge", { [field]: "month_too_far" });
}
