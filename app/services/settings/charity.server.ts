import { eq } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { settings } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid } from "~/services/errors";
import { charityIdentitySchema } from "~/validation/settings";
import { charityIdentityKeys, defaultCharityIdentity, type CharityIdentity } from "./charity";

export type { CharityIdentity } from "./charity";

/** The settings key the identity is saved under. */
export const CHARITY_IDENTITY_KEY = "charity_identity";

/**
 * The identity staff have saved, on top of the defaults. Every field a string, empty when unset.
 * Public facts (every receipt and page footer shows them), so it takes a connection, not a context.
 */
export async function getCharityIdentity(db: Db | Tx, opts: { named?: boolean } = {}): Promise<CharityIdentity> {
  // named: as a prepared statement (see enqueueEmailWithAttachments), for the payroll month.
  const read = db.select().from(settings).where(eq(settings.key, CHARITY_IDENTITY_KEY));
  const [row] = await (opts.named ? read.prepare("charity_identity").execute() : read);
  return charityIdentityFrom(row?.value);
}

/** The identity from its settings row's value (none saved: the defaults, which say what is missing). */
export function charityIdentityFrom(value: unknown): CharityIdentity {
  const saved = (value ?? {}) as Partial<Record<keyof CharityIdentity, unknown>>;
  const out = { ...defaultCharityIdentity };
  for (const key of charityIdentityKeys) {
    if (typeof saved[key] === "string") out[key] = saved[key] as string;
  }
  return out;
}

// The form's schema, shared with the page (app/validation/settings.ts).
export { charityIdentitySchema };

/** Staff save the identity; the change is audited with the previous and new values. */
export async function updateCharityIdentity(ctx: ServiceContext, input: Record<string, unknown>): Promise<CharityIdentity> {
  const actorPersonId = personIdOf(requireStaffActor(ctx));
  const { db } = ctx;
  const parsed = charityIdentitySchema.safeParse(input);
  if (!parsed.success) {
    throw new Invalid("invalid_identity", fieldErrorCodes(parsed.error));
  }
  const next = parsed.data;
  return db.transaction(async (tx) => {
    const before = await getCharityIdentity(tx);
    await tx
      .insert(settings)
      .values({ key: CHARITY_IDENTITY_KEY, value: next, updatedBy: actorPersonId })
      .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedBy: actorPersonId, updatedAt: new Date() } });
    await recordAudit(tx, { actorPersonId, action: "settings_changed", details: { key: CHARITY_IDENTITY_KEY, before, after: next } });
    return next;
  });
}
