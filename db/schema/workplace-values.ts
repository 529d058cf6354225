/**
 * The workplace area's fixed values, in a file of their own without Drizzle so that the forms'
 * schemas (app/validation, also bundled for the browser) can use the same lists as the CHECKs.
 */

/** none; percent: X % of each employee's gift up to a cap per employee and month; pot: up to a yearly sum. */
export const workplaceMatchModes = ["none", "percent", "pot"] as const;
export type WorkplaceMatchMode = (typeof workplaceMatchModes)[number];

/** How the employer pays the monthly invoice: our PDF with bankgiro + OCR, or a Stripe invoice. */
export const workplacePaymentMethods = ["bank", "stripe"] as const;
export type WorkplacePaymentMethod = (typeof workplacePaymentMethods)[number];

/** An invoice paid short or over: carry the difference to next month's run, or leave it to staff. */
export const workplaceDifferenceRules = ["carry", "ask_staff"] as const;
export type WorkplaceDifferenceRule = (typeof workplaceDifferenceRules)[number];

export const workplaceProgrammeStatuses = ["active", "closed"] as const;
export type WorkplaceProgrammeStatus = (typeof workplaceProgrammeStatuses)[number];

export const workplacePledgeStates = ["active", "paused", "stopped"] as const;
export type WorkplacePledgeState = (typeof workplacePledgeStates)[number];
export const workplacePledgeKinds = ["fixed", "per_mille"] as const;
export type WorkplacePledgeKind = (typeof workplacePledgeKinds)[number];
/** A goal's share of a pledge; the percents of one terms row sum to 100. */
export type WorkplaceGoalShare = { goalId: number; percent: number };

export const payrollRunLineKinds = ["employee", "match"] as const;
export type PayrollRunLineKind = (typeof payrollRunLineKinds)[number];
export const payrollRunLineChanges = ["new", "changed", "paused", "stopped", "unchanged"] as const;
export type PayrollRunLineChange = (typeof payrollRunLineChanges)[number];
