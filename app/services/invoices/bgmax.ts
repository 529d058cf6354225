/**
 * BgMax, Bankgirot's file of incoming payments (../shared/research/formats.md §3.2–3.3): fixed records of 80
 * characters, the transaction code (TK) in positions 1–2. A file is read whole or refused whole: staff upload
 * it once and must be told exactly which line is wrong, never get half of it booked.
 */
import { Invalid } from "~/services/errors";

export type BgMaxProblem =
  | "empty"
  | "not_bgmax"
  | "layout_version"
  | "bad_character"
  | "record_too_long"
  | "record_too_short"
  | "bad_field"
  | "unexpected_record"
  | "deposit_not_closed"
  | "missing_end"
  | "currency"
  | "deposit_count"
  | "deposit_sum"
  | "end_count";

/** Which field a `bad_field` (or `end_count`) names; each has a label in ~/i18n/invoice-formats. */
export type BgMaxField =
  | "layoutName"
  | "layoutVersion"
  | "timestamp"
  | "testMark"
  | "transactionCode"
  | "bankgiro"
  | "plusgiro"
  | "senderBankgiro"
  | "referenceCode"
  | "amount"
  | "channel"
  | "bgcSerial"
  | "imageMark"
  | "deductionCode"
  | "payerId"
  | "bankAccount"
  | "date"
  | "depositSerial"
  | "paymentCount"
  | "depositType"
  | "payments"
  | "deductions"
  | "extraReferences"
  | "deposits";

/** A refused file: the 1-based line and why, as a 400 with the problem as the `file` field's error code. */
export class BgMaxError extends Invalid {
  constructor(
    public problem: BgMaxProblem,
    public line: number,
    public field?: BgMaxField,
  ) {
    super(`bgmax_${problem}`, { file: problem });
    this.name = "BgMaxError";
  }
}

export type BgMaxExtraReference = {
  line: number;
  /** TK22 adds, TK23 subtracts (a credit note the payer set off). */
  negative: boolean;
  senderBankgiro: string | null;
  reference: string;
  referenceCode: number;
  amountOre: bigint;
  bgcSerial: string;
};

export type BgMaxPayment = {
  line: number;
  /** TK20 is money in; TK21 a deduction the payer made, which lowers the deposit. */
  kind: "payment" | "deduction";
  senderBankgiro: string | null;
  /** The reference as sent, blanks trimmed; an OCR number only when `referenceCode` is 2. */
  reference: string;
  /** 0/1 none, 2 correct OCR (checked by Bankgirot), 3 several references, 4 one reference (text), 5 incorrect. */
  referenceCode: number;
  ocr: string | null;
  amountOre: bigint;
  /** 1 internet bank, 2 Leverantörsbetalningar, 3 paper form, 4 Autogiro. */
  channel: number;
  bgcSerial: string;
  hasImage: boolean;
  /** TK21 only; its meaning is not researched (formats.md §3.3 ⚠), so it is kept as sent. */
  deductionCode: string | null;
  extraReferences: BgMaxExtraReference[];
  information: string[];
  payerName: string | null;
  payerExtraName: string | null;
  address: { street: string; postcode: string; city: string; country: string; countryCode: string } | null;
  payerId: string | null;
};

export type BgMaxDeposit = {
  line: number;
  payeeBankgiro: string;
  payeePlusgiro: string | null;
  currency: "SEK";
  bankAccount: string;
  /** ÅÅÅÅ-MM-DD, the payment date of every payment in the deposit. */
  date: string;
  serial: string;
  amountOre: bigint;
  depositType: "K" | "D" | "S" | null;
  payments: BgMaxPayment[];
};

export type BgMaxFile = {
  layoutVersion: string;
  /** Bankgirot's local (Swedish) time, as written: ÅÅÅÅ-MM-DDTHH:MM:SS.μμμμμμ. */
  createdAt: string;
  test: boolean;
  deposits: BgMaxDeposit[];
  counts: { payments: number; deductions: number; extraReferences: number; deposits: number };
};

const RECORD_LENGTH = 80;
// Where each known record's last required field ends: shorter lines are refused, longer than 80 always are.
// Trailing blanks may have been stripped on the way (Bankgirot's own example ends unpadded), so a shorter
// line is padded back to 80 once it covers its required fields.
const REQUIRED_LENGTH: Record<string, number> = { "01": 45, "05": 25, "20": 70, "21": 71, "22": 70, "23": 70, "25": 2, "26": 2, "27": 2, "28": 2, "29": 14, "15": 79, "70": 34 };

/**
 * Bytes as Bankgirot sends them are ISO-8859-1 (formats.md §3.3 ⚠). A file someone opened and saved again is
 * often UTF-8 instead; Latin-1 text with å, ä or ö is practically never valid UTF-8, so valid UTF-8 is read
 * as UTF-8 and anything else as Latin-1 (which can decode any byte).
 */
export function decodeBgMax(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Not TextDecoder("latin1"): the Encoding Standard maps that label to windows-1252.
    let out = "";
    for (const byte of bytes) out += String.fromCharCode(byte);
    return out;
  }
}

