import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, impactFigures, type NewImpactFigure } from "~db/schema";

/**
 * Demo impact figures (issue 14 item 3): made-up numbers that show how figures look on goal pages, partner
 * dashboards, certificates and the yearly report. Every row is `demo`, its label starts with "Demo:" and
 * its source says it is invented, so none can pass for something Västerås stadsmission reported. Staff
 * enter the real ones at /admin/impact. Idempotent by (goal, Swedish label).
 */
const source = "Påhittad demosiffra, inte organisationens egen.";
const year = 2026;

const demoFigures: (Omit<NewImpactFigure, "goalId" | "periodStart" | "periodEnd" | "source" | "demo"> & { goal: string })[] = [
  { goal: "alla-ar-trygga", labelSv: "Demo: exempelhushåll med matstöd", labelEn: "Demo: example households with food support", value: "111", valueTo: "133", unitSv: "hushåll i veckan", unitEn: "households a week", method: "estimated" },
  { goal: "ingen-psykisk-ohalsa", labelSv: "Demo: exempelsamtal", labelEn: "Demo: example counselling sessions", value: "321", unitSv: "samtal", unitEn: "sessions", method: "measured" },
  { goal: "ingen-ensamhet", labelSv: "Demo: exempelbesök på mötesplatsen", labelEn: "Demo: example visits to the meeting place", value: "1234", unitSv: "besök", unitEn: "visits", method: "measured" },
];

export async function seedImpactDemo(db: Db): Promise<void> {
  const goalRows = await db.select({ id: goals.id, slug: goals.slug }).from(goals).where(inArray(goals.slug, demoFigures.map((f) => f.goal)));
  for (const { goal, ...figure } of demoFigures) {
    const goalId = goalRows.find((g) => g.slug === goal)?.id;
    if (!goalId) continue;
    const [existing] = await db.select({ id: impactFigures.id }).from(impactFigures).where(and(eq(impactFigures.goalId, goalId), eq(impactFigures.labelSv, figure.labelSv)));
    if (existing) continue;
    await db.insert(impactFigures).values({ ...figure, goalId, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, source, demo: true });
  }
}
