import iconv from "iconv-lite";

/**
 * An SIE 4I writer (research/formats.md §2; SIE filformat utgåva 4B). Text in, CP437 bytes out:
 * `#FORMAT PC8` is the only character set the format allows, lines end CRLF. No maintained JS writer
 * exists on the registry we can reach (formats.md §2.8), and the format is small.
 *
 * - Every text field is quoted; `"` inside becomes `\"`; control characters (0–31, 127), which the
 *   format forbids, become spaces.
 * - Characters CP437 lacks (€, emoji, most non-Latin letters) become `?` (iconv-lite's replacement):
 *   the accountant still reads the rest of the text, and the amounts never contain text.
 * - Amounts are integer öre written with a point and two decimals, `-` for credit, never `+`.
 * - A voucher whose rows do not sum to zero is refused: the importer would refuse the whole file.
 */

export const CRLF = "\r\n";

export function sieQuote(text: string): string {
  return `"${text.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/"/g, '\\"')}"`;
}

/** 12345n → "123.45", -5n → "-0.05". */
export function sieAmount(ore: bigint): string {
  const sign = ore < 0n ? "-" : "";
  const abs = ore < 0n ? -ore : ore;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

export interface SieLine {
  account: string;
  /** Pairs of dimension number and object id, e.g. [[6, "3"]]; none: `{}`. */
  objects?: [number, string][];
  amountOre: bigint;
}

export interface SieVoucher {
  /** YYYYMMDD */
  date: string;
  text: string;
  lines: SieLine[];
}

export class UnbalancedVoucher extends Error {
  constructor(text: string, sum: bigint) {
    super(`SIE voucher "${text}" sums to ${sieAmount(sum)}, not 0`);
  }
}

/** `#VER "" "" date "text"` and its rows: series and number empty, the ledger that imports it sets them (§2.4). */
export function sieVoucher(v: SieVoucher): string {
  const sum = v.lines.reduce((s, l) => s + l.amountOre, 0n);
  if (sum !== 0n) throw new UnbalancedVoucher(v.text, sum);
  const rows = v.lines.map((l) => `#TRANS ${l.account} {${(l.objects ?? []).map(([d, id]) => `${d} ${sieQuote(id)}`).join(" ")}} ${sieAmount(l.amountOre)}`);
  return [`#VER "" "" ${v.date} ${sieQuote(v.text)}`, "{", ...rows, "}"].join(CRLF) + CRLF;
}

export interface SieHeader {
  program: string;
  version: string;
  /** YYYYMMDD */
  generated: string;
  companyName: string;
  /** NNNNNN-NNNN or empty (then no #ORGNR line: never guessed). */
  orgNumber: string;
  /** Financial years as [index, start, end] (YYYYMMDD), 0 the current one. */
  years: [number, string, string][];
  accounts: { account: string; name: string }[];
  dimension: { number: number; name: string };
  objects: { id: string; name: string }[];
}

export function sieHeader(h: SieHeader): string {
  const orgNumber = h.orgNumber.replace(/^(\d{6})(\d{4})$/, "$1-$2");
  const lines = [
    "#FLAGGA 0",
    `#FORMAT PC8`,
    `#SIETYP 4`,
    `#PROGRAM ${sieQuote(h.program)} ${sieQuote(h.version)}`,
    `#GEN ${h.generated}`,
    `#FNAMN ${sieQuote(h.companyName)}`,
    ...(orgNumber ? [`#ORGNR ${orgNumber}`] : []),
    ...h.years.map(([i, start, end]) => `#RAR ${i} ${start} ${end}`),
    // Any BAS chart since 1997 (the accounts are BAS numbers); "BAS2…" would be read the same way (§2.3).
    "#KPTYP EUBAS97",
    ...h.accounts.map((a) => `#KONTO ${a.account} ${sieQuote(a.name)}`),
    `#DIM ${h.dimension.number} ${sieQuote(h.dimension.name)}`,
    ...h.objects.map((o) => `#OBJEKT ${h.dimension.number} ${sieQuote(o.id)} ${sieQuote(o.name)}`),
  ];
  return lines.join(CRLF) + CRLF;
}

/** CP437 bytes of the text (PC8). */
export function encodePc8(text: string): Uint8Array {
  return iconv.encode(text, "cp437");
}
