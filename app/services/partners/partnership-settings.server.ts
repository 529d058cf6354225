import { eq } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { settings } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid } from "~/services/errors";
import { partnershipSettingsSchema, type PartnershipSettings } from "~/validation/partnerships";

const KEY = "partnerships";

/**
 * How the partnership rules run, set by staff. These are working rules, not facts about the charity,
 * so they start from defaults staff can see and change: reminders 60 days before a period ends (time
 * for a meeting and a board decision), and a sign-off valid for 12 months (one partnership year).
 */
export const defaultPartnershipSettings: PartnershipSettings = { renewalNoticeDays: 60, signOffValidMonths: 12 };

export async function getPartnershipSettings(db: Db | Tx): Promise<PartnershipSettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  const parsed = partnershipSettingsSchema.safeParse({ ...defaultPartnershipSettings, ...(row?.value ?? {}) });
  return parsed.success ? parsed.data : defaultPartnershipSettings;
}

/** Staff change the renewal notice and the sign-off's validity; audited with before and after. */
export async function updatePartnershipSettings(ctx: ServiceContext, input: Record<string, unknown>): Promise<PartnershipSettings> {
  const actorPersonId = personIdOf(requireStaffActor(ctx));
  const parsed = partnershipSettingsSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_partnership_settings", fieldErrorCodes(parsed.error));
  const next = parsed.data;
  return ctx.db.transaction(async (tx) => {
    const before = await getPartnershipSettings(tx);
    await tx
      .insert(settings)
      .values({ key: KEY, value: { ...next }, updatedBy: actorPersonId })
      .onConflictDoUpdate({ target: settings.key, set: { value: { ...next }, updatedBy: actorPersonId, updatedAt: new Date() } });
    await recordAudit(tx, { actorPersonId, action: "settings_changed", details: { key: KEY, before, after: next } });
    return next;
  });
}

/** The settings for staff's page. */
export async function getPartnershipSettingsForStaff(ctx: ServiceContext): Promise<PartnershipSettings> {
  requireStaffActor(ctx);
  return getPartnershipSettings(ctx.db);
}
