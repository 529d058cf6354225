import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "~db/client.server";
import { preparedQuery } from "~db/prepared.server";
import { goals, impactFigures, type ImpactFigure, type ImpactMethod } from "~db/schema";
import { parseId } from "~/services/auth/validation";
import { jsonRows } from "~db/json-rows";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { impactFigureSchema } from "~/validation/impact";
import { figureText } from "./figures";

/**
 * Impact figures (issue 14 item 3): output figures staff record per goal and period, with a unit and how
 * they were obtained. Staff write them; goal pages, partner dashboards, certificates and the yearly report
 * read them. Nothing here makes a figure up: a goal without rows shows none.
 */

/** The public read (iface6): figures of the goals asked for (all when omitted), newest period first. */
export async function listImpactFigures(db: Db | Tx, opts: { goalIds?: number[]; demo?: boolean; overlapping?: { from: string; to: string } } = {}): Promise<ImpactFigure[]> {
  const where: SQL[] = [];
  if (opts.goalIds) {
    if (opts.goalIds.length === 0) return [];
    where.push(inArray(impactFigures.goalId, opts.goalIds));
  }
  if (opts.demo !== undefined) where.push(eq(impactFigures.demo, opts.demo));
  // A period overlaps [from, to] when it starts before the end and ends after the start.
  if (opts.overlapping) where.push(lte(impactFigures.periodStart, opts.overlapping.to), gte(impactFigures.periodEnd, opts.overlapping.from));
  return db
    .select()
    .from(impactFigures)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(impactFigures.periodEnd), asc(impactFigures.goalId), asc(impactFigures.id));
}

/** A figure as pages show it, in one language; `value` is "200–250" or "500". */
export interface ImpactView {
  id: number;
  goalId: number;
  label: string;
  value: string;
  unit: string;
  method: ImpactMethod;
  periodStart: string;
  periodEnd: string;
  source: string;
  demo: boolean;
}

/** The fields of a stored figure that its view is made of. */
type ImpactViewFields = Pick<ImpactFigure, "id" | "goalId" | "labelSv" | "labelEn" | "value" | "valueTo" | "unitSv" | "unitEn" | "method" | "periodStart" | "periodEnd" | "source" | "demo">;

export function impactView(row: ImpactViewFields, locale: "sv" | "en"): ImpactView {
  const en = locale === "en";
  const value = figureText(row.value, row.valueTo, locale);
  return {
    id: row.id,
    goalId: row.goalId,
    label: en ? row.labelEn : row.labelSv,
    value,
    unit: en ? row.unitEn : row.unitSv,
    method: row.method,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    source: row.source,
    demo: row.demo,
  };
}

/** A goal page's figures (public: only what staff entered; demo rows carry their mark). */
export async function goalImpact(db: Db | Tx, goalId: number, locale: "sv" | "en"): Promise<ImpactView[]> {
  // listImpactFigures for one goal, prepared: every goal page reads it (issue 10 item 6).
  const rows = await preparedQuery(db, "goal_impact_figures", (d) =>
    d
      .select()
      .from(impactFigures)
      .where(eq(impactFigures.goalId, sql.placeholder("goalId")))
      .orderBy(desc(impactFigures.periodEnd), asc(impactFigures.id))
      .prepare("goal_impact_figures"),
  ).execute({ goalId });
  return rows.map((row) => impactView(row, locale));
}

const f = alias(impactFigures, "goal_f");

/**
 * goalImpact as a column of the goal page's one statement (goals/goal-page.server.ts): the goal's
 * figures in goalImpact's order, as json. Numbers and dates as text, as Drizzle reads them (json would
 * turn "1200.50" into 1200.5). `goalId` is the goal's id column of the outer query.
 */
export function goalImpactColumn(goalId: SQL) {
  return sql<unknown>`(select json_agg(json_build_object('id', ${f.id}, 'goalId', ${f.goalId}, 'labelSv', ${f.labelSv}, 'labelEn', ${f.labelEn},
      'value', ${f.value}::text, 'valueTo', ${f.valueTo}::text, 'unitSv', ${f.unitSv}, 'unitEn', ${f.unitEn}, 'method', ${f.method},
      'periodStart', ${f.periodStart}::text, 'periodEnd', ${f.periodEnd}::text, 'source', ${f.source}, 'demo', ${f.demo}) order by ${f.periodEnd} desc, ${f.id})
    from ${impactFigures} ${f} where ${f.goalId} = ${goalId})`;
}

/** goalImpact's result from goalImpactColumn's json. */
export function goalImpactFromJson(json: unknown, locale: "sv" | "en"): ImpactView[] {
  return jsonRows<ImpactViewFields>(json).map((row) => impactView(row, locale));
}

/** The staff page: every figure, and the goals to choose from. */
export async function impactAdminPage(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const en = ctx.locale === "en";
  const goalRows = await ctx.db.select({ id: goals.id, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  const rows = await listImpactFigures(ctx.db);
  return {
    goals: goalRows.map((g) => ({ id: g.id, number: g.number, title: en ? g.titleEn : g.titleSv })),
    figures: rows.map((row) => ({ ...impactView(row, ctx.locale), raw: formValues(row) })),
  };
}

/** A stored figure as its form's fields (for editing). */
function formValues(row: ImpactFigure): Record<string, string> {
  return {
    id: String(row.id),
    goalId: String(row.goalId),
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    value: row.value.replace(/\.00$/, ""),
    valueTo: row.valueTo?.replace(/\.00$/, "") ?? "",
    unitSv: row.unitSv,
    unitEn: row.unitEn,
    labelSv: row.labelSv,
    labelEn: row.labelEn,
    method: row.method,
    source: row.source,
  };
}

async function checkedInput(tx: Db | Tx, input: Record<string, unknown>) {
  const parsed = impactFigureSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_impact", fieldErrorCodes(parsed.error));
  const [goal] = await tx.select({ id: goals.id }).from(goals).where(eq(goals.id, parsed.data.goalId));
  if (!goal) throw new Invalid("invalid_impact", { goalId: "unknown_goal" });
  return parsed.data;
}

/** Staff add a figure. */
export async function createImpactFigure(ctx: ServiceContext, input: Record<string, unknown>): Promise<ImpactFigure> {
  requireStaffActor(ctx);
  return ctx.db.transaction(async (tx) => {
    const data = await checkedInput(tx, input);
    const [row] = await tx.insert(impactFigures).values({ ...data, createdBy: personIdOf(ctx.actor) }).returning();
    return row;
  });
}

/** Staff change a figure (a demo row stays demo: its mark is not a form field). */
export async function updateImpactFigure(ctx: ServiceContext, id: number, input: Record<string, unknown>): Promise<ImpactFigure> {
  requireStaffActor(ctx);
  if (parseId(id) === null) throw new NotFound("impact_not_found");
  return ctx.db.transaction(async (tx) => {
    const data = await checkedInput(tx, input);
    const [row] = await tx
      .update(impactFigures)
      .set({ ...data, updatedAt: new Date() })
      .where(eq(impactFigures.id, id))
      .returning();
    if (!row) throw new NotFound("impact_not_found");
    return row;
  });
}

/** Staff remove a figure (the page asks first, ConfirmAction). */
export async function deleteImpactFigure(ctx: ServiceContext, id: number): Promise<void> {
  requireStaffActor(ctx);
  if (parseId(id) === null) throw new NotFound("impact_not_found");
  const removed = await ctx.db.delete(impactFigures).where(eq(impactFigures.id, id)).returning({ id: impactFigures.id });
  if (removed.length === 0) throw new NotFound("impact_not_found");
}
