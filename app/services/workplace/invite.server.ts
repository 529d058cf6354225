import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, workplaceInvites, workplaceProgrammes } from "~db/schema";
import { isStaffActor, personIdOf, requireOrganisationActor, requirePerson, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Forbidden, Invalid, NotFound } from "~/services/errors";
import { swedishDate } from "~/services/invoices/invoices-input.server";
import { rotateInviteSchema } from "~/validation/workplace-programme";
import { looksLikeInviteCode, newInviteCode } from "./invite-code.server";
import { loadProgramme, type ProgrammeView } from "./programme.server";

export type InviteRefusal = "expired" | "revoked" | "closed" | "unknown";

/**
 * The programme behind an id, for a caller who must act for its organisation. An id that does not
 * exist is Forbidden to a contact (they learn nothing about other organisations' ids), NotFound to staff.
 */
export async function programmeFor(ctx: ServiceContext, programmeId: number): Promise<ProgrammeView> {
  const person = requirePerson(ctx);
  const programme = await loadProgramme(ctx.db, { programmeId });
  if (!programme) throw isStaffActor(person) ? new NotFound("programme_not_found") : new Forbidden();
  requireOrganisationActor(ctx, programme.organisationId);
  return programme;
}

/** The last day a code works: empty = until rotated; a day before today is refused. */
function parseExpiry(input: { expiresOn?: unknown }, now: Date): string | null {
  const parsed = rotateInviteSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid", fieldErrorCodes(parsed.error));
  const expiresOn = parsed.data.expiresOn;
  if (expiresOn !== null && expiresOn < swedishDate(now)) throw new Invalid("invalid", { expiresOn: "date_past" });
  return expiresOn;
}

/**
 * Revokes the live code (if any) and makes a new one, so a link or poster that reached the wrong
 * people stops working. `expiresOn` (YYYY-MM-DD, Stockholm) is the new code's last day, or none.
 * The partial unique index on live codes makes two rotations at once fail rather than leave two.
 */
export async function rotateInvite(ctx: ServiceContext, programmeId: number, input: { expiresOn?: unknown }, now = new Date()): Promise<{ code: string; expiresOn: string | null }> {
  const programme = await programmeFor(ctx, programmeId);
  // A closed programme takes nobody new: a fresh code would only lead to the "has ended" page.
  if (programme.status === "closed") throw new Conflict("programme_closed");
  const expiresOn = parseExpiry(input, now);
  const code = newInviteCode();
  await ctx.db.transaction(async (tx) => {
    await tx.update(workplaceInvites).set({ revokedAt: now }).where(and(eq(workplaceInvites.programmeId, programme.id), isNull(workplaceInvites.revokedAt)));
    await tx.insert(workplaceInvites).values({ programmeId: programme.id, code, expiresOn, createdBy: personIdOf(ctx.actor) });
  });
  return { code, expiresOn };
}

/** Sets (or clears) the live code's last day without changing the code: printed posters keep working until then. */
export async function setInviteExpiry(ctx: ServiceContext, programmeId: number, input: { expiresOn?: unknown }, now = new Date()): Promise<{ code: string; expiresOn: string | null }> {
  const programme = await programmeFor(ctx, programmeId);
  const expiresOn = parseExpiry(input, now);
  if (!programme.invite) throw new Invalid("invalid", { expiresOn: "no_live_code" });
  await ctx.db.update(workplaceInvites).set({ expiresOn }).where(and(eq(workplaceInvites.programmeId, programme.id), isNull(workplaceInvites.revokedAt)));
  return { code: programme.invite.code, expiresOn };
}

export type ProgrammeByCode =
  | { ok: true; programme: ProgrammeView; organisationName: string; goals: { id: number; slug: string; number: number; titleSv: string; titleEn: string }[] }
  | { ok: false; reason: InviteRefusal };

/**
 * The programme a join link's code opens: a public read (the join page shows the employer's name and
 * the goals offered; the code is the secret). A closed programme is `closed` (the page says it has
 * ended), a rotated code `revoked`, one past its last day (Stockholm) `expired`, anything else `unknown`.
 */
export async function programmeByCode(db: Db, code: string, now = new Date()): Promise<ProgrammeByCode> {
  const normalised = code.trim().toLowerCase();
  if (!looksLikeInviteCode(normalised)) return { ok: false, reason: "unknown" };
  const [invite] = await db
    .select({ programmeId: workplaceInvites.programmeId, expiresOn: workplaceInvites.expiresOn, revokedAt: workplaceInvites.revokedAt, status: workplaceProgrammes.status })
    .from(workplaceInvites)
    .innerJoin(workplaceProgrammes, eq(workplaceProgrammes.id, workplaceInvites.programmeId))
    .where(eq(workplaceInvites.code, normalised));
  if (!invite) return { ok: false, reason: "unknown" };
  if (invite.status !== "active") return { ok: false, reason: "closed" };
  if (invite.revokedAt) return { ok: false, reason: "revoked" };
  if (invite.expiresOn !== null && invite.expiresOn < swedishDate(now)) return { ok: false, reason: "expired" };
  const programme = (await loadProgramme(db, { programmeId: invite.programmeId }))!;
  const goalRows = await db
    .select({ id: goals.id, slug: goals.slug, number: goals.number, titleSv: goals.titleSv, titleEn: goals.titleEn })
    .from(goals)
    .where(programme.goalIds.length ? inArray(goals.id, programme.goalIds) : undefined)
    .orderBy(asc(goals.number));
  return { ok: true, programme, organisationName: programme.organisationName, goals: goalRows };
}