type Record_ = { line: number; tk: string; text: string };

function records(text: string): Record_[] {
  const lines = text.split(/\r\n|\n|\r/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0) throw new BgMaxError("empty", 1);
  return lines.map((raw, i) => {
    const line = i + 1;
    // Control characters (a tab in a copied example) shift every later position: the fields would be misread.
    if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) throw new BgMaxError("bad_character", line);
    if (raw.length > RECORD_LENGTH) throw new BgMaxError("record_too_long", line);
    const tk = raw.slice(0, 2);
    if (!/^\d\d$/.test(tk)) throw new BgMaxError(line === 1 ? "not_bgmax" : "bad_field", line, "transactionCode");
    if (raw.length < (REQUIRED_LENGTH[tk] ?? 2)) throw new BgMaxError("record_too_short", line);
    return { line, tk, text: raw.padEnd(RECORD_LENGTH, " ") };
  });
}

/** Positions are 1-based and inclusive, as in Bankgirot's tables. */
const at = (r: Record_, from: number, to: number) => r.text.slice(from - 1, to);
const text = (r: Record_, from: number, to: number) => at(r, from, to).trim();

function digits(r: Record_, from: number, to: number, field: BgMaxField): string {
  const value = at(r, from, to);
  if (!/^\d+$/.test(value)) throw new BgMaxError("bad_field", r.line, field);
  return value;
}
const int = (r: Record_, from: number, to: number, field: BgMaxField) => Number(digits(r, from, to, field));
const ore = (r: Record_, from: number, to: number) => BigInt(digits(r, from, to, "amount"));
/** A giro number without its zero fill; null when the field is all zeros or blank (no sender). */
function giro(r: Record_, from: number, to: number, field: BgMaxField): string | null {
  const value = text(r, from, to);
  if (value === "") return null;
  if (!/^\d+$/.test(value)) throw new BgMaxError("bad_field", r.line, field);
  const stripped = value.replace(/^0+/, "");
  return stripped === "" ? null : stripped;
}

function isoDate(r: Record_, from: number, field: BgMaxField): string {
  const d = digits(r, from, from + 7, field);
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) throw new BgMaxError("bad_field", r.line, field);
  return iso;
}

function opening(r: Record_): Pick<BgMaxFile, "layoutVersion" | "createdAt" | "test"> {
  if (r.tk !== "01" || text(r, 3, 22) !== "BGMAX") throw new BgMaxError("not_bgmax", r.line, "layoutName");
  const layoutVersion = at(r, 23, 24);
  if (layoutVersion !== "01") throw new BgMaxError("layout_version", r.line, "layoutVersion");
  const date = isoDate(r, 25, "timestamp");
  const time = digits(r, 33, 44, "timestamp");
  const [hh, mm, ss] = [0, 2, 4].map((i) => Number(time.slice(i, i + 2)));
  if (hh > 23 || mm > 59 || ss > 59) throw new BgMaxError("bad_field", r.line, "timestamp");
  const mark = at(r, 45, 45);
  if (mark !== "T" && mark !== "P") throw new BgMaxError("bad_field", r.line, "testMark");
  return { layoutVersion, createdAt: `${date}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}.${time.slice(6)}`, test: mark === "T" };
}

function transaction(r: Record_) {
  const referenceCode = int(r, 56, 56, "referenceCode");
  if (referenceCode > 5) throw new BgMaxError("bad_field", r.line, "referenceCode");
  const channel = int(r, 57, 57, "channel");
  if (channel < 1 || channel > 4) throw new BgMaxError("bad_field", r.line, "channel");
  const image = at(r, 70, 70);
  if (image !== "0" && image !== "1") throw new BgMaxError("bad_field", r.line, "imageMark");
  return {
    senderBankgiro: giro(r, 3, 12, "senderBankgiro"),
    reference: text(r, 13, 37),
    referenceCode,
    amountOre: ore(r, 38, 55),
    channel,
    bgcSerial: digits(r, 58, 69, "bgcSerial"),
    hasImage: image === "1",
  };
}

function payment(r: Record_): BgMaxPayment {
  const t = transaction(r);
  const deduction = r.tk === "21";
  return {
    line: r.line,
    kind: deduction ? "deduction" : "payment",
    ...t,
    ocr: t.referenceCode === 2 ? t.reference : null,
    deductionCode: deduction ? digits(r, 71, 71, "deductionCode") : null,
    extraReferences: [],
    information: [],
    payerName: null,
    payerExtraName: null,
    address: null,
    payerId: null,
  };
}

function depositOpening(r: Record_): Pick<BgMaxDeposit, "line" | "payeeBankgiro" | "payeePlusgiro" | "currency"> {
  const payeeBankgiro = giro(r, 3, 12, "bankgiro");
  if (payeeBankgiro === null) throw new BgMaxError("bad_field", r.line, "bankgiro");
  if (at(r, 23, 25) !== "SEK") throw new BgMaxError("currency", r.line);
  return { line: r.line, payeeBankgiro, payeePlusgiro: giro(r, 13, 22, "plusgiro"), currency: "SEK" };
}

