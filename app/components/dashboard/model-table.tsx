import { Link } from "@remix-run/react";
import { GoalBadge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { dashboardMessages } from "~/i18n/dashboard";
import { fill, type Locale } from "~/i18n/messages";
import type { Cell, TableModel } from "~/services/dashboard/tables";
import type { DashboardPeriod } from "~/services/dashboard/types";

/** Where a dashboard table's CSV file is: the same table and period. */
export function csvHref(key: string, period: Pick<DashboardPeriod, "from" | "to">): string {
  return `/admin/dashboard.csv?${new URLSearchParams({ table: key, from: period.from, to: period.to })}`;
}

/** A download link for a table's CSV file, named by the table (several sit on one page). */
export function CsvLink({ model, period, locale }: { model: Pick<TableModel, "key" | "title">; period: DashboardPeriod; locale: Locale }) {
  const t = dashboardMessages(locale);
  return (
    <a className="button secondary small" href={csvHref(model.key, period)} download aria-label={fill(t.csvLabel, { table: model.title })}>
      {t.csv}
    </a>
  );
}

function CellView({ cell }: { cell: Cell }) {
  if (cell.goal !== undefined) return <GoalBadge number={cell.goal} title={cell.text} />;
  if (cell.href) return <Link to={cell.href}>{cell.text}</Link>;
  return <>{cell.text}</>;
}

/**
 * A dashboard table (tables.ts) with its heading and CSV link; when it has no rows, the `empty`
 * sentence instead. `total` (how many there are, when only some rows are shown) goes after the title.
 */
export function ModelTable({ model, period, locale, empty, total, level = 3 }: { model: TableModel; period: DashboardPeriod; locale: Locale; empty?: string; total?: number; level?: 2 | 3 }) {
  const t = dashboardMessages(locale);
  const id = `dashboard-${model.key}`;
  const Heading = level === 2 ? "h2" : "h3";
  const shown = total !== undefined && total > model.rows.length ? ` (${fill(t.countOf, { shown: model.rows.length, count: total })})` : "";
  return (
    <div className="dashboard-table">
      <div className="dashboard-table-head">
        <Heading id={id}>
          {model.title}
          {shown}
        </Heading>
        <CsvLink model={model} period={period} locale={locale} />
      </div>
      {model.rows.length === 0 && empty ? (
        <p className="hint">{empty}</p>
      ) : (
        <DataTable
          labelledBy={id}
          rows={model.rows.map((cells, i) => ({ cells, i }))}
          rowKey={(r) => r.i}
          columns={model.columns.map((c, col) => ({ label: c.label, numeric: c.numeric, cell: (r: { cells: Cell[] }) => <CellView cell={r.cells[col]} /> }))}
        />
      )}
    </div>
  );
}
