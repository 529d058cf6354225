import { eq } from "drizzle-orm";
import { organisations } from "~db/schema";
import { parseId } from "~/services/auth/validation";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { NotFound } from "~/services/errors";
import { stockholmDay } from "~/utils/dates";
import { listTasks, taskFormOptions } from "./tasks.server";
import { organisationTimeline } from "./timeline.server";

/**
 * Everything the CRM panel on an organisation's staff page shows (app/components/crm/organisation-crm.tsx):
 * its timeline, its tasks, and who tasks can be given to. Staff only.
 */
export async function organisationCrmPanel(ctx: ServiceContext, organisationId: number, now = new Date()) {
  const actor = requireStaffActor(ctx);
  if (parseId(organisationId) === null) throw new NotFound();
  const [org] = await ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, organisationId));
  if (!org) throw new NotFound();
  const [timeline, tasks, options] = await Promise.all([organisationTimeline(ctx, organisationId), listTasks(ctx, { view: "all", organisationId }, now), taskFormOptions(ctx)]);
  return { organisation: org, timeline, tasks, staff: options.staff, me: actor.personId, today: stockholmDay(now) };
}
export type OrganisationCrmPanel = Awaited<ReturnType<typeof organisationCrmPanel>>;
