import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { fill } from "~/i18n/messages";
import { monthName, workplacePledgeMessages } from "~/i18n/workplace-pledge";
import { myWorkplaceSummary } from "~/services/workplace/summary.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { summaryYearSchema } from "~/validation/workplace-pledge";

/** /workplace/summary/<year>: the employee's own yearly summary of payroll giving (issue 13 item 4). */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: fill(workplacePledgeMessages(data?.locale ?? "sv").summaryTitle, { year: data?.summary.year ?? "" }) }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const year = summaryYearSchema.safeParse(params.year);
  if (!year.success) throw new Response("year_invalid", { status: 404 });
  return { locale: ctx.locale, summary: await orThrowResponse(() => myWorkplaceSummary(ctx, year.data)) };
}

export default function WorkplaceSummary() {
  const { locale, summary } = useLoaderData<typeof loader>();
  const t = workplacePledgeMessages(locale);
  const year = summary.year;
  return (
    <section aria-labelledby="summary-heading" className="stack">
      <PageHeader id="summary-heading" title={fill(t.summaryTitle, { year })} lead={fill(t.summaryLead, { year })} back={{ to: "/workplace", label: t.mineTitle }} />
      {summary.months.length === 0 ? (
        <p>{fill(t.summaryEmpty, { year })}</p>
      ) : (
        <>
          <p data-testid="summary-total">
            <strong>{fill(t.summaryTotal, { year })}:</strong> {formatOre(summary.totalOre)}
          </p>
          <DataTable label={t.perGoal} columns={[{ label: t.goalCol, cell: (g) => g.title }, { label: t.amountCol, cell: (g) => formatOre(g.amountOre), numeric: true }]} rows={summary.byGoal} rowKey={(g) => g.goalId} />
          <DataTable
            label={t.history}
            columns={[
              { label: t.month, cell: (m) => monthName(m.month, locale), nowrap: true },
              { label: t.employer, cell: (m) => m.organisationName },
              { label: t.goalCol, cell: (m) => m.goalTitle },
              { label: t.amountCol, cell: (m) => formatOre(m.amountOre), numeric: true },
            ]}
            rows={summary.months}
            rowKey={(m) => `${m.month}-${m.goalId}-${m.organisationName}`}
          />
          <p>
            <a className="button secondary" href={`/workplace/summary/${year}/pdf`} download>
              {t.summaryPdf}
            </a>
          </p>
        </>
      )}
      <p>
        <Link to={`/workplace/summary/${year - 1}`}>{fill(t.summaryFor, { year: year - 1 })}</Link>
      </p>
    </section>
  );
}
