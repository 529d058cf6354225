import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { goals, organisationMembers, organisations, people, workplaceInvites, workplaceProgrammes, type WorkplaceProgramme } from "~db/schema";
import type { WorkplaceDifferenceRule, WorkplaceMatchMode, WorkplacePaymentMethod, WorkplaceProgrammeStatus } from "~db/schema/workplace-values";
import { isStaffActor, personIdOf, requireOrganisationActor, requirePerson, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { programmeSchema, staffProgrammeSchema, type ProgrammeFormValues } from "~/validation/workplace-programme";
import { newInviteCode } from "./invite-code.server";

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

export function programmeView(row: WorkplaceProgramme, organisationName: string, invite: ProgrammeView["invite"]): ProgrammeView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName,
    status: row.status,
    goalIds: row.goalIds,
    perMilleOffered: row.perMilleOffered,
    matchMode: row.matchMode,
    matchPercent: row.matchPercent,
    matchCapOre: row.matchCapOre?.toString() ?? null,
    matchPotOre: row.matchPotOre?.toString() ?? null,
    payrollDay: row.payrollDay,
    payrollContactPersonId: row.payrollContactPersonId,
    payCode: row.payCode,
    paymentMethod: row.paymentMethod,
    statedHeadcount: row.statedHeadcount,
    minimumOre: row.minimumOre.toString(),
    differenceRule: row.differenceRule,
    demo: row.demo,
    invite,
  };
}

/** The programme of an organisation with its name and live invite, without an access check (callers check). */
export async function loadProgramme(db: Db | Tx, where: { organisationId: number } | { programmeId: number }): Promise<ProgrammeView | null> {
  const [row] = await db
    .select({ p: workplaceProgrammes, organisationName: organisations.name })
    .from(workplaceProgrammes)
    .innerJoin(organisations, eq(organisations.id, workplaceProgrammes.organisationId))
    .where("organisationId" in where ? eq(workplaceProgrammes.organisationId, where.organisationId) : eq(workplaceProgrammes.id, where.programmeId));
  if (!row) return null;
  const [invite] = await db
    .select({ code: workplaceInvites.code, expiresOn: workplaceInvites.expiresOn })
    .from(workplaceInvites)
    .where(and(eq(workplaceInvites.programmeId, row.p.id), isNull(workplaceInvites.revokedAt)));
  return programmeView(row.p, row.organisationName, invite ?? null);
}

/** The organisation's programme, or null when it has none yet. Its contacts and staff only. */
export async function getProgrammeForOrganisation(ctx: ServiceContext, organisationId: number): Promise<ProgrammeView | null> {
  requireOrganisationActor(ctx, organisationId);
  return loadProgramme(ctx.db, { organisationId });
}

export interface ProgrammeSetup {
  /** The organisations the reader may switch between (their own). */
  choices: { id: number; name: string }[];
  organisation: { id: number; name: string } | null;
  programme: ProgrammeView | null;
  goals: { id: number; number: number; title: string }[];
  /** The organisation's contacts, for the payroll contact. */
  contacts: { personId: number; label: string }[];
  /** Staff may set the minimum pledge. */
  staff: boolean;
}

/**
 * What the programme form needs: the organisation (the one asked for, or the reader's first), its
 * programme, the goals and its contacts. Its contacts and staff only.
 */
