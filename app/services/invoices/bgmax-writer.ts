/**
 * Writes BgMax files the way Bankgirot does (same layout as the parser in ./bgmax), so tests, the demo and a
 * staff rehearsal can produce "the bank's file" for invoices we issued. Not something we send anywhere.
 */

export type BgMaxPaymentSpec = {
  amountOre: bigint;
  /** An OCR reference: written right-aligned with reference code 2. */
  ocr?: string;
  /** Free-text reference instead of an OCR (code 4 unless `referenceCode` says otherwise). */
  reference?: string;
  referenceCode?: number;
  kind?: "payment" | "deduction";
  deductionCode?: string;
  senderBankgiro?: string;
  channel?: number;
  bgcSerial?: string;
  payerName?: string;
  information?: string[];
  extraReferences?: Array<{ reference: string; referenceCode?: number; amountOre?: bigint; negative?: boolean }>;
};

export type BgMaxDepositSpec = {
  /** ÅÅÅÅ-MM-DD */
  date: string;
  serial?: number;
  bankAccount?: string;
  payments: BgMaxPaymentSpec[];
};

export type BgMaxSpec = {
  payeeBankgiro: string;
  /** Local time ÅÅÅÅ-MM-DDTHH:MM:SS; defaults to 06:30 on the first deposit's date (Bankgirot's morning file). */
  createdAt?: string;
  test?: boolean;
  deposits: BgMaxDepositSpec[];
};

const RECORD_LENGTH = 80;

function record(fields: string): string {
  if (fields.length > RECORD_LENGTH) throw new RangeError(`BgMax record over ${RECORD_LENGTH} characters: ${fields}`);
  return fields.padEnd(RECORD_LENGTH, " ");
}

function num(value: bigint | number | string, width: number): string {
  const s = String(value).replace(/\D/g, "");
  if (s.length > width || String(value).trim().startsWith("-")) throw new RangeError(`${String(value)} does not fit ${width} digits`);
  return s.padStart(width, "0");
}

function alpha(value: string, width: number): string {
  if (value.length > width) throw new RangeError(`"${value}" is longer than ${width} characters`);
  return value.padEnd(width, " ");
}

const compactDate = (iso: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`date must be ÅÅÅÅ-MM-DD, got ${iso}`);
  return iso.replace(/-/g, "");
};

function transaction(tk: string, p: { senderBankgiro?: string; reference: string; referenceCode: number; amountOre: bigint; channel?: number; bgcSerial: string }, tail: string) {
  const reference = p.referenceCode === 2 ? p.reference.padStart(25, " ") : alpha(p.reference, 25);
  if (reference.length > 25) throw new RangeError(`reference "${p.reference}" is longer than 25 characters`);
  return record(`${tk}${num(p.senderBankgiro ?? "0", 10)}${reference}${num(p.amountOre, 18)}${p.referenceCode}${p.channel ?? 1}${num(p.bgcSerial, 12)}${tail}`);
}

/** The file as text, CRLF-separated 80-character records. */
export function writeBgMax(spec: BgMaxSpec): string {
  const lines: string[] = [];
  const createdAt = spec.createdAt ?? `${spec.deposits[0]?.date ?? "2026-01-01"}T06:30:00`;
  const stamp = `${compactDate(createdAt.slice(0, 10))}${createdAt.slice(11, 19).replace(/:/g, "")}`.padEnd(20, "0");
  lines.push(record(`01${alpha("BGMAX", 20)}01${stamp}${spec.test ? "T" : "P"}`));
  let serialSeq = 0;
  const counts = { payments: 0, deductions: 0, extraReferences: 0 };

  spec.deposits.forEach((deposit, index) => {
    lines.push(record(`05${num(spec.payeeBankgiro, 10)}${" ".repeat(10)}SEK`));
    let sum = 0n;
    for (const p of deposit.payments) {
      const deduction = p.kind === "deduction";
      // Unique per file and day, as Bankgirot's serials are: date + running number.
      const bgcSerial = p.bgcSerial ?? `${compactDate(deposit.date)}${num(++serialSeq, 4)}`;
      const referenceCode = p.referenceCode ?? (p.ocr !== undefined ? 2 : p.reference ? 4 : 1);
      const reference = p.ocr ?? p.reference ?? "";
      lines.push(transaction(deduction ? "21" : "20", { ...p, reference, referenceCode, bgcSerial }, deduction ? `0${p.deductionCode ?? "0"}` : "0"));
      for (const extra of p.extraReferences ?? []) {
        const code = extra.referenceCode ?? 2;
        lines.push(transaction(extra.negative ? "23" : "22", { ...p, reference: extra.reference, referenceCode: code, amountOre: extra.amountOre ?? 0n, bgcSerial }, "0"));
      }
      for (const info of p.information ?? []) lines.push(record(`25${alpha(info, 50)}`));
      if (p.payerName) lines.push(record(`26${alpha(p.payerName, 35)}`));
      sum += deduction ? -p.amountOre : p.amountOre;
      counts[deduction ? "deductions" : "payments"]++;
      counts.extraReferences += p.extraReferences?.length ?? 0;
    }
    const account = num(deposit.bankAccount ?? "58410000010098232", 35);
    const depositSerial = num(deposit.serial ?? index + 1, 5);
    lines.push(record(`15${account}${compactDate(deposit.date)}${depositSerial}${num(sum, 18)}SEK${num(deposit.payments.length, 8)}`));
  });

  lines.push(record(`70${num(counts.payments, 8)}${num(counts.deductions, 8)}${num(counts.extraReferences, 8)}${num(spec.deposits.length, 8)}`));
  return `${lines.join("\r\n")}\r\n`;
}

/** One deposit per payment date, in date order: the file a day's (or several days') OCR payments would give. */
export function bgMaxFromPayments(
  payeeBankgiro: string,
  payments: ReadonlyArray<{ ocr: string; amountOre: bigint; date: string }>,
  options: { test?: boolean } = {},
): string {
  const byDate = new Map<string, BgMaxPaymentSpec[]>();
  for (const p of [...payments].sort((a, b) => a.date.localeCompare(b.date))) {
    byDate.set(p.date, [...(byDate.get(p.date) ?? []), { ocr: p.ocr, amountOre: p.amountOre }]);
  }
  return writeBgMax({ payeeBankgiro, test: options.test, deposits: [...byDate].map(([date, list]) => ({ date, payments: list })) });
}

/** Latin-1 bytes, as Bankgirot delivers the file; refuses characters Latin-1 cannot hold instead of garbling them. */
export function encodeBgMax(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new RangeError(`"${text[i]}" cannot be written in ISO-8859-1`);
    bytes[i] = code;
  }
  return bytes;
}
