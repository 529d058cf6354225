import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { authorLabel } from "~/i18n/authors";
import { correctionsMessages } from "~/i18n/corrections";
import { fill, type Locale } from "~/i18n/messages";
import { goalLedgerCsv, goalLedgerPage } from "~/services/ledger/corrections-read.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { fileResponse, orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const page = data as unknown as LedgerPage | undefined;
  return [{ title: page?.goal ? fill(correctionsMessages(page.locale).ledgerTitle, { goal: `#${page.goal.number} ${page.goal.title}` }) : "" }];
};

/** A goal's ledger history, newest first, 50 a page; `?format=csv` downloads all of it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const url = new URL(request.url);
  const slug = params.slug ?? "";
  if (url.searchParams.get("format") === "csv") {
    const { filename, csv } = await orThrowResponse(() => goalLedgerCsv(ctx, { slug }));
    return fileResponse(csv, { filename, contentType: "text/csv; charset=utf-8" });
  }
  const page = await orThrowResponse(() => goalLedgerPage(ctx, { slug, page: url.searchParams.get("page") ?? 1 }));
  return { locale: ctx.locale, ...page };
}

type LedgerPage = Awaited<ReturnType<typeof goalLedgerPage>> & { locale: Locale };

export default function GoalLedger() {
  // The CSV answer is a download, never rendered: the page's data is the other branch.
  const { locale, goal, entries, balanceOre, count, page, pages } = useLoaderData<typeof loader>() as unknown as LedgerPage;
  const t = correctionsMessages(locale);
  const words = t as Record<string, string>;
  const name = `#${goal.number} ${goal.title}`;
  const base = `/admin/goals/${goal.slug}/ledger`;
  return (
    <section aria-labelledby="ledger-heading">
      <PageHeader
        id="ledger-heading"
        title={fill(t.ledgerHeading, { goal: name })}
        lead={fill(t.ledgerLead, { balance: formatOre(balanceOre), count })}
        back={{ to: "/admin/corrections", label: t.toCorrections }}
        actions={
          <a className="button button-secondary" href={`${base}?format=csv`} download>
            {t.csv}
          </a>
        }
      />
      {entries.length === 0 ? (
        <p className="empty">{t.ledgerEmpty}</p>
      ) : (
        <DataTable
          labelledBy="ledger-heading"
          rows={entries}
          rowKey={(e) => e.id}
          columns={[
            { label: t.date, nowrap: true, cell: (e) => formatDateTime(e.at, locale) },
            {
              label: t.source,
              cell: (e) =>
                e.source.type === "payment"
                  ? `${fill(t.sourcePayment, { id: e.source.paymentId ?? "" })} · ${e.source.designated ? t.designatedYes : t.designatedNo}${e.source.method ? ` · ${e.source.method}` : ""}`
                  : e.source.type === "reallocation"
                    ? t.sourceReallocation
                    : t.sourceCorrection,
            },
            { label: t.channel, cell: (e) => words[`channel_${e.channel}`] ?? e.channel },
            { label: t.kind, cell: (e) => words[`kind_${e.kind}`] ?? e.kind },
            { label: t.amount, numeric: true, cell: (e) => formatOre(e.amountOre) },
            { label: t.reason, cell: (e) => e.reason || t.none },
            { label: t.by, cell: (e) => authorLabel(e.author, locale) },
          ]}
        />
      )}
      {pages > 1 ? (
        <nav aria-label={t.pagination} className="pagination">
          {page > 1 ? <Link to={`${base}?page=${page - 1}`}>← {t.previous}</Link> : null} <span>{fill(t.pageOf, { page, pages })}</span>{" "}
          {page < pages ? <Link to={`${base}?page=${page + 1}`}>{t.next} →</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}
