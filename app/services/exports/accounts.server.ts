import type { Db, Tx } from "~db/client.server";
import { bookkeepingAccounts } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid } from "~/services/errors";
import { accountsSchema } from "~/validation/exports";
import { bookkeepingPurposes, defaultBookkeepingAccounts, type BookkeepingAccounts, type BookkeepingPurpose } from "./accounts";

/** The accounts in force: what staff saved, the default for the rest. Internal: callers checked access. */
export async function accountsInForce(db: Db | Tx): Promise<BookkeepingAccounts & { saved: BookkeepingPurpose[] }> {
  const rows = await db.select().from(bookkeepingAccounts);
  const out = { ...defaultBookkeepingAccounts } as BookkeepingAccounts;
  const saved: BookkeepingPurpose[] = [];
  for (const row of rows) {
    if ((bookkeepingPurposes as readonly string[]).includes(row.purpose)) {
      out[row.purpose as BookkeepingPurpose] = { account: row.account, name: row.name };
      saved.push(row.purpose as BookkeepingPurpose);
    }
  }
  return { ...out, saved };
}

/** Staff read the accounts (the settings page). */
export async function getBookkeepingAccounts(ctx: ServiceContext) {
  requireStaffActor(ctx);
  return accountsInForce(ctx.db);
}

/**
 * Staff set every purpose's account (four digits) and name; all rows in one transaction, audited
 * with before and after. Bad input: Invalid with a code per field, nothing written.
 */
export async function saveBookkeepingAccounts(ctx: ServiceContext, input: Record<string, unknown>): Promise<BookkeepingAccounts> {
  const personId = personIdOf(requireStaffActor(ctx));
  const parsed = accountsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new Invalid("invalid_accounts", fieldErrorCodes(parsed.error));
  const values = parsed.data as Record<string, string>;
  const next = Object.fromEntries(bookkeepingPurposes.map((p) => [p, { account: values[p], name: values[`${p}_name`] }])) as BookkeepingAccounts;
  return ctx.db.transaction(async (tx) => {
    const { saved: _saved, ...before } = await accountsInForce(tx);
    for (const purpose of bookkeepingPurposes) {
      const { account, name } = next[purpose];
      await tx
        .insert(bookkeepingAccounts)
        .values({ purpose, account, name, updatedBy: personId })
        .onConflictDoUpdate({ target: bookkeepingAccounts.purpose, set: { account, name, updatedBy: personId, updatedAt: new Date() } });
    }
    await recordAudit(tx, { actorPersonId: personId, action: "settings_changed", details: { key: "bookkeeping_accounts", before, after: next } });
    return next;
  });
}
