import type { ReactNode } from "react";

export interface Column<T> {
  /** The header, and the label each value gets when the table turns into a list on a phone. */
  label: string;
  cell: (row: T) => ReactNode;
  /** Amounts and counts: right-aligned, tabular numerals, one line. */
  numeric?: boolean;
  /** Dates and short codes: never broken over two lines. */
  nowrap?: boolean;
  /** The header is read by screen readers but not shown (a column of buttons). */
  hiddenLabel?: boolean;
}

/**
 * A staff table that fits a 1280 px screen and turns into a list of label–value blocks at 600 px and
 * narrower (CSS only: each cell carries its column's label in `data-label`). It sits in a focusable,
 * named region so keyboard users can scroll it when it is wider than the screen after all.
 */
export function DataTable<T>({
  label,
  labelledBy,
  columns,
  rows,
  rowKey,
  rowProps,
}: {
  label?: string;
  labelledBy?: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  rowProps?: (row: T) => Record<string, string | undefined>;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label} aria-labelledby={labelledBy}>
      <table className="data-table">
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.numeric ? "num" : undefined}>
                {c.hiddenLabel ? <span className="visually-hidden">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((c, i) => (
                <td key={i} data-label={c.hiddenLabel ? undefined : c.label} className={c.numeric ? "num" : c.nowrap ? "nowrap" : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Long text on one line, cut with an ellipsis at the column's width. The whole text stays in the
 * page (screen readers and copy read all of it), shows as a tooltip, and is shown in full on a phone.
 */
export function Truncated({ text, variant }: { text: string; variant?: "small" | "code" | "flag" }) {
  return (
    <span className={variant ? `truncate ${variant}` : "truncate"} title={text}>
      {text}
    </span>
  );
}
