import iconv from "iconv-lite";

/**
 * A small SIE 4 reader for the tests (SIE filformat 4B §5): decodes CP437, splits records on line
 * ends, fields on blanks outside quotes (with `\"` inside quotes), `{…}` object lists as one field,
 * and gathers each #VER with its #TRANS rows. It checks the file's form as it goes (CRLF only, no
 * bare LF, braces on their own lines) so a test reading the export also checks those rules.
 */
export interface SieTrans {
  account: string;
  objects: [number, string][];
  amountOre: bigint;
}
export interface SieVer {
  series: string;
  number: string;
  date: string;
  text: string;
  trans: SieTrans[];
}
export interface SieFileRead {
  records: { label: string; fields: string[] }[];
  vouchers: SieVer[];
  first(label: string): string[] | undefined;
  all(label: string): string[][];
}

export function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === '"') {
      let s = "";
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && line[i + 1] === '"') {
          s += '"';
          i += 2;
        } else s += line[i++];
      }
      if (line[i] !== '"') throw new Error(`unterminated quote: ${line}`);
      i++;
      out.push(s);
    } else if (c === "{") {
      const end = line.indexOf("}", i);
      if (end < 0) throw new Error(`unterminated object list: ${line}`);
      out.push(line.slice(i, end + 1));
      i = end + 1;
    } else {
      let s = "";
      while (i < line.length && line[i] !== " " && line[i] !== "\t") s += line[i++];
      out.push(s);
    }
  }
  return out;
}

function parseAmount(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not an SIE amount: ${text}`);
  const ore = BigInt(m[2]) * 100n + BigInt((m[3] ?? "0").padEnd(2, "0"));
  return m[1] ? -ore : ore;
}

function parseObjects(field: string): [number, string][] {
  const inner = tokenize(field.slice(1, -1));
  const out: [number, string][] = [];
  for (let i = 0; i < inner.length; i += 2) out.push([Number(inner[i]), inner[i + 1]]);
  return out;
}

export function readSie(bytes: Uint8Array): SieFileRead {
  const text = iconv.decode(Buffer.from(bytes), "cp437");
  if (!text.endsWith("\r\n")) throw new Error("the file does not end with CRLF");
  const lines = text.slice(0, -2).split("\r\n");
  for (const line of lines) if (line.includes("\n") || line.includes("\r")) throw new Error(`a line end other than CRLF: ${JSON.stringify(line)}`);
  const records: { label: string; fields: string[] }[] = [];
  const vouchers: SieVer[] = [];
  let current: SieVer | null = null;
  let inBlock = false;
  for (const line of lines) {
    if (line.trim() === "") continue;
    if (line === "{") {
      if (!current || inBlock) throw new Error("{ without #VER");
      inBlock = true;
      continue;
    }
    if (line === "}") {
      if (!inBlock) throw new Error("} without {");
      inBlock = false;
      current = null;
      continue;
    }
    const [label, ...fields] = tokenize(line);
    if (inBlock) {
      if (label !== "#TRANS") throw new Error(`${label} inside a voucher`);
      current!.trans.push({ account: fields[0], objects: parseObjects(fields[1]), amountOre: parseAmount(fields[2]) });
      continue;
    }
    records.push({ label, fields });
    if (label === "#VER") {
      current = { series: fields[0], number: fields[1], date: fields[2], text: fields[3] ?? "", trans: [] };
      vouchers.push(current);
    } else if (label === "#TRANS") throw new Error("#TRANS outside a voucher");
  }
  if (inBlock) throw new Error("voucher not closed");
  return {
    records,
    vouchers,
    first: (label) => records.find((r) => r.label === label)?.fields,
    all: (label) => records.filter((r) => r.label === label).map((r) => r.fields),
  };
}
