import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EffektDraft, PurposeShareSection, ReportTables } from "~/components/reports/yearly-report";
import { PageHeader } from "~/components/ui/page-header";
import { fill } from "~/i18n/messages";
import { reportsMessages } from "~/i18n/reports";
import { effektDraft } from "~/services/reports/effekt";
import { reportScope } from "~/services/reports/report-pdf.server";
import { yearlyReport } from "~/services/reports/yearly.server";
import reportsCss from "~/styles/reports.css?url";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reportsCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.title : "" }];

/** The yearly report for all goals, or one (?goal=<slug>); print-friendly, and the same as a PDF. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const goalSlug = new URL(request.url).searchParams.get("goal");
  const report = await orThrowResponse(() => yearlyReport(ctx, { year: params.year, goalSlug }));
  const title = fill(reportsMessages(ctx.locale).reportTitle, { year: report.year, scope: reportScope(report, ctx.locale) });
  return { locale: ctx.locale, report, title, effekt: effektDraft(report, ctx.locale) };
}

export default function YearlyReportPage() {
  const { locale, report, title, effekt } = useLoaderData<typeof loader>();
  const t = reportsMessages(locale);
  const pdf = `/admin/reports/${report.year}/pdf${report.goal ? `?goal=${report.goal.slug}` : ""}`;
  return (
    <article aria-labelledby="report-heading">
      <PageHeader id="report-heading" title={title} lead={t.reportLead} back={{ to: "/admin/reports", label: t.back }} />
      <nav className="report-actions button-row" aria-label={t.otherScopes}>
        <a className="button secondary small" href={pdf}>
          {t.pdf}
        </a>
        <Link className="button secondary small" to={`/admin/reports/${report.year}`}>
          {t.allGoals}
        </Link>
        {report.goals.map((g) => (
          <Link key={g.slug} className="button secondary small" to={`/admin/reports/${report.year}?goal=${g.slug}`} aria-current={report.goal?.slug === g.slug ? "page" : undefined}>
            {g.number}
          </Link>
        ))}
      </nav>
      <ReportTables report={report} locale={locale} />
      <PurposeShareSection report={report} locale={locale} />
      <EffektDraft sections={effekt} locale={locale} editHref={`/admin/reports/${report.year}/effekt`} />
    </article>
  );
}
