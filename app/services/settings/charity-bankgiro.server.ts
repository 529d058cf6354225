import { eq } from "drizzle-orm";
import type { Db, Tx } from "~db/client.server";
import { settings } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Invalid } from "~/services/errors";
import { formatBankgiro } from "~/services/invoices/invoice-pdf.server";

/**
 * The charity's bankgiro number: where bank invoices ask buyers to pay, and which payee a BgMax file
 * must be for. Its own setting (not part of the email footer's identity). Empty until staff enter it:
 * never invented, and a bank invoice cannot be issued while it is empty.
 */
const KEY = "charity_bankgiro";

/** The saved bankgiro number, printed NNN-NNNN or NNNN-NNNN; "" when unset. */
export async function getCharityBankgiro(db: Db | Tx, opts: { named?: boolean } = {}): Promise<string> {
  // named: as a prepared statement (see enqueueEmailWithAttachments), for the payroll month.
  const read = db.select().from(settings).where(eq(settings.key, KEY));
  const [row] = await (opts.named ? read.prepare("charity_bankgiro").execute() : read);
  const value = (row?.value as { bankgiro?: unknown } | undefined)?.bankgiro;
  return typeof value === "string" ? value : "";
}

/** Staff save the number (empty clears it); a number that fails its Luhn check is refused. Audited. */
export async function updateCharityBankgiro(ctx: ServiceContext, input: { bankgiro?: unknown }): Promise<string> {
  const actor = requireStaffActor(ctx);
  const raw = typeof input.bankgiro === "string" ? input.bankgiro.trim() : "";
  const next = raw === "" ? "" : formatBankgiro(raw);
  if (next === null) throw new Invalid("invalid_bankgiro", { bankgiro: "bankgiro" });
  return ctx.db.transaction(async (tx) => {
    const before = await getCharityBankgiro(tx);
    const value = { bankgiro: next };
    await tx
      .insert(settings)
      .values({ key: KEY, value, updatedBy: actor.personId })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.personId, updatedAt: new Date() } });
    await recordAudit(tx, { actorPersonId: personIdOf(ctx.actor), action: "settings_changed", details: { key: KEY, before, after: next } });
    return next;
  });
}
