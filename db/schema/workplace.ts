import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { goals } from "./goals";
import { organisations, people } from "./identity";

/**
 * Workplace salary giving (issue 13): net-pay deductions the employer makes and pays by invoice.
 * The beginning of the area: programmes, monthly payroll runs and their lines; pledges, invites,
 * matching and the payroll files come with the issue.
 */

export const workplaceProgrammes = pgTable(
  "workplace_programmes",
  {
    id: serial("id").primaryKey(),
    /** The employer; one programme per organisation. */
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** Whether employees may pledge a per-mille of salary (else fixed kronor only). */
    perMilleOffered: boolean("per_mille_offered").notNull().default(false),
    /** Day of the month salaries are paid (1–31); null until the employer states it. */
    payrollDay: integer("payroll_day"),
    /** The pay code (löneart) of the deduction in the PAXml file. */
    payCode: text("pay_code"),
    /** The headcount the employer states, for participation figures. */
    statedHeadcount: integer("stated_headcount"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workplace_programmes_organisation_uq").on(t.organisationId),
    check("workplace_programmes_payroll_day_range", sql`${t.payrollDay} is null or ${t.payrollDay} between 1 and 31`),
    check("workplace_programmes_headcount_positive", sql`${t.statedHeadcount} is null or ${t.statedHeadcount} > 0`),
  ],
);
export type WorkplaceProgramme = typeof workplaceProgrammes.$inferSelect;

/** draft: listed, re-runnable by staff; confirmed: the employer confirmed the amounts, invoiced. */
export const payrollRunStatuses = ["draft", "confirmed"] as const;
export type PayrollRunStatus = (typeof payrollRunStatuses)[number];

/** One employer's payroll month: the list of deductions the employer makes that month. */
export const payrollRuns = pgTable(
  "payroll_runs",
  {
    id: serial("id").primaryKey(),
    /** The employer (whose programme this run belongs to). */
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The payroll month, as its first day. */
    month: date("month", { mode: "string" }).notNull(),
    /** One of payrollRunStatuses. */
    status: text("status").notNull().default("draft"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("payroll_runs_status_check", oneOf(t.status, payrollRunStatuses)),
    check("payroll_runs_month_first_day", sql`extract(day from ${t.month}) = 1`),
    // One run per employer and month, even with several app instances running the job.
    uniqueIndex("payroll_runs_organisation_month_uq").on(t.organisationId, t.month),
  ],
);
export type PayrollRun = typeof payrollRuns.$inferSelect;

/** One line of a run: an employee's deduction to one goal, or the employer's match (no employee). */
export const payrollRunLines = pgTable(
  "payroll_run_lines",
  {
    id: serial("id").primaryKey(),
    runId: integer("run_id")
      .notNull()
      .references(() => payrollRuns.id),
    /** The employee; null for the employer's match. The pledge it comes from is linked when pledges exist. */
    personId: integer("person_id").references(() => people.id),
    /** The goal this line's money is designated to. */
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id),
    /** Öre deducted; null until the employer reports it (per-mille pledges: the platform never knows a salary). */
    amountOre: bigint("amount_ore", { mode: "bigint" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("payroll_run_lines_amount_nonnegative", sql`${t.amountOre} is null or ${t.amountOre} >= 0`),
    // A run's lines are read for its files, its confirmation and its invoice.
    index("payroll_run_lines_run_idx").on(t.runId),
  ],
);
export type PayrollRunLine = typeof payrollRunLines.$inferSelect;
