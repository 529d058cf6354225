import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { effektTexts, type EffektSectionKey } from "~db/schema";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { effektSectionList, effektTextsSchema, reportYearSchema } from "~/validation/impact";

/**
 * Staff's own text per effektrapport section and year (issue 14 item 4): the draft's questions are
 * answered by people, not by the data, so what they write is kept and shown in the yearly report and
 * its PDF under the lines the data fills in. The texts are the organisation's, for every goal's report.
 */

export type EffektTexts = Record<EffektSectionKey, string>;

const noTexts = (): EffektTexts => Object.fromEntries(effektSectionList.map((s) => [s, ""])) as EffektTexts;

/** A year's texts ("" where none). No access check: for services that checked already (yearlyReport). */
export async function effektTextsOfYear(db: Db | Tx, year: number): Promise<EffektTexts> {
  const texts = noTexts();
  for (const row of await db.select().from(effektTexts).where(eq(effektTexts.year, year))) texts[row.section as EffektSectionKey] = row.body;
  return texts;
}

/**
 * Saves all five sections of a year at once, staff only: a changed text replaces the saved one, an
 * empty field removes it, an unchanged one is left as it was (its author and time too). Bad input is
 * Invalid with the field's code, nothing written.
 */
export async function saveEffektTexts(ctx: ServiceContext, input: Record<string, unknown>): Promise<{ year: number; changed: EffektSectionKey[] }> {
  requireStaffActor(ctx);
  const parsed = effektTextsSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_effekt", fieldErrorCodes(parsed.error));
  const { year, ...texts } = parsed.data;
  const updatedBy = personIdOf(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const saved = await effektTextsOfYear(tx, year);
    const changed = effektSectionList.filter((section) => saved[section] !== texts[section]);
    const now = new Date();
    for (const section of changed) {
      const body = texts[section];
      if (!body) {
        await tx.delete(effektTexts).where(and(eq(effektTexts.year, year), eq(effektTexts.section, section)));
        continue;
      }
      await tx
        .insert(effektTexts)
        .values({ year, section, body, updatedBy, updatedAt: now })
        .onConflictDoUpdate({ target: [effektTexts.year, effektTexts.section], set: { body, updatedBy, updatedAt: now } });
    }
    return { year, changed };
  });
}

/** The form's values for a year: the saved texts, or empty fields. An impossible year is NotFound. */
export async function effektTextsForm(ctx: ServiceContext, year: unknown): Promise<{ year: number; values: Record<string, string> }> {
  requireStaffActor(ctx);
  const parsed = reportYearSchema.safeParse(year);
  if (!parsed.success) throw new NotFound("report_not_found");
  return { year: parsed.data, values: { year: String(parsed.data), ...(await effektTextsOfYear(ctx.db, parsed.data)) } };
}
