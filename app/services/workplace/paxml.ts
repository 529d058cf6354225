/**
 * PAXml 2.0 löneunderlag for a workplace payroll run (issue 13 item 5; research: formats.md §1).
 * Written here rather than with a library: no npm package exists, and the one PHP writer emits
 * schema-invalid files. Pure; the output validates against the 2.0 XSD (tests/fixtures/paxml-2.0.xsd,
 * checked with xmllint in tests/workplace/payroll-files.test.ts).
 *
 * What a row is: one `<lonetrans>` per pledge on the list. The 2.0 `lonkod` enumeration has no
 * deduction code, so the row carries the employer's own net-deduction löneart (`<lonart>`, the
 * programme's pay code, never a number we pick) and a POSITIVE amount, which the löneart makes a
 * deduction ("Värden … anges normalt som positiva värden, även … löneavdrag"). A per-mille pledge has
 * no amount (the platform never knows a salary): the rate is in `<kommentar>`/`<info>` and payroll
 * computes it. A paused or stopped pledge is listed with `<belopp>0.00</belopp>` so payroll sees the
 * change in the same file; it deducts nothing.
 */

export interface PaxmlHeader {
  /** The employer's organisationsnummer; digits only go into `foretagorgnr` (max 12 characters). */
  organisationNumber: string | null;
  companyName: string;
  /** When the file was made (local time written without zone, as the spec's example). */
  createdAt: Date;
  programName: string;
}

export interface PaxmlRow {
  /** Running number of the row, 1… */
  postId: number;
  /** Anställningsnummer (PAXml `anstid`); the employer's payroll matches on it. */
  employeeNumber: string | null;
  payCode: string;
  label: string;
  comment: string;
  /** Pay date of the month (YYYY-MM-DD), or null when the programme has no payroll day. */
  date: string | null;
  /** Öre to deduct; null: payroll computes it (per-mille). 0 for a paused/stopped pledge. */
  amountOre: bigint | null;
  info?: string | null;
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text for an element or attribute; characters XML 1.0 cannot hold at all are dropped. */
export function xmlText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** Öre as an xs:decimal with two decimals and a point: 25000n → "250.00", 5n → "0.05", -150n → "-1.50". */
export function oreDecimal(ore: bigint): string {
  const negative = ore < 0n;
  const abs = negative ? -ore : ore;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

// Made once: building a formatter with a time zone costs far more than formatting with it.
const swedishDateTimeFormat = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** An xs:dateTime without zone in Swedish time ("2026-11-24T10:00:00"), as payroll staff read it. */
export function swedishDateTime(moment: Date): string {
  const parts = swedishDateTimeFormat.formatToParts(moment);
  const p = (type: string) => parts.find((x) => x.type === type)!.value;
  return `${p("year")}-${p("month")}-${p("day")}T${p("hour")}:${p("minute")}:${p("second")}`;
}

function element(name: string, value: string | null | undefined, indent: string): string {
  return value === null || value === undefined || value === "" ? "" : `${indent}<${name}>${xmlText(value)}</${name}>\n`;
}

export function writePaxml(header: PaxmlHeader, rows: readonly PaxmlRow[]): string {
  const orgDigits = header.organisationNumber?.replace(/\D/g, "").slice(0, 12) ?? "";
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  out += '<paxml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.paxml.se/2.0/paxml.xsd">\n';
  out += "  <header>\n";
  out += element("format", "LÖNIN", "    ");
  out += element("version", "2.0", "    ");
  out += element("datum", swedishDateTime(header.createdAt), "    ");
  out += element("foretagorgnr", orgDigits, "    ");
  out += element("foretagnamn", header.companyName, "    ");
  out += element("programnamn", header.programName, "    ");
  out += "  </header>\n";
  // lonetransaktioner needs at least one lonetrans (a sequence of one or more): an empty list has none.
  if (rows.length) {
    out += "  <lonetransaktioner>\n";
    for (const row of rows) {
      const anstid = row.employeeNumber ? ` anstid="${xmlText(row.employeeNumber)}"` : "";
      out += `    <lonetrans postid="${row.postId}"${anstid}>\n`;
      out += element("lonart", row.payCode, "      ");
      out += element("benamning", row.label, "      ");
      out += element("kommentar", row.comment, "      ");
      out += element("datum", row.date, "      ");
      if (row.amountOre !== null) {
        out += element("antal", "1", "      ");
        out += element("apris", oreDecimal(row.amountOre), "      ");
        out += element("belopp", oreDecimal(row.amountOre), "      ");
      }
      out += element("info", row.info ?? null, "      ");
      out += "    </lonetrans>\n";
    }
    out += "  </lonetransaktioner>\n";
  }
  out += "</paxml>\n";
  return out;
}
