import type { ServiceContext } from "~/services/context";
import type { WorkplaceDifferenceRule, WorkplaceMatchMode, WorkplacePaymentMethod, WorkplaceProgrammeStatus } from "~db/schema/workplace-values";
import type { ProgrammeFormValues } from "~/validation/workplace-programme";

/** A programme as pages and other services read it; öre as strings (loader data is JSON). */
export interface ProgrammeView {
  id: number;
  organisationId: number;
  organisationName: string;
  status: WorkplaceProgrammeStatus;
  /** Empty = every goal. */
  goalIds: number[];
  perMilleOffered: boolean;
  matchMode: WorkplaceMatchMode;
  matchPercent: number | null;
  matchCapOre: string | null;
  matchPotOre: string | null;
  payrollDay: number | null;
  payrollContactPersonId: number | null;
  payCode: string | null;
  paymentMethod: WorkplacePaymentMethod;
  statedHeadcount: number | null;
  minimumOre: string;
  differenceRule: WorkplaceDifferenceRule;
  demo: boolean;
  /** The live invite, if any. */
  invite: { code: string; expiresOn: string | null } | null;
}

/** The organisation's programme, or null when it has none yet. Its contacts and staff only. */
export async function getProgrammeForOrganisation(ctx: ServiceContext, organisationId: number): Promise<ProgrammeView | null> {
  void ctx;
  void organisationId;
  throw new Error("not implemented yet (wprog)");
}

/**
 * Creates or updates the organisation's programme from the form's fields (parsed again here).
 * Contacts of the organisation and staff; only staff may set the minimum pledge.
 */
export async function saveProgramme(ctx: ServiceContext, organisationId: number, input: ProgrammeFormValues): Promise<ProgrammeView> {
  void ctx;
  void organisationId;
  void input;
  throw new Error("not implemented yet (wprog)");
}
