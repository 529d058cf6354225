import type { Db } from "~db/client.server";
import type { ServiceContext } from "~/services/context";
import type { ProgrammeView } from "./programme.server";

export type InviteRefusal = "expired" | "revoked" | "unknown";

/** Revokes the live code (if any) and makes a new one; `expiresOn` (YYYY-MM-DD) is its last day, or null. */
export async function rotateInvite(ctx: ServiceContext, programmeId: number, input: { expiresOn?: unknown }): Promise<{ code: string; expiresOn: string | null }> {
  void ctx;
  void programmeId;
  void input;
  throw new Error("not implemented yet (wprog)");
}

/**
 * The programme a join link's code opens (a public read: the join page shows the employer's name
 * and the goals offered). An expired, rotated or unknown code gives the reason instead.
 */
export async function programmeByCode(
  db: Db,
  code: string,
  now?: Date,
): Promise<
  | { ok: true; programme: ProgrammeView; organisationName: string; goals: { id: number; slug: string; number: number; nameSv: string; nameEn: string }[] }
  | { ok: false; reason: InviteRefusal }
> {
  void db;
  void code;
  void now;
  throw new Error("not implemented yet (wprog)");
}
