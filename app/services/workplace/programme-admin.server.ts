import { asc, eq } from "drizzle-orm";
import { organisations, workplaceProgrammes } from "~db/schema";
import { requireStaffActor, type ServiceContext } from "~/services/context";

/** Staff's list at /admin/workplace: every organisation and whether it has a programme. */
export async function listProgrammesForStaff(ctx: ServiceContext): Promise<{ organisationId: number; name: string; demo: boolean; programme: { id: number; status: string } | null }[]> {
  requireStaffActor(ctx);
  const rows = await ctx.db
    .select({ organisationId: organisations.id, name: organisations.name, demo: organisations.demo, programmeId: workplaceProgrammes.id, status: workplaceProgrammes.status })
    .from(organisations)
    .leftJoin(workplaceProgrammes, eq(workplaceProgrammes.organisationId, organisations.id))
    .orderBy(asc(organisations.name), asc(organisations.id));
  return rows.map((r) => ({ organisationId: r.organisationId, name: r.name, demo: r.demo, programme: r.programmeId !== null ? { id: r.programmeId, status: r.status ?? "active" } : null }));
}
