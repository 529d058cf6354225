import type { ReactNode } from "react";

export type Column = string | { label: string; numeric: true };

/**
 * A table that scrolls sideways on a narrow screen, inside a focusable, named region (so keyboard
 * users can scroll it and screen readers announce it), with column headers. The rows are the children.
 */
export function DataTable({ label, labelledBy, columns, children }: { label?: string; labelledBy?: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label} aria-labelledby={labelledBy}>
      <table>
        <thead>
          <tr>
            {columns.map((c, i) =>
              typeof c === "string" ? (
                <th key={i} scope="col">
                  {c}
                </th>
              ) : (
                <th key={i} scope="col" className="num">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
