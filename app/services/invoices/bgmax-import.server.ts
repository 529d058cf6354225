/**
 * BgMax import (issue 9 item 3): staff upload Bankgirot's file of incoming payments; payments with a
 * valid OCR reference pay their invoices through the invoices service, everything else is kept for
 * staff to resolve (bgmax-import-resolve.server.ts). A file is read whole or refused whole, and a
 * payment is booked once however many times (or in however many files) it is uploaded.
 */
import { createHash } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { bgmaxImports, bgmaxPayments, type BgmaxOutcome } from "~db/schema";
import { bgMaxErrorText } from "~/i18n/invoice-formats";
import { authorOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, Invalid, withParams } from "~/services/errors";
import { getCharityBankgiro } from "~/services/settings/charity-bankgiro.server";
import { formatDateTime } from "~/utils/dates";
import { env } from "~/utils/env.server";
import { BgMaxError, parseBgMax, type BgMaxFile } from "./bgmax";
import { openInvoicesForMatching, registerInvoicePayment } from "./invoices-payments.server";
import { bgMaxPaymentKey, matchBgMaxPayments, type InvoicePayment, type MatchResult } from "./match";

/** Bankgirot's daily files are a few kB; this bounds what one upload may make the server parse. */
export const BGMAX_MAX_BYTES = 5 * 1024 * 1024;

export interface BgMaxImportInput {
  fileName?: string | null;
  bytes: Uint8Array | null;
}

export interface BgMaxImportSummary {
  importId: number;
  fileCreatedAt: string;
  test: boolean;
  deposits: number;
  payments: number;
  totalOre: bigint;
  bookedOre: bigint;
  matched: number;
  partial: number;
  overpaid: number;
  unmatched: number;
  duplicates: number;
  /** Rows now waiting in /admin/invoices/unmatched. */
  toResolve: number;
}

/** A refusal shown next to the file field; a file already imported is a Conflict (409), the rest bad input (400). */
const fileError = (code: string, status: 400 | 409 = 400) => Object.assign(status === 409 ? new Conflict(code) : new Invalid(code), { fieldErrors: { file: code } });

