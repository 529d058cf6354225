import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { StatTile, StatTiles } from "~/components/ui/stat-tile";
import { invoiceMessages, invoiceStatusLabels } from "~/i18n/invoices";
import { listInvoices } from "~/services/invoices/invoices.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDate } from "~/utils/dates";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: invoiceMessages(data?.locale ?? "sv").listTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  const list = await orThrowResponse(() => listInvoices(ctx, { status: query.get("status"), overdue: query.get("overdue") === "1" }));
  return { locale: ctx.locale, ...list };
}

export default function AdminInvoices() {
  const { locale, invoices, totals, filters } = useLoaderData<typeof loader>();
  const t = invoiceMessages(locale);
  const statusText = invoiceStatusLabels(locale);
  const kr = (ore: string) => formatOre(BigInt(ore));
  return (
    <section aria-labelledby="invoices-heading">
      <PageHeader
        id="invoices-heading"
        title={t.listHeading}
        actions={
          <>
            <Link className="button" to="/admin/invoices/new">
              {t.newInvoice}
            </Link>{" "}
            <Link className="button secondary" to="/admin/invoices/import">
              {t.importLink}
            </Link>{" "}
            <Link className="button secondary" to="/admin/invoices/unmatched">
              {t.unmatchedLink}
            </Link>
          </>
        }
      />
      <Form method="get" className="filters">
        <label htmlFor="filter-status">{t.filterStatus}</label>{" "}
        <select id="filter-status" name="status" defaultValue={filters.status ?? ""}>
          <option value="">{t.filterAll}</option>
          {(Object.keys(statusText) as (keyof typeof statusText)[]).map((s) => (
            <option key={s} value={s}>
              {statusText[s]}
            </option>
          ))}
        </select>{" "}
        <label>
          <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} /> {t.filterOverdue}
        </label>{" "}
        <button type="submit" className="button secondary small">
          {t.filter}
        </button>
      </Form>
      <StatTiles label={t.totals}>
        <StatTile label={t.count} value={totals.count} />
        <StatTile label={t.totalInvoiced} value={kr(totals.totalOre)} />
        <StatTile label={t.totalPaid} value={kr(totals.paidOre)} />
        <StatTile label={t.totalOutstanding} value={kr(totals.outstandingOre)} />
      </StatTiles>
      {invoices.length === 0 ? (
        <EmptyState title={t.noInvoices} action={{ to: "/admin/invoices/new", label: t.newInvoice }} />
      ) : (
        <DataTable
          labelledBy="invoices-heading"
          rows={invoices}
          rowKey={(i) => i.id}
          columns={[
            { label: t.colNumber, nowrap: true, cell: (i) => <Link to={`/admin/invoices/${i.id}`}>{i.number ?? `(${t.draftNumber} #${i.id})`}</Link> },
            { label: t.colOrganisation, cell: (i) => i.organisationName },
            { label: t.colIssued, nowrap: true, cell: (i) => formatDate(i.issueDate, locale) },
            { label: t.colDue, nowrap: true, cell: (i) => formatDate(i.dueDate, locale) },
            { label: t.colTotal, numeric: true, cell: (i) => kr(i.totalOre) },
            { label: t.colPaid, numeric: true, cell: (i) => kr(i.paidOre) },
            { label: t.colStatus, cell: (i) => <StatusBadge status={i.overdue ? "overdue" : i.status} label={statusText[i.overdue ? "overdue" : i.status]} /> },
          ]}
        />
      )}
    </section>
  );
}
