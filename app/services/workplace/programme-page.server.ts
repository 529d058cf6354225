import { isStaffActor, type ServiceContext } from "~/services/context";
import { employerOverview, type EmployerOverview } from "./employer.server";
import { programmeSetup, type ProgrammeSetup } from "./programme.server";
import { underpaidFlags, type UnderpaidFlag } from "./underpaid-flags.server";

/**
 * What /partner/workplace and /admin/workplace/<organisation> show: the form's data and, once a
 * programme exists, the employer's view; for staff also the invoices flagged as paid short.
 * Access is programmeSetup's, employerOverview's and underpaidFlags' own.
 */
export async function workplaceProgrammePage(
  ctx: ServiceContext,
  input: { organisationId?: number | null },
  now = new Date(),
): Promise<ProgrammeSetup & { overview: EmployerOverview | null; flags: UnderpaidFlag[] | null }> {
  const setup = await programmeSetup(ctx, input);
  const overview = setup.organisation && setup.programme ? await employerOverview(ctx, setup.organisation.id, now) : null;
  const staff = ctx.actor.kind === "person" && isStaffActor(ctx.actor);
  const flags = staff && setup.organisation && setup.programme ? await underpaidFlags(ctx, setup.organisation.id) : null;
  return { ...setup, overview, flags };
}
