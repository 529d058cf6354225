/**
 * BgMax payments staff resolve by hand (/admin/invoices/unmatched): the unmatched ones, the excess of an
 * overpayment, and partial payments to acknowledge. Money not yet booked (`open_ore`) goes to an invoice,
 * or becomes an undesignated bank gift through the payments core, or is marked as handled outside the
 * app (paid back, say) with a note. Each row is resolved once, under its row lock.
 */
import { and, asc, eq, inArray, isNull, ne } from "drizzle-orm";
import { bgmaxPayments, invoices, type BgmaxPayment } from "~db/schema";
import { authorOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, Invalid, NotFound, withParams } from "~/services/errors";
import { markPaymentPaid, recordPayment } from "~/services/payments/core.server";
import { formatOre } from "~/utils/money";
import { bankDate } from "./bgmax-import.server";
import { openInvoicesForMatching, registerInvoicePayment } from "./invoices-payments.server";

/** What is waiting for staff, oldest payment first (öre as strings for the page), and the open invoices to book on. */
export async function listBgMaxToResolve(ctx: ServiceContext) {
  requireStaffActor(ctx);
  const rows = await ctx.db
    .select()
    .from(bgmaxPayments)
    .where(and(isNull(bgmaxPayments.resolvedAt), ne(bgmaxPayments.outcome, "matched")))
    .orderBy(asc(bgmaxPayments.paymentDate), asc(bgmaxPayments.id));
  const open = await ctx.db.transaction((tx) => openInvoicesForMatching(tx));
  const byId = new Map(open.map((i) => [String(i.id), i]));
  const ids = [...new Set([...open.map((i) => i.id), ...rows.flatMap((r) => (r.invoiceId === null ? [] : [r.invoiceId]))])];
  const named = ids.length === 0 ? [] : await ctx.db.select({ id: invoices.id, number: invoices.number, buyerName: invoices.buyerName }).from(invoices).where(inArray(invoices.id, ids));
  const names = new Map(named.map((n) => [n.id, `${n.number ?? n.id} (${n.buyerName})`]));
  const label = (id: number | null) => (id === null ? "–" : (names.get(id) ?? String(id)));
  return {
    payments: rows.map((r) => ({
      id: r.id.toString(),
      paymentDate: r.paymentDate,
      kind: r.kind,
      reference: r.reference,
      amountOre: r.amountOre.toString(),
      openOre: r.openOre.toString(),
      /** What the invoice still lacks now (a partial payment's invoice may have been paid since). */
      remainingOre: (r.invoiceId === null ? 0n : (byId.get(String(r.invoiceId))?.outstandingOre ?? 0n)).toString(),
      payerName: r.payerName,
      information: r.information,
      outcome: r.outcome,
      reason: r.reason,
      invoiceLabel: label(r.invoiceId),
      /** Money to put somewhere: not a deduction, something not booked yet. */
      canBook: r.kind === "payment" && r.openOre > 0n,
    })),
    invoices: open
      .filter((i) => i.outstandingOre > 0n)
      .map((i) => ({ id: String(i.id), label: label(i.id), ocr: i.ocr, outstandingOre: i.outstandingOre.toString() })),
  };
}

export interface ResolveInput {
  id: string;
  action: string;
  invoiceId?: string;
  note?: string;
}

const refuse = (code: string, field: string) => new Invalid(code, { [field]: code });

export async function resolveBgMaxPayment(ctx: ServiceContext, input: ResolveInput): Promise<void> {
  requireStaffActor(ctx);
  const action = input.action;
  if (action !== "invoice" && action !== "gift" && action !== "handled") throw refuse("resolve_action", "action");
  if (!/^\d{1,18}$/.test(input.id ?? "")) throw new NotFound("resolve_not_found");
  const note = (input.note ?? "").trim();
  if (note.length > 500) throw refuse("resolve_note_too_long", "note");
  if (action === "handled" && note === "") throw refuse("resolve_note_required", "note");
  const author = authorOf(ctx.actor);

  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(bgmaxPayments).where(eq(bgmaxPayments.id, BigInt(input.id))).for("update");
    if (!row) throw new NotFound("resolve_not_found");
    if (row.resolvedAt || row.outcome === "matched") throw new Conflict("resolve_done");
    if (action !== "handled" && row.kind === "deduction") throw refuse("resolve_deduction", "action");
    if (action !== "handled" && row.openOre === 0n) throw refuse("resolve_nothing_open", "action");
    const resolved: Partial<BgmaxPayment> = { resolution: action, note: note || null, resolvedBy: author, resolvedAt: new Date() };

    if (action === "invoice") {
      if (!/^\d{1,18}$/.test(input.invoiceId ?? "")) throw refuse("resolve_invoice_required", "invoiceId");
      const invoice = (await openInvoicesForMatching(tx)).find((i) => String(i.id) === input.invoiceId);
      if (!invoice || invoice.outstandingOre <= 0n) throw refuse("resolve_invoice_not_open", "invoiceId");
      // More than is outstanding would overpay a second invoice: staff choose another one or handle it outside.
      if (row.openOre > invoice.outstandingOre) {
        throw withParams(refuse("resolve_amount_too_large", "invoiceId"), { amount: formatOre(row.openOre), outstanding: formatOre(invoice.outstandingOre) });
      }
      await registerInvoicePayment(tx, invoice.id, { amountOre: row.openOre, paidAt: bankDate(row.paymentDate), reference: row.key, author, method: "bankgiro" });
      resolved.resolvedInvoiceId = invoice.id;
    } else if (action === "gift") {
      const payment = await recordPayment(tx, {
        channel: "one_off_gift",
        amountOre: row.openOre,
        goalId: null,
        origin: "bank",
        method: "bankgiro",
        payer: { name: row.payerName },
        reference: row.key,
      });
      await markPaymentPaid(tx, payment, { paidAt: bankDate(row.paymentDate), author, reference: row.key });
      resolved.resolvedPaymentId = payment.id;
    }
    await tx.update(bgmaxPayments).set(resolved).where(eq(bgmaxPayments.id, row.id));
  });
}
