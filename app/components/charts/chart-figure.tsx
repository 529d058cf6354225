import type { ReactNode } from "react";

/** A series (a channel): its key in the data, its name, and which of the chart colours (1–6) it has. */
export interface ChartSeries {
  key: string;
  label: string;
  colour: number;
}

export interface ChartTable {
  caption: string;
  /** The text of the toggle that opens the table. */
  toggle: string;
  /** The first column's header (what a row is: a month). */
  rowHeader: string;
  /** The last column's header (the row's sum). */
  total: string;
  rows: { key: string; label: string; values: number[] }[];
  format: (value: number) => string;
}

/**
 * A chart with what makes it readable without seeing it: the SVG (role="img", named by its <title>
 * and <desc>), a legend in text, and the same numbers in a table behind a <details> toggle (no
 * JavaScript needed). The table has a row per bar and a column per series, plus totals.
 */
export function ChartFigure({ id, series, table, children }: { id: string; title: string; description: string; series: ChartSeries[]; table: ChartTable; children: ReactNode }) {
  const columnTotals = series.map((_, s) => table.rows.reduce((sum, r) => sum + r.values[s], 0));
  return (
    <figure className="chart" id={id}>
      <div className="chart-canvas">{children}</div>
      <ul className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key}>
            <span className={`chart-swatch chart-series-${s.colour}`} /> {s.label}
          </li>
        ))}
      </ul>
      <details className="chart-table">
        <summary>{table.toggle}</summary>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
          <table className="data-table">
            <caption id={`${id}-caption`}>{table.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{table.rowHeader}</th>
                {series.map((s) => (
                  <th key={s.key} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
                <th scope="col" className="num">
                  {table.total}
                </th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.key} data-row={r.key}>
                  <th scope="row">{r.label}</th>
                  {r.values.map((v, s) => (
                    <td key={series[s].key} className="num" data-label={series[s].label}>
                      {table.format(v)}
                    </td>
                  ))}
                  <td className="num" data-label={table.total}>
                    {table.format(r.values.reduce((a, b) => a + b, 0))}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-row="total">
                <th scope="row">{table.total}</th>
                {columnTotals.map((v, s) => (
                  <td key={series[s].key} className="num" data-label={series[s].label}>
                    {table.format(v)}
                  </td>
                ))}
                <td className="num" data-label={table.total}>
                  {table.format(columnTotals.reduce((a, b) => a + b, 0))}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      </details>
    </figure>
  );
}