export async function programmeSetup(ctx: ServiceContext, input: { organisationId?: number | null }): Promise<ProgrammeSetup> {
  const person = requirePerson(ctx);
  if (input.organisationId != null) requireOrganisationActor(ctx, input.organisationId);
  const ownIds = person.organisations.map((m) => m.organisationId);
  const choices = ownIds.length
    ? await ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ownIds)).orderBy(asc(organisations.name), asc(organisations.id))
    : [];
  const selected = input.organisationId ?? choices[0]?.id ?? null;
  const goalRows = await ctx.db.select({ id: goals.id, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).orderBy(asc(goals.number));
  const goalList = goalRows.map((g) => ({ id: g.id, number: g.number, title: ctx.locale === "en" ? g.titleEn : g.titleSv }));
  const staff = isStaffActor(person);
  if (selected === null) return { choices, organisation: null, programme: null, goals: goalList, contacts: [], staff };
  const [organisation] = await ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, selected));
  if (!organisation) throw new NotFound("organisation_not_found");
  const contacts = await ctx.db
    .select({ personId: people.id, name: people.name, email: people.email })
    .from(organisationMembers)
    .innerJoin(people, eq(people.id, organisationMembers.personId))
    .where(eq(organisationMembers.organisationId, selected))
    .orderBy(asc(people.email));
  return {
    choices,
    organisation,
    programme: await loadProgramme(ctx.db, { organisationId: selected }),
    goals: goalList,
    contacts: contacts.map((c) => ({ personId: c.personId, label: c.name ? `${c.name} (${c.email})` : c.email })),
    staff,
  };
}

/**
 * Creates or updates the organisation's programme from the form's fields (parsed again here: no caller
 * is trusted). Contacts of the organisation and staff; only staff set the minimum pledge (a contact's
 * "minimum" is ignored). A new programme gets its first invite code in the same transaction. The match
 * settings that do not belong to the chosen mode are cleared, so a run never reads a stale cap.
 */
export async function saveProgramme(ctx: ServiceContext, organisationId: number, input: ProgrammeFormValues): Promise<ProgrammeView> {
  const person = requireOrganisationActor(ctx, organisationId);
  const staff = isStaffActor(person);
  const parsed = (staff ? staffProgrammeSchema : programmeSchema).safeParse(input);
  if (!parsed.success) throw new Invalid("invalid", fieldErrorCodes(parsed.error));
  const v = parsed.data;
  const [organisation] = await ctx.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId));
  if (!organisation) throw new NotFound("organisation_not_found");

  const goalIds = [...new Set(v.goalIds)].sort((a, b) => a - b);
  if (goalIds.length) {
    const known = await ctx.db.select({ id: goals.id }).from(goals).where(inArray(goals.id, goalIds));
    if (known.length !== goalIds.length) throw new Invalid("invalid", { goalIds: "goal_unknown" });
  }
  if (v.payrollContactPersonId !== null) {
    const [member] = await ctx.db
      .select({ personId: organisationMembers.personId })
      .from(organisationMembers)
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.personId, v.payrollContactPersonId)));
    if (!member) throw new Invalid("invalid", { payrollContactPersonId: "payroll_contact_unknown" });
  }

  const settings = {
    goalIds,
    perMilleOffered: v.perMilleOffered === "yes",
    matchMode: v.matchMode,
    matchPercent: v.matchMode === "percent" ? v.matchPercent : null,
    matchCapOre: v.matchMode === "percent" ? v.matchCap : null,
    matchPotOre: v.matchMode === "pot" ? v.matchPot : null,
    payrollDay: v.payrollDay,
    payrollContactPersonId: v.payrollContactPersonId,
    payCode: v.payCode || null,
    paymentMethod: v.paymentMethod,
    statedHeadcount: v.statedHeadcount,
    differenceRule: v.differenceRule,
    ...("minimum" in v ? { minimumOre: v.minimum as bigint } : {}),
    updatedAt: new Date(),
  };
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workplaceProgrammes)
      .values({ organisationId, ...settings })
      .onConflictDoUpdate({ target: workplaceProgrammes.organisationId, set: settings })
      .returning({ id: workplaceProgrammes.id });
    // The first save opens the programme with a join link; later saves leave the code alone.
    const [live] = await tx.select({ id: workplaceInvites.id }).from(workplaceInvites).where(and(eq(workplaceInvites.programmeId, row.id), isNull(workplaceInvites.revokedAt)));
    const [any] = live ? [live] : await tx.select({ id: workplaceInvites.id }).from(workplaceInvites).where(eq(workplaceInvites.programmeId, row.id)).limit(1);
    if (!any) await tx.insert(workplaceInvites).values({ programmeId: row.id, code: newInviteCode(), createdBy: personIdOf(ctx.actor) });
  });
  return (await loadProgramme(ctx.db, { organisationId }))!;
}
