import type { ServiceContext } from "~/services/context";
import { employerOverview, type EmployerOverview } from "./employer.server";
import { programmeSetup, type ProgrammeSetup } from "./programme.server";

/**
 * What /partner/workplace and /admin/workplace/<organisation> show: the form's data and, once a
 * programme exists, the employer's view. Access is programmeSetup's and employerOverview's own.
 */
export async function workplaceProgrammePage(ctx: ServiceContext, input: { organisationId?: number | null }, now = new Date()): Promise<ProgrammeSetup & { overview: EmployerOverview | null }> {
  const setup = await programmeSetup(ctx, input);
  const overview = setup.organisation && setup.programme ? await employerOverview(ctx, setup.organisation.id, now) : null;
  return { ...setup, overview };
}
