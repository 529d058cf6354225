import { describe, expect, it } from "vitest";
import { payrollCsv, payrollFileRows, payrollPaxml, type PayrollFileInput } from "~/services/workplace/payroll-csv";
import { listRun, type PledgeMonth } from "~/services/workplace/payroll-compute";
import { oreDecimal, writePaxml, xmlText } from "~/services/workplace/paxml";
import { paxmlSchemaErrors } from "./paxml-check";

/**
 * The payroll files (issue 13 item 5, acceptance 1): the PAXml validates against the PAXml 2.0 XSD
 * (a copy in tests/fixtures, from ../shared/research/examples) with xmllint, one deduction per active
 * pledge with the programme's pay code and the right amount; the CSV has the same rows.
 */

/** The rows of our CSV (no cell here holds `;`, a quote or a line break, so a split reads it). */
function parse(csv: string, _opts: { delimiter: string }): string[][] {
  return csv.split("\r\n").filter(Boolean).map((line) => line.split(";"));
}

const goals = (...pairs: [number, number][]) => pairs.map(([goalId, percent]) => ({ goalId, percent }));
const fixed = (amountOre: bigint, g = goals([1, 100])) => ({ state: "active" as const, kind: "fixed" as const, amountOre, rateTenths: null, goals: g });
const perMille = (rateTenths: number, g = goals([2, 100])) => ({ state: "active" as const, kind: "per_mille" as const, amountOre: null, rateTenths, goals: g });

const entries: PledgeMonth[] = [
  { pledgeId: 1, personId: 11, name: "Anna Andersson", employeeNumber: "17", terms: fixed(15000n), previous: null },
  { pledgeId: 2, personId: 12, name: "Bo Berg & Söner <test>", employeeNumber: "18", terms: fixed(20000n, goals([1, 50], [3, 50])), previous: fixed(10000n) },
  { pledgeId: 3, personId: 13, name: "Cecilia Ek", employeeNumber: null, terms: perMille(25), previous: perMille(25) },
  { pledgeId: 4, personId: 14, name: "David Öst", employeeNumber: "20", terms: { ...fixed(10000n), state: "paused" }, previous: fixed(10000n) },
  { pledgeId: 5, personId: 15, name: "=cmd|' /C calc'!A0", employeeNumber: "21", terms: { ...fixed(10000n), state: "stopped" }, previous: fixed(10000n) },
  { pledgeId: 6, personId: 16, name: "Eva Fors", employeeNumber: "22", terms: { ...fixed(10000n), state: "stopped" }, previous: { ...fixed(10000n), state: "stopped" } },
];

const input: PayrollFileInput = {
  month: "2026-11-01",
  payCode: "9810",
  payrollDay: 25,
  employer: { name: "Exempelarbetsgivaren AB", organisationNumber: "556016-0680" },
  createdAt: new Date("2026-11-24T09:00:00Z"),
  programName: "Lokala mål",
  list: listRun(entries),
};

describe("PAXml 2.0 writer", () => {
  it("writes a file the PAXml 2.0 schema accepts, one lonetrans per listed pledge, the pay code as lonart", () => {
    const xml = payrollPaxml(input);
    expect(paxmlSchemaErrors(xml)).toBeNull();
    const trans = [...xml.matchAll(/<lonetrans postid="(\d+)"(?: anstid="([^"]*)")?>([\s\S]*?)<\/lonetrans>/g)];
    // Eva stopped before this month: not listed. The other five are.
    expect(trans.map((t) => t[1])).toEqual(["1", "2", "3", "4", "5"]);
    for (const t of trans) expect(t[3]).toContain("<lonart>9810</lonart>");
    const amounts = trans.map((t) => /<belopp>([^<]+)<\/belopp>/.exec(t[3])?.[1] ?? null);
    // Order: by name (sv collation: "=" first, then A, B, C, D).
    expect(trans.map((t) => t[2] ?? null)).toEqual(["21", "17", "18", null, "20"]);
    expect(amounts).toEqual(["0.00", "150.00", "200.00", null, "0.00"]);
    // Deductions: the three active pledges (a per-mille one has no amount: payroll computes it).
    const deductions = trans.filter((t) => !/<belopp>0\.00<\/belopp>/.test(t[3]));
    expect(deductions).toHaveLength(3);
    expect(xml).toContain("2,5 ‰ av lönen");
    expect(xml).toContain("<datum>2026-11-25</datum>");
    expect(xml).toContain("<foretagorgnr>5560160680</foretagorgnr>");
    expect(xml).toContain("Bo Berg &amp; Söner &lt;test&gt;");
    expect(xml).toContain("<datum>2026-11-24T10:00:00</datum>");
  });

  it("an empty month is still a valid file (no lonetransaktioner, which needs one row)", () => {
    expect(paxmlSchemaErrors(payrollPaxml({ ...input, list: [] }))).toBeNull();
  });

  it("a file the schema refuses is caught (the check can fail)", () => {
    const bad = writePaxml({ organisationNumber: "556016-0680", companyName: "X", createdAt: new Date(), programName: "P" }, []).replace("<version>2.0</version>", "<version>2.2</version>");
    expect(paxmlSchemaErrors(bad)).toMatch(/version/);
    expect(paxmlSchemaErrors(payrollPaxml(input).replace("<lonart>9810</lonart>", "<lonkod>AVDRAG</lonkod>"))).toMatch(/lonkod/);
  });

  it("decimals and escapes", () => {
    expect(oreDecimal(25000n)).toBe("250.00");
    expect(oreDecimal(5n)).toBe("0.05");
    expect(oreDecimal(-150n)).toBe("-1.50");
    expect(xmlText("a\u0001b<&>\"'")).toBe("ab&lt;&amp;&gt;&quot;&apos;");
  });
});

describe("payroll CSV", () => {
  it("has the PAXml's rows: same order, employee numbers and amounts; Excel-safe", () => {
    const csv = payrollCsv(input, "sv");
    expect(csv.startsWith("\ufeff")).toBe(true);
    expect(csv).toContain("\r\n");
    const [header, ...rows] = parse(csv.slice(1), { delimiter: ";" }) as string[][];
    expect(header).toEqual(["Rad", "Anställningsnummer", "Namn", "Löneart", "Ändring", "Typ", "Promille", "Belopp (kr)", "Datum", "Kommentar"]);
    const fileRows = payrollFileRows(input);
    expect(rows.map((r) => r[0])).toEqual(fileRows.map((r) => String(r.postId)));
    expect(rows.map((r) => r[1])).toEqual(["21", "17", "18", "", "20"]);
    expect(rows.map((r) => r[7])).toEqual(["0,00", "150,00", "200,00", "", "0,00"]);
    expect(rows.map((r) => r[3])).toEqual(["9810", "9810", "9810", "9810", "9810"]);
    expect(rows.map((r) => r[4])).toEqual(["Avslutad – inget avdrag från denna månad", "Ny", "Ändrad", "Oförändrad", "Pausad – inget avdrag denna månad"]);
    expect(rows[3][6]).toBe("2,5 ‰");
    // A name that Excel would run as a formula is defused.
    expect(rows[0][2]).toBe("'=cmd|' /C calc'!A0");
    const en = parse(payrollCsv(input, "en").slice(1), { delimiter: ";" }) as string[][];
    expect(en[0][7]).toBe("Amount (SEK)");
    expect(en[2][7]).toBe("150.00");
  });
});