/** The payment date as a moment: midday UTC is the same calendar day in Sweden, summer and winter. */
export const bankDate = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`);

/** Parses or refuses the upload, before anything is read from or written to the database. */
export function readBgMaxUpload(input: BgMaxImportInput, locale: ServiceContext["locale"]): BgMaxFile {
  if (!input.bytes || input.bytes.length === 0) throw fileError("bgmax_file_missing");
  if (input.bytes.length > BGMAX_MAX_BYTES) throw withParams(fileError("bgmax_file_too_large"), { max: BGMAX_MAX_BYTES / 1024 / 1024 });
  try {
    return parseBgMax(input.bytes);
  } catch (error) {
    if (!(error instanceof BgMaxError)) throw error;
    throw withParams(fileError("bgmax_refused"), { detail: bgMaxErrorText(error, locale) });
  }
}

/** The charity's bankgiro from the settings (digits), when staff have entered one: deposits to others are not ours. */
async function ourBankgiro(db: Db): Promise<string | undefined> {
  const digits = (await getCharityBankgiro(db)).replace(/\D/g, "");
  return digits === "" ? undefined : digits;
}

type Booked<Id extends string | number> = { match: InvoicePayment<Id>; outcome: Exclude<BgmaxOutcome, "unmatched">; bookedOre: bigint; openOre: bigint };

export async function importBgMaxFile(ctx: ServiceContext, input: BgMaxImportInput): Promise<BgMaxImportSummary> {
  const staff = requireStaffActor(ctx);
  const file = readBgMaxUpload(input, ctx.locale);
  if (file.test && env().production) throw fileError("bgmax_test_file");
  const sha256 = createHash("sha256").update(input.bytes!).digest("hex");
  const author = authorOf(ctx.actor);
  const payeeBankgiro = await ourBankgiro(ctx.db);

  return ctx.db.transaction(async (tx) => {
    // One import at a time: two staff uploading the same file (or two files sharing a payment) at once
    // would both find nothing imported yet; the unique keys would then fail one of them with a 500.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bgmax_import'))`);
    const [prior] = await tx.select().from(bgmaxImports).where(eq(bgmaxImports.fileSha256, sha256));
    if (prior) throw withParams(fileError("bgmax_already_imported", 409), { date: formatDateTime(prior.importedAt, ctx.locale), who: prior.importedByName });

    const keys = file.deposits.flatMap((d) => d.payments.map((p) => bgMaxPaymentKey(d.payeeBankgiro, d.date, p)));
    const known = keys.length === 0 ? [] : await tx.select({ key: bgmaxPayments.key }).from(bgmaxPayments).where(inArray(bgmaxPayments.key, keys));
    const open = await openInvoicesForMatching(tx);
    const result: MatchResult<(typeof open)[number]["id"]> = matchBgMaxPayments(file, open, { alreadyImported: new Set(known.map((k) => k.key)), payeeBankgiro });

    const booked: Booked<(typeof open)[number]["id"]>[] = [
      ...result.matched.map((m) => ({ match: m, outcome: "matched" as const, bookedOre: m.amountOre, openOre: 0n })),
      ...result.partial.map((m) => ({ match: m, outcome: "partial" as const, bookedOre: m.amountOre, openOre: 0n })),
      // An overpayment settles what was outstanding; the excess waits for staff (another invoice, a gift, paid back).
      ...result.overpaid.map((m) => ({ match: m, outcome: "overpaid" as const, bookedOre: m.outstandingBeforeOre, openOre: m.excessOre })),
    ].sort((a, b) => a.match.payment.line - b.match.payment.line);

    const totalOre = file.deposits.reduce((s, d) => s + d.amountOre, 0n);
    const bookedOre = booked.reduce((s, b) => s + b.bookedOre, 0n);
    // The file's figures, kept on the import row and returned to the page alike.
    const counts = {
      deposits: file.deposits.length,
      payments: keys.length,
      totalOre,
      bookedOre,
      matched: result.matched.length,
      partial: result.partial.length,
      overpaid: result.overpaid.length,
      unmatched: result.unmatched.length,
      duplicates: result.duplicates.length,
    };
    const [row] = await tx
      .insert(bgmaxImports)
      .values({
        fileSha256: sha256,
        fileName: input.fileName?.slice(0, 200) || null,
        fileCreatedAt: file.createdAt,
        test: file.test,
        importedBy: author,
        importedByName: staff.name || staff.email,
        ...counts,
      })
      .returning({ id: bgmaxImports.id });

    // In file order: two payments of one invoice meet what the earlier one left, as matching assumed.
    for (const b of booked) {
      if (b.bookedOre === 0n) continue;
      await registerInvoicePayment(tx, b.match.invoiceId, { amountOre: b.bookedOre, paidAt: bankDate(b.match.date), reference: b.match.key, author, method: "bankgiro" });
    }
    const serialOf = new Map(file.deposits.flatMap((d) => d.payments.map((p) => [p, d.serial] as const)));
    const rows = [
      ...booked.map((b) => ({ base: b.match, outcome: b.outcome, reason: null, invoiceId: b.match.invoiceId, bookedOre: b.bookedOre, openOre: b.openOre })),
      ...result.unmatched.map((u) => ({ base: u, outcome: "unmatched" as const, reason: u.reason, invoiceId: null, bookedOre: 0n, openOre: u.payment.kind === "deduction" ? 0n : u.amountOre })),
    ];
    if (rows.length > 0) {
      await tx.insert(bgmaxPayments).values(
        rows.map((r) => ({
          importId: row.id,
          key: r.base.key,
          payeeBankgiro: r.base.payeeBankgiro,
          paymentDate: r.base.date,
          depositSerial: serialOf.get(r.base.payment) ?? "",
          bgcSerial: r.base.payment.bgcSerial,
          kind: r.base.payment.kind,
          reference: r.base.payment.reference,
          referenceCode: r.base.payment.referenceCode,
          amountOre: r.base.amountOre,
          payerName: r.base.payment.payerName,
          information: r.base.payment.information.join("\n") || null,
          outcome: r.outcome,
          reason: r.reason,
          invoiceId: r.invoiceId,
          bookedOre: r.bookedOre,
          openOre: r.openOre,
        })),
      );
    }
    return {
      importId: row.id,
      fileCreatedAt: file.createdAt,
      test: file.test,
      ...counts,
      toResolve: rows.filter((r) => r.outcome !== "matched").length,
    };
  });
}
