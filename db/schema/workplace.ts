import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { goals } from "./goals";
import { organisations, people } from "./identity";
import { invoices } from "./invoices";
import {
  payrollRunLineChanges,
  payrollRunLineKinds,
  workplaceDifferenceRules,
  workplaceMatchModes,
  workplacePaymentMethods,
  workplacePledgeKinds,
  workplacePledgeStates,
  workplaceProgrammeStatuses,
  type PayrollRunLineChange,
  type PayrollRunLineKind,
  type WorkplaceDifferenceRule,
  type WorkplaceGoalShare,
  type WorkplaceMatchMode,
  type WorkplacePaymentMethod,
  type WorkplacePledgeKind,
  type WorkplacePledgeState,
  type WorkplaceProgrammeStatus,
} from "./workplace-values";

export * from "./workplace-values";

/**
 * Workplace salary giving (issue 13): net-pay deductions (nettolöneavdrag) the employer makes at the
 * employee's request and pays by one invoice a month. Programmes and invites (set up by the employer),
 * pledges and their terms per month (the employees'), payroll runs and their lines (the monthly list).
 */

/** A product default (50 kr), not a fact about the charity; staff change it per programme. Keep the column default (5000) equal. */
export const defaultWorkplaceMinimumOre = 5000n;

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
    /** The goals employees may choose; empty = every goal. */
    goalIds: integer("goal_ids").array().notNull().default(sql`'{}'::integer[]`),
    /** One of workplaceMatchModes. */
    matchMode: text("match_mode").$type<WorkplaceMatchMode>().notNull().default("none"),
    /** percent mode: the employer adds this % (1–100) of each employee's gift… */
    matchPercent: integer("match_percent"),
    /** …up to this many öre per employee and month (null = no cap). */
    matchCapOre: bigint("match_cap_ore", { mode: "bigint" }),
    /** pot mode: the employer's match per calendar year, in öre. */
    matchPotOre: bigint("match_pot_ore", { mode: "bigint" }),
    /** The person who receives the payroll list each month (a contact of the organisation). */
    payrollContactPersonId: integer("payroll_contact_person_id").references(() => people.id, { onDelete: "set null" }),
    /** One of workplacePaymentMethods. */
    paymentMethod: text("payment_method").$type<WorkplacePaymentMethod>().notNull().default("bank"),
    /** The smallest fixed monthly pledge, in öre; set by staff. */
    minimumOre: bigint("minimum_ore", { mode: "bigint" }).notNull().default(sql`5000`),
    /** One of workplaceDifferenceRules. */
    differenceRule: text("difference_rule").$type<WorkplaceDifferenceRule>().notNull().default("ask_staff"),
    /** One of workplaceProgrammeStatuses; a closed programme takes no new pledges and no new runs. */
    status: text("status").$type<WorkplaceProgrammeStatus>().notNull().default("active"),
    demo: boolean("demo").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workplace_programmes_organisation_uq").on(t.organisationId),
    check("workplace_programmes_payroll_day_range", sql`${t.payrollDay} is null or ${t.payrollDay} between 1 and 31`),
    check("workplace_programmes_headcount_positive", sql`${t.statedHeadcount} is null or ${t.statedHeadcount} > 0`),
    check("workplace_programmes_match_mode_check", oneOf(t.matchMode, workplaceMatchModes)),
    check("workplace_programmes_match_percent_range", sql`${t.matchPercent} is null or ${t.matchPercent} between 1 and 100`),
    check("workplace_programmes_match_cap_nonnegative", sql`${t.matchCapOre} is null or ${t.matchCapOre} >= 0`),
    check("workplace_programmes_match_pot_nonnegative", sql`${t.matchPotOre} is null or ${t.matchPotOre} >= 0`),
    check("workplace_programmes_payment_method_check", oneOf(t.paymentMethod, workplacePaymentMethods)),
    check("workplace_programmes_minimum_positive", sql`${t.minimumOre} > 0`),
    check("workplace_programmes_difference_rule_check", oneOf(t.differenceRule, workplaceDifferenceRules)),
    check("workplace_programmes_status_check", oneOf(t.status, workplaceProgrammeStatuses)),
  ],
);
export type WorkplaceProgramme = typeof workplaceProgrammes.$inferSelect;

/**
 * The join link's code (/workplace/<code>). At most one live code per programme: a rotation revokes
 * the live one and makes a new one, so a poster that leaked stops working.
 */
