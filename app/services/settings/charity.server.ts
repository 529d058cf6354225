import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "~db/client.server";
import { settings } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { safeText } from "~/services/auth/validation";
import { fieldErrorCodes, Invalid } from "~/services/errors";
import { charityIdentityKeys, defaultCharityIdentity, type CharityIdentity } from "./charity";

export type { CharityIdentity } from "./charity";

const KEY = "charity_identity";

/** The identity staff have saved, on top of the defaults. Every field a string, empty when unset. */
export async function getCharityIdentity(db: Db | Tx): Promise<CharityIdentity> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  const saved = (row?.value ?? {}) as Partial<Record<keyof CharityIdentity, unknown>>;
  const out = { ...defaultCharityIdentity };
  for (const key of charityIdentityKeys) {
    if (typeof saved[key] === "string") out[key] = saved[key] as string;
  }
  return out;
}

const text = safeText;
export const charityIdentitySchema = z.object({
  name: text(200).min(1, { message: "required" }),
  // 10 digits, written NNNNNN-NNNN; empty is allowed (unknown).
  organisationNumber: text(11).refine((v) => v === "" || /^\d{6}-?\d{4}$/.test(v), { message: "org_number" }),
  address: text(500),
  email: text(200).refine((v) => v === "" || z.email().safeParse(v).success, { message: "email" }),
  phone: text(50),
  website: text(200).refine((v) => v === "" || /^https?:\/\/[^\s]+$/.test(v), { message: "url" }),
});

/** Staff save the identity; the change is audited with the previous and new values. */
export async function updateCharityIdentity(db: Db, actorPersonId: number, input: Record<string, unknown>): Promise<CharityIdentity> {
  const parsed = charityIdentitySchema.safeParse(input);
  if (!parsed.success) {
    throw new Invalid("invalid_identity", fieldErrorCodes(parsed.error));
  }
  const next = parsed.data;
  return db.transaction(async (tx) => {
    const before = await getCharityIdentity(tx);
    await tx
      .insert(settings)
      .values({ key: KEY, value: next, updatedBy: actorPersonId })
      .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedBy: actorPersonId, updatedAt: new Date() } });
    await recordAudit(tx, { actorPersonId, action: "settings_changed", details: { key: KEY, before, after: next } });
    return next;
  });
}