function closeDeposit(r: Record_, open: ReturnType<typeof depositOpening>, payments: BgMaxPayment[]): BgMaxDeposit {
  if (at(r, 69, 71) !== "SEK") throw new BgMaxError("currency", r.line);
  const type = at(r, 80, 80);
  if (!["K", "D", "S", " "].includes(type)) throw new BgMaxError("bad_field", r.line, "depositType");
  const deposit: BgMaxDeposit = {
    ...open,
    bankAccount: digits(r, 3, 37, "bankAccount").replace(/^0+(?=\d)/, ""),
    date: isoDate(r, 38, "date"),
    serial: digits(r, 46, 50, "depositSerial"),
    amountOre: ore(r, 51, 68),
    depositType: type === " " ? null : (type as "K" | "D" | "S"),
    payments,
  };
  // Bankgirot's own example checks out this way: the count is payments plus deductions, the amount payments
  // minus deductions; extra references (TK22/23) only break a payment down and are in neither.
  if (int(r, 72, 79, "paymentCount") !== payments.length) throw new BgMaxError("deposit_count", r.line, "paymentCount");
  const sum = payments.reduce((s, p) => (p.kind === "payment" ? s + p.amountOre : s - p.amountOre), 0n);
  if (sum !== deposit.amountOre) throw new BgMaxError("deposit_sum", r.line, "amount");
  return deposit;
}

function closing(r: Record_, deposits: BgMaxDeposit[]): BgMaxFile["counts"] {
  const counts = {
    payments: int(r, 3, 10, "payments"),
    deductions: int(r, 11, 18, "deductions"),
    extraReferences: int(r, 19, 26, "extraReferences"),
    deposits: int(r, 27, 34, "deposits"),
  };
  const all = deposits.flatMap((d) => d.payments);
  const actual = {
    payments: all.filter((p) => p.kind === "payment").length,
    deductions: all.filter((p) => p.kind === "deduction").length,
    extraReferences: all.reduce((n, p) => n + p.extraReferences.length, 0),
    deposits: deposits.length,
  };
  for (const key of Object.keys(counts) as Array<keyof typeof counts>) {
    if (counts[key] !== actual[key]) throw new BgMaxError("end_count", r.line, key);
  }
  return counts;
}

/** Parses a whole BgMax file, or throws a BgMaxError naming the first line that is wrong. */
export function parseBgMax(input: string | Uint8Array): BgMaxFile {
  const all = records(typeof input === "string" ? input : decodeBgMax(input));
  const head = opening(all[0]);
  const deposits: BgMaxDeposit[] = [];
  let open: ReturnType<typeof depositOpening> | null = null;
  let payments: BgMaxPayment[] = [];
  let current: BgMaxPayment | null = null;

  for (const r of all.slice(1)) {
    const needPayment = () => {
      if (!current) throw new BgMaxError("unexpected_record", r.line);
      return current;
    };
    switch (r.tk) {
      case "05":
        if (open) throw new BgMaxError("deposit_not_closed", open.line);
        open = depositOpening(r);
        payments = [];
        current = null;
        break;
      case "20":
      case "21":
        if (!open) throw new BgMaxError("unexpected_record", r.line);
        current = payment(r);
        payments.push(current);
        break;
      case "22":
      case "23": {
        const p = needPayment();
        const { hasImage: _, ...t } = transaction(r);
        p.extraReferences.push({ line: r.line, negative: r.tk === "23", ...t });
        break;
      }
      case "25":
        needPayment().information.push(text(r, 3, 52));
        break;
      case "26": {
        const p = needPayment();
        p.payerName = text(r, 3, 37) || null;
        p.payerExtraName = text(r, 38, 72) || null;
        break;
      }
      case "27": {
        const p = needPayment();
        p.address = { ...(p.address ?? { city: "", country: "", countryCode: "" }), street: text(r, 3, 37), postcode: text(r, 38, 46) };
        break;
      }
      case "28": {
        const p = needPayment();
        p.address = { ...(p.address ?? { street: "", postcode: "" }), city: text(r, 3, 37), country: text(r, 38, 72), countryCode: text(r, 73, 74) };
        break;
      }
      case "29":
        needPayment().payerId = digits(r, 3, 14, "payerId");
        break;
      case "15":
        if (!open) throw new BgMaxError("unexpected_record", r.line);
        deposits.push(closeDeposit(r, open, payments));
        open = null;
        current = null;
        break;
      case "70": {
        if (open) throw new BgMaxError("deposit_not_closed", open.line);
        const after = all.find((x) => x.line > r.line);
        if (after) throw new BgMaxError("unexpected_record", after.line);
        return { ...head, deposits, counts: closing(r, deposits) };
      }
      case "01":
        throw new BgMaxError("unexpected_record", r.line);
      default:
        // Bankgirot may add record types; importers are to skip the ones they do not know (formats.md §3.2).
        break;
    }
  }
  throw new BgMaxError("missing_end", all.length);
}