export const workplaceInvites = pgTable(
  "workplace_invites",
  {
    id: serial("id").primaryKey(),
    programmeId: integer("programme_id")
      .notNull()
      .references(() => workplaceProgrammes.id),
    code: text("code").notNull().unique(),
    /** Last day the code works (Stockholm calendar day); null = until rotated. */
    expiresOn: date("expires_on", { mode: "string" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdBy: integer("created_by").references(() => people.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Two rotations at once cannot leave two live codes.
    uniqueIndex("workplace_invites_live_uq").on(t.programmeId).where(sql`${t.revokedAt} is null`),
  ],
);
export type WorkplaceInvite = typeof workplaceInvites.$inferSelect;

/** An employee's standing request for a net-pay deduction; what and how much lives in its terms. */
export const workplacePledges = pgTable(
  "workplace_pledges",
  {
    id: serial("id").primaryKey(),
    programmeId: integer("programme_id")
      .notNull()
      .references(() => workplaceProgrammes.id),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    /** The employer's number for the employee (PAXml anstid), if given. */
    employeeNumber: text("employee_number"),
    /** When the employee consented to the deduction and to the employer seeing name and amount. */
    consentAt: timestamp("consent_at", { withTimezone: true }).notNull(),
    /** Which consent text they agreed to. */
    consentVersion: text("consent_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("workplace_pledges_programme_person_uq").on(t.programmeId, t.personId)],
);
export type WorkplacePledge = typeof workplacePledges.$inferSelect;


/**
 * A pledge's terms from a payroll month on. The terms in force for month M are the row with the
 * latest fromMonth ≤ M; a second change for the same month replaces that month's row.
 */
export const workplacePledgeTerms = pgTable(
  "workplace_pledge_terms",
  {
    id: serial("id").primaryKey(),
    pledgeId: integer("pledge_id")
      .notNull()
      .references(() => workplacePledges.id),
    /** First day of the payroll month these terms start. */
    fromMonth: date("from_month", { mode: "string" }).notNull(),
    state: text("state").$type<WorkplacePledgeState>().notNull(),
    kind: text("kind").$type<WorkplacePledgeKind>().notNull(),
    /** fixed: öre per month. */
    amountOre: bigint("amount_ore", { mode: "bigint" }),
    /** per_mille: the rate × 10 (1–1000 = 0.1‰–100‰); the employer's payroll computes the amount. */
    rateTenths: integer("rate_tenths"),
    goals: jsonb("goals").$type<WorkplaceGoalShare[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: integer("created_by").references(() => people.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("workplace_pledge_terms_pledge_month_uq").on(t.pledgeId, t.fromMonth),
    check("workplace_pledge_terms_state_check", oneOf(t.state, workplacePledgeStates)),
    check("workplace_pledge_terms_kind_check", oneOf(t.kind, workplacePledgeKinds)),
    check("workplace_pledge_terms_month_first_day", sql`extract(day from ${t.fromMonth}) = 1`),
    check("workplace_pledge_terms_amount_positive", sql`${t.amountOre} is null or ${t.amountOre} > 0`),
    check("workplace_pledge_terms_rate_range", sql`${t.rateTenths} is null or ${t.rateTenths} between 1 and 1000`),
  ],
);
export type WorkplacePledgeTerms = typeof workplacePledgeTerms.$inferSelect;

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
    programmeId: integer("programme_id")
      .notNull()
      .references(() => workplaceProgrammes.id),
    /** The payroll month, as its first day. */
    month: date("month", { mode: "string" }).notNull(),
    /** One of payrollRunStatuses. */
    status: text("status").notNull().default("draft"),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    confirmedByPersonId: integer("confirmed_by_person_id").references(() => people.id, { onDelete: "set null" }),
    /** The invoice issued on confirmation; null until then. */
    invoiceId: integer("invoice_id").references((): AnyPgColumn => invoices.id),
    /** The employees' deductions in öre (as listed, or as reported once confirmed). */
    employeesOre: bigint("employees_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /** The employer's match in öre. */
    matchOre: bigint("match_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /** A previous invoice's difference carried into this run (positive: still owed; negative: paid over). */
    differenceOre: bigint("difference_ore", { mode: "bigint" }).notNull().default(sql`0`),
    /** How many times staff ran it (re-runnable until confirmed). */
    attempt: integer("attempt").notNull().default(1),
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
    /** The employee; null for the employer's match. */
    personId: integer("person_id").references(() => people.id),
    /** The pledge this line comes from; null for the match. */
    pledgeId: integer("pledge_id").references(() => workplacePledges.id),
    /** employee | match. */
    kind: text("kind").$type<PayrollRunLineKind>().notNull().default("employee"),
    /** What happened to the pledge since the previous month, for the payroll list. */
    change: text("change").$type<PayrollRunLineChange>().notNull().default("unchanged"),
    /** Snapshots for the file: what the employer's payroll knows the employee by. */
    employeeNumber: text("employee_number"),
    employeeName: text("employee_name"),
    /** per-mille pledges: the rate × 10. */
    rateTenths: integer("rate_tenths"),
    /** This goal's percent of the pledge's split (100 when one goal). */
    sharePercent: integer("share_percent").notNull().default(100),
    /** What the employer says it actually deducted; null = as listed. */
    reportedOre: bigint("reported_ore", { mode: "bigint" }),
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
    check("payroll_run_lines_reported_nonnegative", sql`${t.reportedOre} is null or ${t.reportedOre} >= 0`),
    check("payroll_run_lines_kind_check", oneOf(t.kind, payrollRunLineKinds)),
    check("payroll_run_lines_change_check", oneOf(t.change, payrollRunLineChanges)),
    check("payroll_run_lines_share_range", sql`${t.sharePercent} between 1 and 100`),
    // A run's lines are read for its files, its confirmation and its invoice.
    index("payroll_run_lines_run_idx").on(t.runId),
  ],
);
export type PayrollRunLine = typeof payrollRunLines.$inferSelect;
