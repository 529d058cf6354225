/**
 * Matches the payments of a parsed BgMax file against open invoices by OCR reference. Pure: the invoices
 * service loads the open invoices and the keys of payments already imported, calls this, and books what it
 * returns in one transaction (storing each booked payment's key, so a file imported twice pays nothing twice).
 */
import type { BgMaxFile, BgMaxPayment } from "./bgmax";
import { checkOcr, normaliseOcr } from "./ocr";

export type OpenInvoice<Id extends string | number = string> = { id: Id; ocr: string; outstandingOre: bigint };

/** Why a payment could not be matched by itself; staff resolve these by hand. */
export type UnmatchedReason =
  | "deduction" // TK21: the payer took money off the deposit (a credit note they set off)
  | "multiple_references" // the payer named several invoices for one amount: staff split it
  | "no_reference"
  | "invalid_reference" // not a valid OCR by our rules (or Bankgirot marked it incorrect, code 5)
  | "unknown_reference" // a valid OCR that no open invoice has
  | "other_payee"; // paid to a bankgiro that is not ours: the wrong file, or money to hand back

type Base = {
  /** Stable across imports of the same file: store it with the booked payment and pass it back next time. */
  key: string;
  payeeBankgiro: string;
  /** The payment date (ÅÅÅÅ-MM-DD), from the deposit. */
  date: string;
  payment: BgMaxPayment;
  amountOre: bigint;
};
export type InvoicePayment<Id extends string | number = string> = Base & { invoiceId: Id; ocr: string; outstandingBeforeOre: bigint };

export type MatchResult<Id extends string | number = string> = {
  /** Settles the invoice exactly. */
  matched: InvoicePayment<Id>[];
  /** Less than what is outstanding; the invoice stays partly paid. */
  partial: Array<InvoicePayment<Id> & { remainingOre: bigint }>;
  /** More than what is outstanding (also a second payment of a settled invoice): the excess needs a decision. */
  overpaid: Array<InvoicePayment<Id> & { excessOre: bigint }>;
  unmatched: Array<Base & { reason: UnmatchedReason }>;
  /** Already imported (its key was passed in, or it appears twice in the file): nothing to book. */
  duplicates: Base[];
};

/** Payee bankgiro, payment date and Bankgirot's serial identify a payment; reference and amount guard against a reused serial. */
export function bgMaxPaymentKey(payeeBankgiro: string, date: string, payment: BgMaxPayment): string {
  return ["bgmax", payeeBankgiro, date, payment.kind, payment.bgcSerial, payment.reference, payment.amountOre.toString()].join(":");
}

function unmatchedReason(payment: BgMaxPayment): UnmatchedReason | { ocr: string } {
  if (payment.kind === "deduction") return "deduction";
  if (payment.referenceCode === 3 || payment.extraReferences.length > 0) return "multiple_references";
  if (payment.referenceCode <= 1 || payment.reference === "") return "no_reference";
  if (payment.referenceCode === 5) return "invalid_reference";
  // Code 2 is an OCR Bankgirot checked; code 4 is whatever the payer typed, which is often our OCR anyway
  // when the bank agreement has no OCR check. Either way only a reference valid by our own rules is used.
  const checked = checkOcr(payment.reference);
  return checked.ok ? { ocr: checked.reference } : "invalid_reference";
}

export function matchBgMaxPayments<Id extends string | number = string>(
  file: BgMaxFile,
  invoices: ReadonlyArray<OpenInvoice<Id>>,
  options: {
    /** Keys stored with payments booked from earlier imports. */
    alreadyImported?: ReadonlySet<string>;
    /** The charity's bankgiro (digits, with or without a hyphen): deposits to any other go to staff. */
    payeeBankgiro?: string;
  } = {},
): MatchResult<Id> {
  const byOcr = new Map<string, OpenInvoice<Id>>();
  for (const invoice of invoices) {
    const ocr = normaliseOcr(invoice.ocr);
    if (byOcr.has(ocr)) throw new RangeError(`two open invoices share OCR ${ocr}`);
    byOcr.set(ocr, invoice);
  }
  // Several payments of one invoice in one file each see what the earlier ones left outstanding.
  const outstanding = new Map(invoices.map((i) => [i.id, i.outstandingOre]));
  const seen = new Set(options.alreadyImported);
  const ours = options.payeeBankgiro?.replace(/\D/g, "").replace(/^0+/, "");
  const result: MatchResult<Id> = { matched: [], partial: [], overpaid: [], unmatched: [], duplicates: [] };

  for (const deposit of file.deposits) {
    for (const payment of deposit.payments) {
      const key = bgMaxPaymentKey(deposit.payeeBankgiro, deposit.date, payment);
      const base: Base = { key, payeeBankgiro: deposit.payeeBankgiro, date: deposit.date, payment, amountOre: payment.amountOre };
      if (seen.has(key)) {
        result.duplicates.push(base);
        continue;
      }
      seen.add(key);
      const reason = ours !== undefined && deposit.payeeBankgiro !== ours ? "other_payee" : unmatchedReason(payment);
      if (typeof reason === "string") {
        result.unmatched.push({ ...base, reason });
        continue;
      }
      const invoice = byOcr.get(reason.ocr);
      if (!invoice) {
        result.unmatched.push({ ...base, reason: "unknown_reference" });
        continue;
      }
      const before = outstanding.get(invoice.id) ?? 0n;
      const paid: InvoicePayment<Id> = { ...base, invoiceId: invoice.id, ocr: reason.ocr, outstandingBeforeOre: before };
      outstanding.set(invoice.id, before > payment.amountOre ? before - payment.amountOre : 0n);
      if (payment.amountOre === before) result.matched.push(paid);
      else if (payment.amountOre < before) result.partial.push({ ...paid, remainingOre: before - payment.amountOre });
      else result.overpaid.push({ ...paid, excessOre: payment.amountOre - before });
    }
  }
  return result;
}
