import { and, eq } from "drizzle-orm";
import { workplaceProgrammes } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Invalid } from "~/services/errors";
import { closeProgrammeSchema } from "~/validation/workplace-programme";
import { programmeFor } from "./invite.server";

/**
 * Closes an organisation's payroll giving programme (staff or the organisation's contacts), after the
 * page's confirmation step (`confirm=yes`). From then on nobody can join (the join link and poster
 * answer 410, the page saying the programme has ended; the code is left as it was, so that is what a
 * printed poster leads to) and no new month is listed (runPayrollMonth refuses a closed programme). What was already listed stays: a draft month can still be confirmed, since the
 * money was deducted from the salaries. Closing twice is refused (409), nothing written.
 */
export async function closeProgramme(ctx: ServiceContext, programmeId: number, input: { confirm?: unknown }, now = new Date()): Promise<void> {
  const programme = await programmeFor(ctx, programmeId);
  const parsed = closeProgrammeSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("confirmation_required", fieldErrorCodes(parsed.error));
  await ctx.db.transaction(async (tx) => {
    const closed = await tx
      .update(workplaceProgrammes)
      .set({ status: "closed", updatedAt: now })
      .where(and(eq(workplaceProgrammes.id, programme.id), eq(workplaceProgrammes.status, "active")))
      .returning({ id: workplaceProgrammes.id });
    // Conditional on "active": of two closings at once, the second finds nothing to close.
    if (!closed.length) throw new Conflict("programme_closed");
    await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "workplace_programme_closed", organisationId: programme.organisationId, details: { programmeId: programme.id } });
  });
}
