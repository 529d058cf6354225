import { stringify } from "csv-stringify/sync";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { Invalid } from "~/services/errors";
import { CSV_ROWS, loadDashboard, type DashboardOptions } from "./dashboard.server";
import { dashboardTable, isDashboardTableKey } from "./tables";

/**
 * A dashboard table as a CSV file (/admin/dashboard.csv?table=…&from=…&to=…), the same rows as the
 * page (tables.ts) but every row of a list (up to CSV_ROWS) rather than the first ten. Written for
 * Excel as Swedish staff use it, like the CRM exports: UTF-8 with a BOM, `;` between fields, CRLF,
 * and a cell that Excel would run as a formula (= + - @ at the start) begins with an apostrophe; the
 * quoting is csv-stringify's. A negative amount is written as a number ("-12,50"), not defused:
 * it is our own figure, not text someone typed.
 */

export interface CsvFile {
  filename: string;
  body: string;
}

const defuse = (value: string) => (/^[=+\-@\t\r]/.test(value) && !/^-\d+([.,]\d+)?$/.test(value) ? `'${value}` : value);

export async function dashboardCsv(
  ctx: ServiceContext,
  query: { table?: string | null; from?: string | null; to?: string | null },
  opts: DashboardOptions = {},
): Promise<CsvFile> {
  requireStaffActor(ctx);
  const key = query.table;
  if (!isDashboardTableKey(key)) throw new Invalid("unknown_table", { table: "unknown_table" });
  const data = await loadDashboard(ctx, query, { ...opts, rows: CSV_ROWS });
  const model = dashboardTable(data, key, ctx.locale);
  const body = stringify([model.columns.map((c) => c.label), ...model.rows.map((row) => row.map((cell) => defuse(cell.csv ?? cell.text)))], {
    bom: true,
    delimiter: ";",
    record_delimiter: "windows",
    quoted_match: /^\s|\s$/,
  });
  return { filename: `${key}-${data.period.from}-${data.period.to}.csv`, body };
}
